package cqltest

import (
	"testing"

	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
)

// FuzzServerStatements sends arbitrary statement texts to a running node:
// every one must get an answer (a result or an error frame, never a server
// error, which means an internal failure) on its stream,
// and the node must keep serving afterwards.
func FuzzServerStatements(f *testing.F) {
	for _, s := range []string{
		"SELECT * FROM system.local WHERE key = 'local'",
		"CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
		"CREATE TABLE ks.t (k int PRIMARY KEY, v list<text>)",
		"INSERT INTO ks.t (k, v) VALUES (1, ['a']) IF NOT EXISTS",
		"UPDATE ks.t SET v = v + ['b'] WHERE k = 1 IF v = ['a']",
		"SELECT v FROM ks.t WHERE k IN (1, 2) ORDER BY k DESC LIMIT 1",
		"BEGIN BATCH INSERT INTO ks.t (k) VALUES (2); DELETE FROM ks.t WHERE k = 1; APPLY BATCH",
		"DROP TABLE ks.t",
		"SELEC",
	} {
		f.Add(s)
	}
	c := NewCluster(f)
	r := dialRawTB(f, c.Node(1).Addr())
	r.startup()
	f.Fuzz(func(t *testing.T, stmt string) {
		r.t = t
		f := r.query(9, stmt)
		if f.Header.Stream != 9 || (f.Header.Opcode != wire.OpResult && f.Header.Opcode != wire.OpError) {
			t.Fatalf("answer %+v to %q", f.Header, stmt)
		}
		if f.Header.Opcode == wire.OpError {
			if e, _ := wire.DecodeError(f.Body); e.Code == 0 {
				t.Fatalf("server error for %q: %s", stmt, e.Message)
			}
		}
		if f := r.query(10, "SELECT key FROM system.local"); f.Header.Opcode != wire.OpResult {
			t.Fatalf("the node stopped serving after %q", stmt)
		}
	})
}
