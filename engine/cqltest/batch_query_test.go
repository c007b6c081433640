package cqltest

import (
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// TestBatchAsQuery sends a CQL BEGIN BATCH ... APPLY BATCH as one QUERY, as
// a migration file holds it, and expects every statement in it applied.
func TestBatchAsQuery(t *testing.T) {
	c := NewCluster(t)
	cfg := gocql.NewCluster(c.Hosts()...)
	cfg.Port = c.Port()
	s, err := cfg.CreateSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{
		"CREATE KEYSPACE b WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
		"CREATE TABLE b.kv (k int PRIMARY KEY, v text)",
		"BEGIN BATCH INSERT INTO b.kv (k, v) VALUES (1, 'one'); INSERT INTO b.kv (k, v) VALUES (2, 'two'); UPDATE b.kv SET v = 'uno' WHERE k = 1; APPLY BATCH",
	} {
		if err := s.Query(q).Exec(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	got := map[int]string{}
	iter := s.Query("SELECT k, v FROM b.kv").Iter()
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
	err = s.Query("BEGIN BATCH INSERT INTO b.nope (k) VALUES (1); APPLY BATCH").Exec()
	if err == nil {
		t.Error("a batch writing to a missing table succeeded")
	}
}

// TestBatchMessageChecksEveryWrite sends writes to a system table and to a
// missing table as a BATCH message: each must be refused as the same write
// is alone, since Cassandra checks a batch's statements as it does single
// ones.
func TestBatchMessageChecksEveryWrite(t *testing.T) {
	c := NewCluster(t)
	cfg := gocql.NewCluster(c.Hosts()...)
	cfg.Port = c.Port()
	s, err := cfg.CreateSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{
		"CREATE KEYSPACE b WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
		"CREATE TABLE b.kv (k int PRIMARY KEY, v text)",
	} {
		if err := s.Query(q).Exec(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, bad := range []string{
		"INSERT INTO system.peers (peer) VALUES ('10.9.9.9')",
		"INSERT INTO b.nope (k) VALUES (1)",
	} {
		alone := s.Query(bad).Exec()
		if alone == nil {
			t.Fatalf("%s alone succeeded", bad)
		}
		b := s.Batch(gocql.LoggedBatch)
		b.Query("INSERT INTO b.kv (k, v) VALUES (1, 'one')")
		b.Query(bad)
		err := s.ExecuteBatch(b)
		if err == nil || err.Error() != alone.Error() {
			t.Errorf("%s in a BATCH message: %v, want %v", bad, err, alone)
		}
	}
	var n int
	if err := s.Query("SELECT count(*) FROM b.kv").Scan(&n); err != nil || n != 0 {
		t.Errorf("rows after refused batches = %d (%v), want 0", n, err)
	}
}
