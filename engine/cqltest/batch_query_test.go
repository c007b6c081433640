package cqltest

import (
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// TestBatchAsQuery sends a CQL BEGIN BATCH ... APPLY BATCH as one QUERY, as
// a migration file holds it, and expects every statement in it applied.
func TestBatchAsQuery(t *testing.T) {
	s := newTarget(t, false).session(t)
	b := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+b+".kv (k int PRIMARY KEY, v text)")
	exec(t, s, "BEGIN BATCH INSERT INTO "+b+".kv (k, v) VALUES (1, 'one'); INSERT INTO "+b+".kv (k, v) VALUES (2, 'two'); UPDATE "+b+".kv SET v = 'uno' WHERE k = 1; APPLY BATCH")
	got := map[int]string{}
	iter := s.Query("SELECT k, v FROM " + b + ".kv").Iter()
	var k int
	var v string
	for iter.Scan(&k, &v) {
		got[k] = v
	}
	if err := iter.Close(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1] != "uno" || got[2] != "two" {
		t.Errorf("rows after the batch = %v, want map[1:uno 2:two]", got)
	}
	if err := s.Query("BEGIN BATCH INSERT INTO " + b + ".nope (k) VALUES (1); APPLY BATCH").Exec(); err == nil {
		t.Error("a batch writing to a missing table succeeded")
	}
}

// TestBatchMessageChecksEveryWrite sends writes to a system table and to a
// missing table as a BATCH message: each must be refused as the same write
// is alone, since Cassandra checks a batch's statements as it does single
// ones.
func TestBatchMessageChecksEveryWrite(t *testing.T) {
	s := newTarget(t, false).session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".kv (k int PRIMARY KEY, v text)")
	for _, bad := range []string{
		"INSERT INTO system.peers (peer) VALUES ('10.9.9.9')",
		"INSERT INTO " + ks + ".nope (k) VALUES (1)",
	} {
		alone := s.Query(bad).Exec()
		if alone == nil {
			t.Fatalf("%s alone succeeded", bad)
		}
		b := s.Batch(gocql.LoggedBatch)
		b.Query("INSERT INTO " + ks + ".kv (k, v) VALUES (1, 'one')")
		b.Query(bad)
		err := s.ExecuteBatch(b)
		if err == nil || err.Error() != alone.Error() {
			t.Errorf("%s in a BATCH message: %v, want %v", bad, err, alone)
		}
	}
	var n int
	if err := s.Query("SELECT count(*) FROM " + ks + ".kv").Scan(&n); err != nil || n != 0 {
		t.Errorf("rows after refused batches = %d (%v), want 0", n, err)
	}
}
