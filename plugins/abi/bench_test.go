package abi

import (
	"testing"
)

var benchDoc = []byte(`{"kind":"CREATE TABLE","name":{"keyspace":{"name":"shop","pos":{"offset":13,"line":1,"column":14}},"name":{"name":"t1","pos":{"offset":18,"line":1,"column":19}}},"columns":[{"name":{"name":"id","pos":{"offset":22,"line":1,"column":23}},"type":{"name":"uuid"},"primary_key":true},{"name":{"name":"v","pos":{"offset":43,"line":1,"column":44}},"type":{"name":"text"}}],"partition_key":[{"name":"id","pos":{"offset":22,"line":1,"column":23}}],"options":[{"name":"comment","value":{"node":"literal","type":"string","text":"x","pos":{"offset":68,"line":1,"column":69}},"pos":{"offset":58,"line":1,"column":59}}],"pos":{"offset":0,"line":1,"column":1}}`)

func BenchmarkParseValue(b *testing.B) {
	b.SetBytes(int64(len(benchDoc)))
	for b.Loop() {
		if _, err := ParseValue(benchDoc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSkip(b *testing.B) {
	b.SetBytes(int64(len(benchDoc)))
	for b.Loop() {
		r := NewReader(benchDoc)
		r.Skip()
		if r.Finish() != nil {
			b.Fatal(r.Err())
		}
	}
}

// BenchmarkIndexedValue is what indexing a statement's AST costs, next to
// BenchmarkSkip (crossing it, validated, without an index).
func BenchmarkIndexedValue(b *testing.B) {
	b.SetBytes(int64(len(benchDoc)))
	for b.Loop() {
		r := NewReader(benchDoc)
		r.IndexedValue()
		if r.Finish() != nil {
			b.Fatal(r.Err())
		}
	}
}

// BenchmarkLookups follows the paths a rule reads, on the AST indexed and
// scanned.
func BenchmarkLookups(b *testing.B) {
	r := NewReader(benchDoc)
	indexed := r.IndexedValue()
	for _, bench := range []struct {
		name string
		v    Value
	}{{"indexed", indexed}, {"scanned", RawValue(benchDoc)}} {
		b.Run(bench.name, func(b *testing.B) {
			v := bench.v
			for b.Loop() {
				if v.Path("name", "name", "name").Str() != "t1" || v.Get("options").Index(0).Path("value", "text").Str() != "x" ||
					v.Get("columns").Len() != 2 || v.Path("pos", "line").Str() != "1" {
					b.Fatal("lookup failed")
				}
			}
		})
	}
}
