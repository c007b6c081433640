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
