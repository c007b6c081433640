package cql

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// The reference for AppendJSON is encoding/json itself, run over mirror
// values: for each AST struct a method-free struct type with the same
// fields and tags (reflect.StructOf), led by the "kind" or "node" member
// when the struct is a statement or a term. That is the documented shape
// (json.Marshal over the struct definitions plus the one added member)
// computed without AppendJSON and without the MarshalJSON methods, which
// now call AppendJSON. Member order, omitempty, escaping and number
// formatting all come from encoding/json, so a field added to the AST is
// checked the day it is added.

// referenceJSON is what json.Marshal(st) produced before AppendJSON: the
// documented shape of the AST document.
func referenceJSON(t testing.TB, st Stmt) []byte {
	t.Helper()
	data, err := json.Marshal(mirror(reflect.ValueOf(st)))
	if err != nil {
		t.Fatalf("reference encoding of %T: %v", st, err)
	}
	return data
}

// mirror converts v into a value without methods that encoding/json
// encodes the way the AST document is specified. Structs, pointers and
// interfaces become `any` (keeping nil as nil, which omitempty treats as a
// nil pointer), slices of them []any (keeping nil apart from empty).
func mirror(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return mirror(v.Elem())
	case reflect.Slice:
		if !needsMirror(v.Type()) {
			return v.Interface()
		}
		if v.IsNil() {
			return []any(nil)
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = mirror(v.Index(i))
		}
		return out
	case reflect.Struct:
		return mirrorStruct(v)
	}
	return v.Interface()
}

// needsMirror reports whether values of t contain AST structs.
func needsMirror(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Struct, reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice:
		return needsMirror(t.Elem())
	}
	return false
}

func mirrorStruct(v reflect.Value) any {
	t := v.Type()
	var fields []reflect.StructField
	var values []any
	ptr := reflect.PointerTo(t)
	switch {
	case ptr.Implements(stmtType):
		fields = append(fields, reflect.StructField{Name: "Kind_", Type: reflect.TypeFor[Kind](), Tag: `json:"kind"`})
		values = append(values, reflect.New(t).Interface().(Stmt).Kind())
	case ptr.Implements(termType):
		node := ""
		for _, tt := range termTypes {
			if reflect.TypeOf(tt.t).Elem() == t {
				node = tt.node
			}
		}
		if node == "" {
			panic("termTypes in astdoc_test.go lacks " + t.Name())
		}
		fields = append(fields, reflect.StructField{Name: "Node_", Type: reflect.TypeFor[string](), Tag: `json:"node"`})
		values = append(values, node)
	}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		if sf.Anonymous {
			panic("mirror: embedded field " + t.Name() + "." + sf.Name)
		}
		f := reflect.StructField{Name: sf.Name, Type: sf.Type, Tag: sf.Tag}
		fv := v.Field(i)
		val := fv.Interface()
		if needsMirror(sf.Type) {
			f.Type = reflect.TypeFor[any]()
			if sf.Type.Kind() == reflect.Slice {
				f.Type = reflect.TypeFor[[]any]()
			}
			val = mirror(fv)
		}
		fields = append(fields, f)
		values = append(values, val)
	}
	out := reflect.New(reflect.StructOf(fields)).Elem()
	for i, val := range values {
		if val != nil {
			out.Field(i).Set(reflect.ValueOf(val))
		}
	}
	return out.Interface()
}

// checkJSON requires AppendJSON, json.Marshal and the reference to give
// the same bytes for st.
func checkJSON(t testing.TB, what string, st Stmt) {
	t.Helper()
	want := referenceJSON(t, st)
	got, err := json.Marshal(st)
	if err != nil {
		t.Fatalf("%s: json.Marshal: %v", what, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s: json.Marshal differs from the documented shape\n got: %s\nwant: %s", what, got, want)
	}
	// AppendJSON appends: what dst held stays in front.
	prefix := []byte("[1,")
	got = AppendJSON(prefix, st)
	if !bytes.Equal(got[:len(prefix)], prefix) || !bytes.Equal(got[len(prefix):], want) {
		t.Fatalf("%s: AppendJSON differs from the documented shape\n got: %s\nwant: %s%s", what, got, prefix, want)
	}
}

// corpusStatements parses every statement the package's tests and seed
// corpora hold: the parse cases, the fuzz seeds (single statements and
// scripts), the benchmark corpus and random terms in three positions.
func corpusStatements(t *testing.T) map[string]Stmt {
	t.Helper()
	out := map[string]Stmt{}
	add := func(src string) {
		if st, err := Parse(src); err == nil {
			out[src] = st
			return
		}
		stmts, err := ParseScript([]byte(src))
		if err != nil {
			return // the seeds include inputs that are meant to fail
		}
		for i, st := range stmts {
			out[src+"#"+strconv.Itoa(i)] = st
		}
	}
	for _, tc := range parseCases {
		add(tc.in)
	}
	for _, s := range corpusScripts {
		add(s)
	}
	for _, s := range jsonSeeds {
		add(s)
	}
	seeds, err := filepath.Glob(filepath.Join("testdata", "fuzz", "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// A seed file is "go test fuzz v1" then one line string("...") or
		// []byte("...").
		_, line, _ := strings.Cut(strings.TrimSpace(string(data)), "\n")
		_, quoted, _ := strings.Cut(line, "(")
		s, err := strconv.Unquote(strings.TrimSuffix(quoted, ")"))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		add(s)
	}
	stmts, err := ParseScript(benchCorpus())
	if err != nil {
		t.Fatal(err)
	}
	// One round of the benchmark corpus is every shape it has.
	for i, st := range stmts[:20] {
		out["bench#"+strconv.Itoa(i)] = st
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		add("SELECT " + randTerm(r, 3, true) + " FROM t")
		add("INSERT INTO t (a) VALUES (" + randTerm(r, 3, false) + ")")
		add("UPDATE t SET a = " + randTerm(r, 3, false) + " WHERE k = " + randTerm(r, 2, false))
	}
	return out
}

// jsonSeeds are inputs whose text needs escaping in JSON: HTML characters,
// control characters, line and paragraph separators, invalid UTF-8.
var jsonSeeds = []string{
	`INSERT INTO t (a, b, c) VALUES ('<script>&amp;</script>', 'tab	and
newline', $$back\slash "quoted"$$)`,
	"INSERT INTO t (a) VALUES ('sep\u2028par\u2029 é 漢 🙂')",
	"INSERT INTO t (\"Col<&>\") VALUES ('bad \xff\xfe utf8 \xe2\x80')",
	"UPDATE \"T\u2028\" SET \"a\x01\" = 'ctl \x00\x1f\x7f' WHERE k = 1",
	"CREATE TABLE t (k int PRIMARY KEY) WITH comment = 'a < b && c > d'",
	"CREATE ROLE r WITH PASSWORD = '\"p\\w\"' AND LOGIN = true",
}

func TestAppendJSONCorpus(t *testing.T) {
	stmts := corpusStatements(t)
	if len(stmts) < 500 {
		t.Fatalf("only %d statements in the corpus", len(stmts))
	}
	kinds := map[Kind]bool{}
	for src, st := range stmts {
		kinds[st.Kind()] = true
		checkJSON(t, src, st)
	}
	if len(kinds) != len(allKinds) {
		t.Errorf("the corpus covers %d of %d statement kinds", len(kinds), len(allKinds))
	}
}

// BenchmarkJSON encodes one round of the benchmark corpus (a CREATE TYPE,
// a CREATE TABLE with options, ALTERs, indexes, a view, INSERTs and an
// UPDATE: what a migration file holds) per iteration.
//
//	go test ./engine/cql -run '^$' -bench JSON -count 5
func BenchmarkJSON(b *testing.B) {
	all, err := ParseScript(benchCorpus())
	if err != nil {
		b.Fatal(err)
	}
	stmts := all[:11]
	size := 0
	for _, st := range stmts {
		data, _ := json.Marshal(st)
		size += len(data)
	}
	b.Run("json.Marshal", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for _, st := range stmts {
				if _, err := json.Marshal(st); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("AppendJSON", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			for _, st := range stmts {
				buf = AppendJSON(buf[:0], st)
			}
		}
	})
}

// filler sets every field of an AST value, so that the comparison with the
// reference covers fields no parse case produces yet. Strings cycle
// through texts that need escaping; Term and Stmt fields cycle through
// every term and statement type.
type filler struct {
	t       *testing.T
	n       int  // counts values filled, to vary them
	empty   bool // leave slices empty but not nil, pointers nil, strings ""
	maxDeep int
}

var fillStrings = []string{
	"plain", "<b>&amp;</b>", `quote" back\slash`, "ctl\x00\x01\x1f\x7f\t\n\r\b\f",
	"sep\u2028par\u2029", "bad\xff\xfe\xe2\x80utf8", "é漢🙂", "UPPER case",
}

func (f *filler) fill(v reflect.Value, depth int) {
	f.n++
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(!f.empty)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if !f.empty {
			v.SetInt(int64(f.n*37%2001 - 1000))
		}
	case reflect.String:
		if !f.empty {
			v.SetString(fillStrings[f.n%len(fillStrings)])
		}
	case reflect.Pointer:
		if !f.empty {
			p := reflect.New(v.Type().Elem())
			f.fill(p.Elem(), depth)
			v.Set(p)
		}
	case reflect.Slice:
		n := 2
		if f.empty || depth >= f.maxDeep {
			n = 0
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			f.fill(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				f.fill(v.Field(i), depth)
			}
		}
	case reflect.Interface:
		if f.empty {
			return
		}
		var node reflect.Value
		switch v.Type() {
		case termType:
			tt := termTypes[f.n%len(termTypes)].t
			if depth >= f.maxDeep {
				tt = &Literal{}
			}
			node = reflect.New(reflect.TypeOf(tt).Elem())
		case stmtType:
			node = reflect.New(reflect.TypeOf(stmtTypes[allKinds[f.n%len(allKinds)]]).Elem())
			if depth >= f.maxDeep {
				node = reflect.ValueOf(&Use{})
			}
		default:
			f.t.Fatalf("filler: no values for interface %s", v.Type())
		}
		f.fill(node.Elem(), depth+1)
		v.Set(node)
	default:
		f.t.Fatalf("filler: no values for %s", v.Type())
	}
}

// TestAppendJSONEveryField encodes every statement type with every field
// set, recursively, with every field empty, and as a zero value.
func TestAppendJSONEveryField(t *testing.T) {
	for _, k := range allKinds {
		typ := reflect.TypeOf(stmtTypes[k]).Elem()
		checkJSON(t, string(k)+" zero", reflect.New(typ).Interface().(Stmt))
		empty := reflect.New(typ)
		(&filler{t: t, empty: true}).fill(empty.Elem(), 0)
		checkJSON(t, string(k)+" empty", empty.Interface().(Stmt))
		// Several fills per kind, so that each Term field meets several
		// term types.
		for seed := range len(termTypes) {
			full := reflect.New(typ)
			(&filler{t: t, n: seed, maxDeep: 3}).fill(full.Elem(), 0)
			checkJSON(t, string(k)+" full", full.Interface().(Stmt))
		}
	}
}

// TestAppendJSONFieldKinds covers what the AST may grow into: kinds and tag
// options no AST field uses yet are encoded as encoding/json encodes them,
// and what the encoder cannot match panics when its plan is built (which
// TestAppendJSONEveryField does for every AST type) instead of writing
// something else.
func TestAppendJSONFieldKinds(t *testing.T) {
	type inner struct {
		A int `json:"a,omitempty"`
	}
	type plain struct {
		U8       uint8  `json:"u8"`
		I8       int8   `json:"i8"`
		U        uint64 `json:"u,omitempty"`
		Skipped  string `json:"-"`
		unexp    string
		GoName   bool
		Flag     *bool          `json:"flag,omitempty"`
		FlagNull *bool          `json:"flag_null"`
		Zero     inner          `json:"zero,omitzero"`
		Set      inner          `json:"set,omitzero"`
		Empty    inner          `json:"empty"`
		Strs     []string       `json:"strs"`
		NoStrs   []string       `json:"no_strs,omitempty"`
		Nested   [][]inner      `json:"nested"`
		Any      any            `json:"any"`
		Names    []Ident        `json:"names"`
		Q        *QualifiedName `json:"q"`
	}
	yes := true
	v := &plain{
		U8: 255, I8: -128, U: 1 << 63, Skipped: "x", unexp: "y", GoName: true, Flag: &yes,
		Set: inner{A: 1}, Strs: []string{"<", ""}, Nested: [][]inner{{{A: 2}}, nil},
		Any: &Literal{Type: LitInteger, Text: "1"}, Names: []Ident{{Name: "a"}},
	}
	want, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	rv := reflect.ValueOf(v)
	if got := encoderOf(rv.Type()).append(nil, rv); !bytes.Equal(got, want) {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	type embedded struct{ inner }
	type withString struct {
		N int `json:"n,string"`
	}
	// Built at run time: go vet rejects the repeated tag in source.
	dup := reflect.StructOf([]reflect.StructField{
		{Name: "A", Type: reflect.TypeFor[int](), Tag: `json:"a"`},
		{Name: "B", Type: reflect.TypeFor[int](), Tag: `json:"a"`},
	})
	type oddName struct {
		A int `json:"a-b"`
	}
	for _, typ := range []reflect.Type{
		reflect.TypeFor[float64](), reflect.TypeFor[map[string]int](), reflect.TypeFor[[]byte](),
		reflect.TypeFor[[2]int](), reflect.TypeFor[json.RawMessage](), reflect.TypeFor[embedded](),
		reflect.TypeFor[withString](), dup, reflect.TypeFor[oddName](), reflect.TypeFor[hidingStmt](),
		reflect.TypeFor[unnamedTerm](),
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("building a plan for %s did not panic", typ)
				}
			}()
			encoderOf(typ)
		}()
	}
}

// TestAppendJSONStrings compares string escaping with encoding/json on every
// byte value and on the runes at the edges of each UTF-8 length.
func TestAppendJSONStrings(t *testing.T) {
	inputs := append([]string(nil), fillStrings...)
	for b := range 256 {
		inputs = append(inputs, "a"+string(rune(b))+"b", "a"+string([]byte{byte(b)})+"b")
	}
	for _, r := range []rune{0x7ff, 0x800, 0xfffd, 0xffff, 0x10000, 0x10ffff, 0x2027, 0x2028, 0x2029, 0x202a} {
		inputs = append(inputs, string(r), "x"+string(r)[:len(string(r))-1])
	}
	for _, s := range inputs {
		checkString(t, s)
	}
}

func checkString(t *testing.T, s string) {
	t.Helper()
	want, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if got := appendString(nil, s); !bytes.Equal(got, want) {
		t.Fatalf("appendString(%q) = %s, encoding/json writes %s", s, got, want)
	}
}

// FuzzAppendJSON parses the input and requires AppendJSON and json.Marshal
// to write the reference bytes; it also checks the string escaping on the
// raw input. Seeds: testdata/fuzz/FuzzAppendJSON (see TestFuzzCorpus).
func FuzzAppendJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, src string) {
		checkString(t, src)
		st, err := Parse(src)
		if err != nil {
			return
		}
		checkJSON(t, src, st)
	})
}

// hidingStmt is a statement with a member named like the one AppendJSON
// adds, which encoding/json would silently drop.
type hidingStmt struct {
	K string `json:"kind"`
}

func (*hidingStmt) Kind() Kind     { return "HIDING" }
func (*hidingStmt) Position() Pos  { return Pos{} }
func (*hidingStmt) String() string { return "HIDING" }

// unnamedTerm is a term missing from termNodes.
type unnamedTerm struct{}

func (*unnamedTerm) Position() Pos  { return Pos{} }
func (*unnamedTerm) String() string { return "" }
func (*unnamedTerm) term()          {}
