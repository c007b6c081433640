package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestUseColor: never colour into a pipe or a file (terminals:
// TestUseColorOnTerminal).
func TestUseColor(t *testing.T) {
	env := func(kv map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := kv[k]; return v, ok }
	}
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases := []struct {
		name string
		w    any
		env  map[string]string
	}{
		{"buffer", &bytes.Buffer{}, nil},
		{"regular file", f, nil},
	}
	for _, c := range cases {
		w, _ := c.w.(interface{ Write([]byte) (int, error) })
		if useColor(w, env(c.env)) {
			t.Errorf("%s: colour on", c.name)
		}
	}
}

// TestTableAlignsColouredCells: colour codes take no room, so columns line
// up whether or not cells are painted.
func TestTableAlignsColouredCells(t *testing.T) {
	a := &app{color: true}
	var tb table
	tb.add("V1", a.paint(green, "applied"), "x")
	tb.add("V10", "pending", "y")
	var b strings.Builder
	tb.writeTo(&b)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	plain := func(s string) string {
		for _, c := range []string{green, reset} {
			s = strings.ReplaceAll(s, c, "")
		}
		return s
	}
	if got0, got1 := strings.Index(plain(lines[0]), "x"), strings.Index(plain(lines[1]), "y"); got0 != got1 {
		t.Errorf("last column at %d and %d:\n%s", got0, got1, plain(b.String()))
	}
	if !strings.Contains(lines[0], green) {
		t.Error("the painted cell lost its colour")
	}
}
