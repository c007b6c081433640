package cqltest

import (
	"errors"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
)

const casCommitSerialMsg = ` is not supported as conditional update commit consistency. Use ANY if you mean "make sure it is accepted but I don't care how many replicas commit it for non-SERIAL reads"`

// wantInvalid checks that err is Cassandra's Invalid (0x2200) with msg.
func wantInvalid(t *testing.T, what string, err error, msg string) {
	t.Helper()
	var re gocql.RequestError
	if !errors.As(err, &re) || re.Code() != gocql.ErrCodeInvalid || re.Message() != msg {
		t.Errorf("%s: %v, want Invalid %q", what, err, msg)
	}
}

// TestConsistencyLevelsCassandraRefuses sends statements at the levels
// Cassandra's ConsistencyLevel and StorageProxy refuse for them, and at
// the levels they accept.
func TestConsistencyLevelsCassandraRefuses(t *testing.T) {
	s := newTarget(t, false).session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".l (lock_id text PRIMARY KEY, owner text)")
	exec(t, s, "CREATE TABLE "+ks+".c (k int PRIMARY KEY, n counter)")
	exec(t, s, "INSERT INTO "+ks+".l (lock_id, owner) VALUES ('a', 'x')")

	refused := []struct {
		what, stmt string
		cl         gocql.Consistency
		msg        string
	}{
		{"read at ANY", "SELECT * FROM " + ks + ".l WHERE lock_id = 'a'", gocql.Any,
			"ANY ConsistencyLevel is only supported for writes"},
		{"system read at ANY", "SELECT release_version FROM system.local", gocql.Any,
			"ANY ConsistencyLevel is only supported for writes"},
		{"serial read of two partitions", "SELECT * FROM " + ks + ".l WHERE lock_id IN ('a', 'b')", gocql.Serial,
			"SERIAL/LOCAL_SERIAL consistency may only be requested for one partition at a time"},
		{"local serial read of two partitions", "SELECT * FROM " + ks + ".l WHERE lock_id IN ('a', 'b')", gocql.LocalSerial,
			"SERIAL/LOCAL_SERIAL consistency may only be requested for one partition at a time"},
		{"plain INSERT at SERIAL", "INSERT INTO " + ks + ".l (lock_id, owner) VALUES ('b', 'x')", gocql.Serial,
			"You must use conditional updates for serializable writes"},
		{"plain UPDATE at LOCAL_SERIAL", "UPDATE " + ks + ".l SET owner = 'y' WHERE lock_id = 'a'", gocql.LocalSerial,
			"You must use conditional updates for serializable writes"},
		{"plain DELETE at SERIAL", "DELETE FROM " + ks + ".l WHERE lock_id = 'a'", gocql.Serial,
			"You must use conditional updates for serializable writes"},
		{"counter at ANY", "UPDATE " + ks + ".c SET n = n + 1 WHERE k = 1", gocql.Any,
			"Consistency level ANY is not yet supported for counter table c"},
		{"counter at SERIAL", "UPDATE " + ks + ".c SET n = n + 1 WHERE k = 1", gocql.Serial,
			"Counter operations are inherently non-serializable"},
		{"LWT committed at SERIAL", "INSERT INTO " + ks + ".l (lock_id, owner) VALUES ('b', 'x') IF NOT EXISTS", gocql.Serial,
			"SERIAL" + casCommitSerialMsg},
		{"LWT committed at LOCAL_SERIAL", "UPDATE " + ks + ".l SET owner = 'y' WHERE lock_id = 'a' IF owner = 'x'", gocql.LocalSerial,
			"LOCAL_SERIAL" + casCommitSerialMsg},
	}
	for _, c := range refused {
		wantInvalid(t, c.what, s.Query(c.stmt).Consistency(c.cl).Exec(), c.msg)
	}
	var owner string
	if err := s.Query("SELECT owner FROM " + ks + ".l WHERE lock_id = 'a'").Scan(&owner); err != nil || owner != "x" {
		t.Errorf("row after the refused writes: owner %q (%v), want x", owner, err)
	}

	accepted := []struct {
		what, stmt string
		cl         gocql.Consistency
	}{
		{"plain write at ANY", "INSERT INTO " + ks + ".l (lock_id, owner) VALUES ('c', 'x')", gocql.Any},
		{"LWT committed at ANY", "INSERT INTO " + ks + ".l (lock_id, owner) VALUES ('d', 'x') IF NOT EXISTS", gocql.Any},
		{"serial read of one partition", "SELECT * FROM " + ks + ".l WHERE lock_id = 'a'", gocql.Serial},
		{"serial read of one partition named twice", "SELECT * FROM " + ks + ".l WHERE lock_id IN ('a', 'a')", gocql.LocalSerial},
		// A read without a partition key is a range read: Cassandra runs
		// it without Paxos and does not refuse SERIAL.
		{"serial range read", "SELECT * FROM " + ks + ".l", gocql.Serial},
		{"DDL at ANY", "CREATE TABLE " + ks + ".ddl_any (k int PRIMARY KEY)", gocql.Any},
		{"DDL at SERIAL", "ALTER TABLE " + ks + ".ddl_any ADD v int", gocql.Serial},
		{"TRUNCATE at SERIAL", "TRUNCATE " + ks + ".ddl_any", gocql.Serial},
	}
	for _, c := range accepted {
		if err := s.Query(c.stmt).Consistency(c.cl).Exec(); err != nil {
			t.Errorf("%s: %v", c.what, err)
		}
	}
}

// TestConsistencyOfBatches checks batches as BatchStatement does: a
// conditional batch goes through StorageProxy.cas and has both levels
// checked; one without conditions has neither checked.
func TestConsistencyOfBatches(t *testing.T) {
	s := newTarget(t, false).session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".kv (k int, c int, v text, PRIMARY KEY (k, c))")

	b := s.Batch(gocql.LoggedBatch).Consistency(gocql.Serial)
	b.Query("INSERT INTO " + ks + ".kv (k, c, v) VALUES (1, 1, 'a') IF NOT EXISTS")
	b.Query("INSERT INTO " + ks + ".kv (k, c, v) VALUES (1, 2, 'b') IF NOT EXISTS")
	wantInvalid(t, "conditional BATCH message at SERIAL", s.ExecuteBatch(b), "SERIAL"+casCommitSerialMsg)

	lwt := "BEGIN BATCH INSERT INTO " + ks + ".kv (k, c, v) VALUES (1, 1, 'a') IF NOT EXISTS; APPLY BATCH"
	wantInvalid(t, "conditional CQL batch at LOCAL_SERIAL", s.Query(lwt).Consistency(gocql.LocalSerial).Exec(),
		"LOCAL_SERIAL"+casCommitSerialMsg)
	if err := s.Query(lwt).Consistency(gocql.Quorum).SerialConsistency(gocql.LocalSerial).Exec(); err != nil {
		t.Errorf("conditional CQL batch at QUORUM / LOCAL_SERIAL: %v", err)
	}

	plain := s.Batch(gocql.UnloggedBatch).Consistency(gocql.Serial)
	plain.Query("INSERT INTO " + ks + ".kv (k, c, v) VALUES (2, 1, 'a')")
	if err := s.ExecuteBatch(plain); err != nil {
		t.Errorf("BATCH message without conditions at SERIAL: %v", err)
	}
}

// TestSerialConsistencyMustBeSerial sends a conditional update whose serial
// consistency is ONE, which gocql will not send: Cassandra's validateForCas
// refuses it, and ignores the serial consistency of other statements.
func TestSerialConsistencyMustBeSerial(t *testing.T) {
	tg := newTarget(t, true)
	s := tg.session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".l (k int PRIMARY KEY, v int)")

	r := dialRaw(t, tg.c.Node(1).Addr())
	r.startup()
	send := func(q string) wire.Frame {
		r.send(4, 2, wire.OpQuery, wire.EncodeQuery(wire.Query{Query: q,
			Params: wire.QueryParams{Consistency: wire.Quorum, SerialConsistency: wire.One}}))
		return r.recv()
	}
	e := frameError(t, send("INSERT INTO "+ks+".l (k, v) VALUES (1, 1) IF NOT EXISTS"))
	if e.Code != wire.CodeInvalid || e.Message != "Invalid consistency for conditional update. Must be one of SERIAL or LOCAL_SERIAL" {
		t.Errorf("LWT with serial consistency ONE: %#x %q", e.Code, e.Message)
	}
	if f := send("INSERT INTO " + ks + ".l (k, v) VALUES (1, 1)"); f.Header.Opcode != wire.OpResult {
		t.Errorf("plain write with serial consistency ONE answered %s", f.Header.Opcode)
	}
}
