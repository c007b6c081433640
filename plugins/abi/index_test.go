package abi

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// indexed reads data with IndexedValue, requiring it to be the whole
// document.
func indexed(t testing.TB, data string) Value {
	t.Helper()
	r := NewReader([]byte(data))
	v := r.IndexedValue()
	if err := r.Finish(); err != nil {
		t.Fatalf("IndexedValue(%s): %v", data, err)
	}
	return v
}

// sameLookups fails when a lookup on the indexed value answers other than
// the same lookup on the same text without an index, at every depth.
func sameLookups(t testing.TB, got, want Value, path string) {
	t.Helper()
	if string(got.JSON()) != string(want.JSON()) || got.Kind() != want.Kind() {
		t.Fatalf("%s: indexed %s (%v), scanned %s (%v)", path, got.JSON(), got.Kind(), want.JSON(), want.Kind())
	}
	if got.Len() != want.Len() {
		t.Fatalf("%s: Len %d, scanned %d", path, got.Len(), want.Len())
	}
	gi, wi := got.Items(), want.Items()
	if (gi == nil) != (wi == nil) || len(gi) != len(wi) {
		t.Fatalf("%s: Items %v, scanned %v", path, gi, wi)
	}
	for i := range gi {
		sameLookups(t, gi[i], wi[i], path+"["+string(rune('0'+i%10))+"]")
		sameLookups(t, got.Index(i), want.Index(i), path+".Index")
	}
	if !got.Index(len(gi)).IsNull() || !got.Index(-1).IsNull() {
		t.Fatalf("%s: Index out of range is not null", path)
	}
	gm, wm := got.Members(), want.Members()
	if (gm == nil) != (wm == nil) || len(gm) != len(wm) {
		t.Fatalf("%s: Members %v, scanned %v", path, gm, wm)
	}
	for i := range gm {
		if gm[i].Key != wm[i].Key {
			t.Fatalf("%s: member %d named %q, scanned %q", path, i, gm[i].Key, wm[i].Key)
		}
		sameLookups(t, gm[i].Value, wm[i].Value, path+"."+gm[i].Key)
		if got.Has(gm[i].Key) != want.Has(gm[i].Key) {
			t.Fatalf("%s: Has(%q) differs", path, gm[i].Key)
		}
		sameLookups(t, got.Get(gm[i].Key), want.Get(gm[i].Key), path+".Get("+gm[i].Key+")")
	}
	for _, k := range []string{"", "a", "missing", "x\"y"} {
		if got.Has(k) != want.Has(k) {
			t.Fatalf("%s: Has(%q) = %v, scanned %v", path, k, got.Has(k), want.Has(k))
		}
		if g, w := got.Get(k), want.Get(k); string(g.JSON()) != string(w.JSON()) {
			t.Fatalf("%s: Get(%q) = %s, scanned %s", path, k, g.JSON(), w.JSON())
		}
	}
	if got.Str() != want.Str() || got.Equal(want) != want.Equal(want) || got.Equal(got) != want.Equal(want) {
		t.Fatalf("%s: Str or Equal differ", path)
	}
}

var indexDocs = []string{
	`{}`, `[]`, `[[]]`, `{"":{}}`, `[null]`, `{"a":null}`, `[1,-2.5e3,true,false,null,"s"]`,
	`{"a":"x\"y{[","b":[1,"]",{"c":"\\"}],"long key with spaces and more than sixteen bytes":"and a value that is long enough to need several eight byte steps"}`,
	`[{"k":"\u00e9"},{"k":"ab\\"},[],{}]`,
	` { "sp" : [ 1 , 2 ] , "t" : true , "n" : null } `,
	`{"esc\u0061ped":1,"a":2,"x\"y":3,"dup":1,"dup":2}`,
	`{"kind":"CREATE TABLE","name":{"keyspace":{"name":"shop"},"name":{"name":"t1","pos":{"offset":18,"line":1,"column":19}}},"columns":[{"name":{"name":"id"},"type":{"name":"uuid"},"primary_key":true}],"options":[]}`,
	`{"a":[[[[[{"b":[{"c":{}}]}]]]]],"d":"}"}`,
}

func TestIndexedLookupsMatchScanning(t *testing.T) {
	for _, d := range indexDocs {
		sameLookups(t, indexed(t, d), RawValue([]byte(d)), "$")
	}
}

func TestIndexedDeepNesting(t *testing.T) {
	// Deeper than the Reader's nesting limit: the index is built without
	// recursion, so it neither fails nor exhausts a guest's stack.
	const depth = 5000
	doc := strings.Repeat(`{"a":[`, depth) + `"leaf"` + strings.Repeat(`]}`, depth)
	v := indexed(t, doc)
	for range depth {
		v = v.Get("a").Index(0)
	}
	if v.Str() != "leaf" {
		t.Fatalf("leaf = %s", v.JSON())
	}
}

func TestIndexedValueRejects(t *testing.T) {
	for _, d := range []string{
		`{`, `[`, `{"a":1`, `[1,2`, `{"a"}`, `{"a" 1}`, `{"a":1 "b":2}`, `{1:2}`, `[1}`, `{"a":]`,
		`{"a":"unterminated}`, `["\"]`, `[1 2]`, `{"a":{"b":[}}`, `{"a":}`, `[,]`,
	} {
		r := NewReader([]byte(d))
		if v := r.IndexedValue(); r.Err() == nil {
			t.Errorf("IndexedValue(%s) = %s, want an error", d, v.JSON())
		}
	}
}

// TestIndexedValuesShareAReader reads several indexed values from one
// document, as the SDK reads the statements of a request: the values read
// before a malformed one keep their lookups.
func TestIndexedValuesShareAReader(t *testing.T) {
	doc := `[{"a":{"b":1}},"s",null,{"a":{"b":2}},[3,{"c":[4]}],{"a":{"b":}}]`
	r := NewReader([]byte(doc))
	var got []Value
	for it := r.Array(); it.Next(); {
		got = append(got, r.IndexedValue())
	}
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "expected a value") {
		t.Fatalf("error %v, want one about the last element", err)
	}
	if len(got) != 6 || got[0].Path("a", "b").Str() != "1" || got[3].Path("a", "b").Str() != "2" || got[1].Str() != "s" ||
		!got[2].IsNull() || got[4].Index(1).Get("c").Index(0).Str() != "4" || !got[5].IsNull() {
		t.Errorf("values %v", got)
	}
}

// TestIndexOutgrowsItsGuess reads values with far more members per byte
// than the Reader guesses when it makes room for indexes: the storage
// moves while values read before it keep theirs.
func TestIndexOutgrowsItsGuess(t *testing.T) {
	var doc strings.Builder
	doc.WriteString("[")
	for v := range 40 {
		if v > 0 {
			doc.WriteString(",")
		}
		doc.WriteString(`{"v":[`)
		for i := range 10 * v {
			if i > 0 {
				doc.WriteString(",")
			}
			doc.WriteString(string(rune('0' + v%10)))
		}
		doc.WriteString(`]}`)
	}
	doc.WriteString("]")
	r := NewReader([]byte(doc.String()))
	var got []Value
	for it := r.Array(); it.Next(); {
		got = append(got, r.IndexedValue())
	}
	if err := r.Finish(); err != nil {
		t.Fatal(err)
	}
	for v, val := range got {
		items := val.Get("v")
		if items.Len() != 10*v {
			t.Fatalf("value %d has %d items, want %d", v, items.Len(), 10*v)
		}
		if v > 0 && (items.Index(10*v-1).Str() != string(rune('0'+v%10)) || !items.Index(10*v).IsNull()) {
			t.Fatalf("value %d: last item %s", v, items.Index(10*v-1).JSON())
		}
	}
}

// FuzzIndexedValue checks that IndexedValue accepts every valid document,
// ends where RawFast ends, and that lookups on what it returns answer as
// the same lookups without an index; and that nothing panics on any input.
func FuzzIndexedValue(f *testing.F) {
	for _, d := range indexDocs {
		f.Add([]byte(d))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(data)
		v := r.IndexedValue()
		walk(v, 0) // must not panic on any input
		if r.Err() != nil {
			if json.Valid(data) {
				t.Fatalf("IndexedValue(%q): %v, but it is valid JSON", data, r.Err())
			}
			return
		}
		if !json.Valid(data) {
			return // lenient on numbers and literals: lookups mean nothing
		}
		fast := NewReader(data)
		raw := fast.RawFast()
		if fast.Err() != nil || fast.pos != r.pos {
			t.Fatalf("IndexedValue(%q) ends at %d, RawFast at %d (%v)", data, r.pos, fast.pos, fast.Err())
		}
		sameLookups(t, v, RawValue(raw), "$")
		if !reflect.DeepEqual(toAny(v), toAny(RawValue(raw))) {
			t.Fatalf("%q navigated differently with an index", data)
		}
	})
}
