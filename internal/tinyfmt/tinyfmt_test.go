package tinyfmt

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

type name struct{ s string }

func (n name) String() string { return "name " + n.s }

// Every verb and operand the package supports formats as fmt formats it:
// messages read the same whether a rule runs natively or in a plugin.
func TestSprintfMatchesFmt(t *testing.T) {
	cases := []struct {
		format string
		args   []any
	}{
		{"plain text", nil},
		{"100%% sure", nil},
		{"%s and %v", []any{"a", "b"}},
		{"rule %q: severity %q, want error", []any{"pk-alter", "fatal\n\"x\""}},
		{"abi_version %d, host supports %d", []any{2, int32(1)}},
		{"%d %d %d %d %d", []any{int8(-1), int16(2), int64(-3), uint(4), uint64(5)}},
		{"%v %v %v", []any{1.5, float32(0.25), 1e21}},
		{"%v/%v", []any{true, nil}},
		{"%s: %v", []any{errors.New("boom"), name{"x"}}},
		{"%q", []any{name{"quoted"}}},
		{"unicode %q %s", []any{"é\u2028", "ü"}},
	}
	for _, c := range cases {
		if got, want := Sprintf(c.format, c.args...), fmt.Sprintf(c.format, c.args...); got != want {
			t.Errorf("Sprintf(%q) = %q, fmt says %q", c.format, got, want)
		}
	}
}

// A verb an operand does not support, a missing operand and an extra one
// show in the text, as fmt shows them.
func TestSprintfShowsMistakes(t *testing.T) {
	for _, c := range []struct {
		format string
		args   []any
		want   string
	}{
		{"%d", []any{"x"}, "%!d(string=x)"},
		{"%q", []any{true}, "%!q(bool=true)"},
		{"%s %s", []any{"a"}, "a %!s(MISSING)"},
		{"%s", []any{"a", 2}, "a%!(EXTRA int=2)"},
		{"trailing %", nil, "trailing %!(NOVERB)"},
	} {
		if got := Sprintf(c.format, c.args...); got != c.want {
			t.Errorf("Sprintf(%q, %v) = %q, want %q", c.format, c.args, got, c.want)
		}
		if fmtGot := fmt.Sprintf(c.format, c.args...); fmtGot != c.want {
			t.Errorf("fmt.Sprintf(%q, %v) = %q; the expectation is not fmt's", c.format, c.args, fmtGot)
		}
	}
}

// Errorf wraps every %w operand, once or many times, like fmt.Errorf.
func TestErrorfWraps(t *testing.T) {
	one := Errorf("decode manifest: %w", fs.ErrNotExist)
	if !errors.Is(one, fs.ErrNotExist) || one.Error() != fmt.Errorf("decode manifest: %w", fs.ErrNotExist).Error() {
		t.Errorf("one %%w: %v", one)
	}
	two := Errorf("%w: rule %q: %w", fs.ErrInvalid, "x", fs.ErrPermission)
	if !errors.Is(two, fs.ErrInvalid) || !errors.Is(two, fs.ErrPermission) {
		t.Errorf("two %%w: %v does not wrap both", two)
	}
	if want := fmt.Errorf("%w: rule %q: %w", fs.ErrInvalid, "x", fs.ErrPermission).Error(); two.Error() != want {
		t.Errorf("two %%w: %q, want %q", two, want)
	}
	if errors.Unwrap(Errorf("no wrap %d", 1)) != nil {
		t.Error("an error without %w wraps something")
	}
}
