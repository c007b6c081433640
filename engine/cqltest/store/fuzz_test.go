package store

import (
	"bytes"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the decoder of every type shape: it
// must never panic, and whatever it accepts must encode back to a value
// that decodes the same.
func FuzzDecode(f *testing.F) {
	types := []string{
		"int", "bigint", "text", "ascii", "boolean", "double", "float", "decimal", "varint",
		"uuid", "timeuuid", "timestamp", "date", "time", "duration", "inet", "blob", "smallint", "tinyint",
		"list<int>", "set<text>", "map<text, frozen<list<int>>>", "tuple<int, text, boolean>",
		"vector<float, 3>", "vector<text, 2>",
	}
	f.Add(uint8(0), []byte{0, 0, 0, 1})
	f.Add(uint8(8), []byte{0xff, 0x7f})
	f.Add(uint8(19), []byte{0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 7})
	f.Add(uint8(22), []byte{0, 0, 0, 4, 0, 0, 0, 7, 0, 0, 0, 1, 'x', 0, 0, 0, 1, 1})
	f.Add(uint8(14), []byte{0xf1, 0x65, 0xa0, 0xbc, 0x00})
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		typ := parseType(t, types[int(which)%len(types)])
		v, err := Decode(typ, data)
		if err != nil || v == nil {
			return
		}
		enc, err := Encode(typ, v)
		if err != nil {
			t.Fatalf("%s: decoded %#v from %x but cannot encode it: %v", typ, v, data, err)
		}
		back, err := Decode(typ, enc)
		if err != nil {
			t.Fatalf("%s: re-decode of %x: %v", typ, enc, err)
		}
		again, _ := Encode(typ, back)
		if !bytes.Equal(enc, again) {
			t.Fatalf("%s: unstable encoding %x then %x", typ, enc, again)
		}
	})
}
