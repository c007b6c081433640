package abi

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestValueStrings(t *testing.T) {
	tests := []struct{ in, want string }{
		{`"a\"b\\c\/d\n\t\u0001"`, "a\"b\\c/d\n\t\x01"},
		{`"\u00e9\u4e2d\ud83d\ude00"`, "é中😀"},
		{`"\ud800x"`, "\ufffdx"}, // lone surrogate
		{`"plain"`, "plain"},
		{` -12.5e3 `, "-12.5e3"},
		{`true`, ""},
	}
	for _, tt := range tests {
		v, err := ParseValue([]byte(tt.in))
		if err != nil {
			t.Errorf("ParseValue(%s): %v", tt.in, err)
			continue
		}
		if got := v.Str(); got != tt.want {
			t.Errorf("ParseValue(%s).Str() = %q, want %q", tt.in, got, tt.want)
		}
		if got := string(v.JSON()); got != strings.TrimSpace(tt.in) {
			t.Errorf("ParseValue(%s).JSON() = %s, want the text itself", tt.in, got)
		}
	}
}

func TestValueNavigation(t *testing.T) {
	v, err := ParseValue([]byte("{ \"k\" :\n [ 1 , {\"x\": \"y\"} ], \"e\\u0073c\": \"esc\", \"n\": null, \"s\": \"a,]}\\\"\" }"))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		got, want any
	}{
		{v.Kind(), Object},
		{v.Len(), 4},
		{v.Get("k").Len(), 2},
		{v.Get("k").Index(0).Str(), "1"},
		{v.Get("k").Index(1).Get("x").Str(), "y"},
		{v.Get("k").Index(2).IsNull(), true},
		{v.Get("esc").Str(), "esc"},
		{v.Has("n"), true},
		{v.Get("n").IsNull(), true},
		{v.Get("s").Str(), `a,]}"`},
		{v.Has("missing"), false},
		{v.Get("k").Has("0"), false},
		{v.Members()[1].Key, "esc"},
		{len(v.Get("k").Items()), 2},
	}
	for i, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("check %d: got %v, want %v", i, c.got, c.want)
		}
	}
	built := ObjectValue(Member{"a", IntValue(1)}, Member{"b", ArrayValue(StringValue("x\""), BoolValue(true), Value{})})
	if got := string(built.JSON()); got != `{"a":1,"b":["x\"",true,null]}` {
		t.Errorf("constructed value %s", got)
	}
}

func TestReaderRejects(t *testing.T) {
	for _, in := range []string{
		``, `{`, `[1,]`, `{"a":1,}`, `{"a" 1}`, `{a:1}`, `"abc`, `"a` + "\n" + `b"`, `01`, `1.`,
		`-`, `1e`, `tru`, `nul`, `"\x"`, `"\u12"`, `[1 2]`, `{"a":1}x`, `'a'`,
		strings.Repeat("[", 600) + strings.Repeat("]", 600),
	} {
		if _, err := ParseValue([]byte(in)); !errors.Is(err, ErrSyntax) {
			t.Errorf("ParseValue(%q) = %v, want a syntax error", in, err)
		}
	}
}

func TestReaderShapes(t *testing.T) {
	r := NewReader([]byte(`{"s":"x","n":-3,"f":2.5,"b":true,"a":["p","q"],"skip":{"deep":[1,{"x":2}]},"nil":null}`))
	var (
		s       string
		n       int64
		f       float64
		b       bool
		a       []string
		nilSeen bool
	)
	for it := r.Object(); it.Next(); {
		k := it.Key()
		switch k {
		case "s":
			s = r.String()
		case "n":
			n = r.Int()
		case "f":
			f = r.Float()
		case "b":
			b = r.Bool()
		case "a":
			a = r.Strings()
		case "nil":
			nilSeen = r.Null()
		default:
			r.Skip()
		}
	}
	if err := r.Finish(); err != nil {
		t.Fatal(err)
	}
	if s != "x" || n != -3 || f != 2.5 || !b || !reflect.DeepEqual(a, []string{"p", "q"}) || !nilSeen {
		t.Errorf("decoded s=%q n=%d f=%v b=%v a=%v nil=%v", s, n, f, b, a, nilSeen)
	}
}

func TestReaderTypeErrorsAreSticky(t *testing.T) {
	r := NewReader([]byte(`{"n":"not a number","after":1}`))
	var after int64
	for it := r.Object(); it.Next(); {
		k := it.Key()
		switch k {
		case "n":
			r.Int()
		case "after":
			after = r.Int()
		}
	}
	if r.Err() == nil || after != 0 {
		t.Errorf("err %v after %d: want the first error kept and decoding stopped", r.Err(), after)
	}
}

func TestUnconsumedValueIsAnError(t *testing.T) {
	r := NewReader([]byte(`{"a":1,"b":2}`))
	var b int64
	for it := r.Object(); it.Next(); {
		if it.Key() == "b" {
			b = r.Int()
		}
		// "a" is neither read nor skipped: a decoder bug the reader must
		// report rather than misread the document.
	}
	if r.Err() == nil || b != 0 {
		t.Errorf("err %v b %d, want an error", r.Err(), b)
	}
}

func TestArrayIndex(t *testing.T) {
	r := NewReader([]byte(`["x","y","z"]`))
	var got []string
	for it := r.Array(); it.Next(); {
		got = append(got, strings.Repeat(r.String(), it.Index()+1))
	}
	if err := r.Finish(); err != nil || !reflect.DeepEqual(got, []string{"x", "yy", "zzz"}) {
		t.Errorf("got %v, %v", got, err)
	}
}

func TestIntAcceptsWholeFloats(t *testing.T) {
	for in, want := range map[string]int64{
		`3`: 3, `3.0`: 3, `1e3`: 1000, `-0`: 0, `0`: 0, `-7`: -7, `120`: 120,
		`123456789012345678`: 123456789012345678, `1234567890123456789`: 1234567890123456789,
		`9223372036854775807`: math.MaxInt64, `-9223372036854775808`: math.MinInt64,
		`9007199254740993.0`: 9007199254740993, `1.5e1`: 15, `-2.0e0`: -2, `0.0`: 0, `0e99`: 0,
		`-0.0`: 0, `1E2`: 100, `120e-1`: 12, `9.223372036854775807e18`: math.MaxInt64,
		`0.0000000000000000000001e22`: 1, `0.000000000000000000000000000000000000000000001e46`: 10, `0e99999999999999999999`: 0,
	} {
		r := NewReader([]byte(in))
		if got := r.Int(); got != want || r.Finish() != nil {
			t.Errorf("Int(%s) = %d, %v; want %d", in, got, r.Err(), want)
		}
	}
	for _, in := range []string{`3.5`, `9223372036854775808`, `9.3e18`, `-9223372036854775809`, `1e300`,
		`1.0000000000000001`, `1e-400`, `12345678901234567890123e-4`, `123e-1`} {
		r := NewReader([]byte(in))
		got := r.Int()
		if r.Err() == nil {
			t.Errorf("Int(%s) = %d, want an error (not an int64)", in, got)
		} else if !strings.Contains(r.Err().Error(), "expected an integer, got "+in) {
			t.Errorf("Int(%s): error %q does not name the number", in, r.Err())
		}
	}
}

func TestAppendStringIsValidJSON(t *testing.T) {
	cases := []string{"plain", "quote\" back\\", "ctl\x00\x1f", "bad utf8 \xff\xfe", "é 中 😀", "\u2028\u2029"}
	// Each special byte at each place of a text longer than the 8 bytes
	// crossed at once.
	for _, special := range []string{"\"", "\\", "\n", "\x00", "\x1f", "\xff", "é", "\u2028", "\x7f"} {
		for at := range 20 {
			plain := "abcdefghijklmnopqrstuvwx"
			cases = append(cases, plain[:at]+special+plain[at:])
		}
	}
	for _, s := range cases {
		enc := AppendString(nil, s)
		var back string
		if err := json.Unmarshal(enc, &back); err != nil {
			t.Errorf("AppendString(%q) = %s: %v", s, enc, err)
			continue
		}
		want := string([]rune(s)) // one U+FFFD per invalid byte, as encoding/json
		if back != want {
			t.Errorf("AppendString(%q) decodes to %q, want %q", s, back, want)
		}
	}
}

func TestValueAccessors(t *testing.T) {
	v, err := ParseValue([]byte(`{"opts":{"gc":"864000","ttl":3600,"ratio":0.5,"on":false},"list":[1,2]}`))
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := v.Path("opts", "gc").Int(); !ok || n != 864000 {
		t.Errorf("numeric string gc = %d %v", n, ok)
	}
	if n, ok := v.Path("opts", "ttl").Int(); !ok || n != 3600 {
		t.Errorf("ttl = %d %v", n, ok)
	}
	if _, ok := v.Path("opts", "ratio").Int(); ok {
		t.Error("0.5 read as an integer")
	}
	if b, ok := v.Path("opts", "on").Bool(); !ok || b {
		t.Errorf("on = %v %v", b, ok)
	}
	if !v.Path("opts", "missing", "deeper").IsNull() || v.Get("list").Index(5).Kind() != Null {
		t.Error("missing paths are not null")
	}
	if v.Get("list").Len() != 2 || v.Get("opts").Len() != 4 {
		t.Error("Len")
	}
	u, _ := ParseValue([]byte(`{"list":[1.0,2],"opts":{"on":false,"ratio":5e-1,"ttl":3600,"gc":"864000"}}`))
	if !v.Equal(u) {
		t.Error("equal documents with reordered members compare unequal")
	}
	w, _ := ParseValue([]byte(`{"list":[1,2],"opts":{"on":true,"ratio":0.5,"ttl":3600,"gc":"864000"}}`))
	if v.Equal(w) {
		t.Error("different documents compare equal")
	}
}

// FuzzParseValue checks the reader accepts exactly what encoding/json
// accepts and that a parsed value re-encodes to the same document.
func FuzzParseValue(f *testing.F) {
	for _, s := range []string{`{"a":[1,"x",null,true]}`, `"\u00e9"`, `-0.5e+3`, `[[]]`, `{"":{}}`, `"\ud83d\ude00"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		walk(RawValue(data), 0) // must not panic on any input
		NewReader(data).RawFast()
		if strings.Count(string(data), "[")+strings.Count(string(data), "{") > 400 {
			return // beyond our nesting limit, which encoding/json does not share
		}
		v, err := ParseValue(data)
		if (err == nil) != json.Valid(data) {
			t.Fatalf("ParseValue(%q) error %v, json.Valid %v", data, err, json.Valid(data))
		}
		if err != nil {
			return
		}
		// Numbers compare as text: the reader keeps a number's text as
		// written, and encoding/json cannot hold 1e1000 in a float64.
		decode := func(b []byte) (any, error) {
			d := json.NewDecoder(bytes.NewReader(b))
			d.UseNumber()
			var v any
			return v, d.Decode(&v)
		}
		want, err := decode(data)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decode(v.JSON())
		if err != nil {
			t.Fatalf("re-encoded %q: %v", v.JSON(), err)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("%q re-encoded as %q", data, v.JSON())
		}
		// The lazy accessors, which scan without validating, see the
		// same document as encoding/json.
		if nav := toAny(RawValue(data)); !reflect.DeepEqual(want, nav) {
			t.Fatalf("%q navigated as %#v, want %#v", data, nav, want)
		}
	})
}

func TestPlain8(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"abcdefgh", true}, {"é中文!", true}, {"abc\"defg", false}, {"abcdefg\\", false},
		{"\x00bcdefgh", false}, {"abcdefg\x1f", false}, {"        ", true}, {"\x7f\x80\xff~}|{z", true},
	} {
		if got := plain8([]byte(tt.in)); got != tt.want {
			t.Errorf("plain8(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// walk visits every part of v the accessors reach.
func walk(v Value, depth int) {
	if depth > 50 {
		return
	}
	v.Str()
	v.Int()
	v.Bool()
	v.Len()
	v.Index(1)
	v.Get("a")
	for _, it := range v.Items() {
		walk(it, depth+1)
	}
	for _, m := range v.Members() {
		walk(m.Value, depth+1)
	}
}

// toAny rebuilds a document through the Value accessors, in the shapes
// encoding/json decodes to with UseNumber.
func toAny(v Value) any {
	switch v.Kind() {
	case Null:
		return nil
	case Bool:
		b, _ := v.Bool()
		return b
	case Number:
		return json.Number(v.Str())
	case String:
		return string([]rune(v.Str())) // invalid UTF-8 as encoding/json reads it
	case Array:
		out := []any{}
		for _, it := range v.Items() {
			out = append(out, toAny(it))
		}
		return out
	}
	out := map[string]any{}
	for _, m := range v.Members() {
		out[string([]rune(m.Key))] = toAny(m.Value)
	}
	return out
}

func TestNavigationMatchesEncodingJSON(t *testing.T) {
	docs := []string{
		`{"a":"x\"y{[","b":[1,"]",{"c":"\\"}],"long key with spaces and more than sixteen bytes":"and a value that is long enough to need several eight byte steps"}`,
		`[{"k":"\u00e9"},{"k":"ab\\"},[],{}]`,
		` { "sp" : [ 1 , 2 ] , "t" : true , "n" : null } `,
	}
	for _, d := range docs {
		var want any
		dec := json.NewDecoder(strings.NewReader(d))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if got := toAny(RawValue([]byte(d))); !reflect.DeepEqual(got, want) {
			t.Errorf("%s navigated as %#v, want %#v", d, got, want)
		}
	}
}

// TestRawFastRefusesOpenBrackets: RawFast checks only that brackets
// balance and strings end, but that much it checks even when the value
// runs to the end of the input.
func TestRawFastRefusesOpenBrackets(t *testing.T) {
	for _, in := range []string{`{{}`, `[[]`, `{"a":[}`, `{"}":1`, `[`, `"open`, `"ab\"`, `"\\\"`} {
		if got := NewReader([]byte(in)).RawFast(); got != nil {
			t.Errorf("RawFast(%s) = %s, want an error", in, got)
		}
	}
	for _, in := range []string{`{"a":{}}`, `[[],[1]]`, `{"]":"}"}`, `"s"`, `{}`, `"ab\\"`, `"\""`} {
		r := NewReader([]byte(in))
		if got := r.RawFast(); string(got) != in || r.Err() != nil {
			t.Errorf("RawFast(%s) = %s, %v", in, got, r.Err())
		}
	}
}

// FuzzInt: Int reads a JSON number exactly when it is a whole number
// within int64, and refuses it otherwise (checked with math/big).
func FuzzInt(f *testing.F) {
	for _, s := range []string{`3`, `3.0`, `-0`, `1e3`, `9007199254740993.0`, `1.0000000000000001`, `9223372036854775808`, `1e-400`, `-9.223372036854775808e18`,
		`0.0000000000000000000001e22`, `0.000000000000000000000000000000000000000000001e46`, `0e99999999999999999999`, `1e99999999999999999999`, `00.5e1`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !json.Valid([]byte(in)) || len(in) > 200 {
			return
		}
		if i := strings.IndexAny(in, "eE"); i >= 0 {
			if e, err := strconv.Atoi(in[i+1:]); err != nil || e > 1000 || e < -1000 {
				return // math/big would build 10^e
			}
		}
		rat, ok := new(big.Rat).SetString(in)
		if !ok {
			return // not a number (a string, an object...)
		}
		r := NewReader([]byte(in))
		got := r.Int()
		want := rat.IsInt() && rat.Num().IsInt64()
		if (r.Err() == nil) != want {
			t.Fatalf("Int(%s) = %d, %v; exact integer in range: %v", in, got, r.Err(), want)
		}
		if want && got != rat.Num().Int64() {
			t.Fatalf("Int(%s) = %d, want %s", in, got, rat.Num())
		}
	})
}
