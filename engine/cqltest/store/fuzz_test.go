package store

import (
	"bytes"
	"context"
	"testing"

	"github.com/cqltrack/cqltrack/engine/cql"
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

// FuzzExecute runs arbitrary statements against a small schema: whatever
// parses must execute or fail with an error, never panic.
func FuzzExecute(f *testing.F) {
	seeds := []string{
		"INSERT INTO t (k, c, v, l, m, s) VALUES (1, 2, 'x', [1], {'a': 1}, 3) USING TTL 5",
		"UPDATE t SET l = l + [2], m['b'] = 2 WHERE k = 1 AND c = 2 IF v = 'x'",
		"UPDATE t SET l[0] = 9 WHERE k = 1 AND c = 2",
		"DELETE l[0], m['a'] FROM t WHERE k = 1 AND c IN (2, 3)",
		"DELETE FROM t WHERE k = 1 AND c > 1",
		"SELECT k, c, writetime(v), ttl(v), count(*) FROM t WHERE k IN (1, 2) AND c >= 0 ORDER BY c DESC LIMIT 3",
		"SELECT * FROM t WHERE token(k) > 0 AND v = 'x' ALLOW FILTERING",
		"SELECT DISTINCT k, s FROM t LIMIT 1",
		"SELECT k, c FROM t PER PARTITION LIMIT 1",
		"BEGIN BATCH INSERT INTO t (k, c) VALUES (1, 1) IF NOT EXISTS; UPDATE t SET v = 'y' WHERE k = 1 AND c = 1; APPLY BATCH",
		"INSERT INTO t JSON '{\"k\": 3, \"c\": 4, \"l\": [1, 2]}'",
		"SELECT JSON * FROM t WHERE k = 3 AND (c) IN ((4), (5))",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	fx := newFixture(f, "CREATE TABLE ks.t (k int, c int, v text, l list<int>, m map<text, int>, s int static, PRIMARY KEY (k, c))")
	table := fx.table("t")
	f.Fuzz(func(t *testing.T, text string) {
		stmt, err := cql.Parse(text)
		if err != nil {
			return
		}
		switch stmt.(type) {
		case *cql.Insert, *cql.Update, *cql.Delete, *cql.Select, *cql.Batch:
		default:
			return
		}
		_, _ = fx.st.Execute(context.Background(), stmt, table, nil, ExecOptions{PageSize: 2})
	})
}
