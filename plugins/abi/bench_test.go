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
