package cqltest

import (
	"errors"
	"strings"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// TestReleaseGatedSyntax sends what arrived in Cassandra 4.1 (IF EXISTS
// and IF NOT EXISTS on ALTER statements, IF col CONTAINS conditions) and
// 5.0 (storage-attached indexes) to each release line: older lines refuse
// it as their parser or their class loader does.
func TestReleaseGatedSyntax(t *testing.T) {
	const ks = "gate"
	setup := []string{
		"CREATE KEYSPACE " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
		"CREATE TABLE " + ks + ".t (k int PRIMARY KEY, v int, s set<int>, m map<int, int>)",
		"CREATE TYPE " + ks + ".ty (a int)",
	}
	gated := []struct {
		stmt, since string
		code        int
		msg         string // the message before 4.1 (or 5.0)
	}{
		{"ALTER TABLE IF EXISTS gate.nope ADD x int", "4.1", gocql.ErrCodeSyntax,
			"line 1:12 no viable alternative at input 'IF' (ALTER TABLE [IF] EXISTS gate...)"},
		{"ALTER TABLE gate.t ADD IF NOT EXISTS v int", "4.1", gocql.ErrCodeSyntax,
			"line 1:23 no viable alternative at input 'IF' (ALTER TABLE gate . t ADD [IF] NOT EXISTS...)"},
		{"ALTER TABLE gate.t DROP IF EXISTS nope", "4.1", gocql.ErrCodeSyntax,
			"line 1:24 no viable alternative at input 'IF' (ALTER TABLE gate . t DROP [IF] EXISTS nope)"},
		{"ALTER TABLE gate.t RENAME IF EXISTS nope TO other", "4.1", gocql.ErrCodeSyntax, ""},
		{"ALTER KEYSPACE IF EXISTS nope WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}", "4.1", gocql.ErrCodeSyntax,
			"line 1:15 no viable alternative at input 'IF' (ALTER KEYSPACE [IF] EXISTS nope...)"},
		{"ALTER TYPE IF EXISTS gate.nope ADD b int", "4.1", gocql.ErrCodeSyntax, ""},
		{"ALTER TYPE gate.ty ADD IF NOT EXISTS a int", "4.1", gocql.ErrCodeSyntax, ""},
		{"ALTER TYPE gate.ty RENAME IF EXISTS nope TO b", "4.1", gocql.ErrCodeSyntax, ""},
		{"UPDATE gate.t SET v = 1 WHERE k = 1 IF s CONTAINS 1", "4.1", gocql.ErrCodeSyntax,
			"line 1:41 no viable alternative at input 'CONTAINS' (SET v = 1 WHERE k = 1 IF s [CONTAINS] 1)"},
		{"DELETE FROM gate.t WHERE k = 1 IF m CONTAINS KEY 1", "4.1", gocql.ErrCodeSyntax, ""},
		{"CREATE INDEX ON gate.t (v) USING 'sai'", "5.0", gocql.ErrCodeConfig,
			"Unable to find custom indexer class 'sai'"},
		{"CREATE INDEX ON gate.t (v) USING 'StorageAttachedIndex'", "5.0", gocql.ErrCodeConfig,
			"Unable to find custom indexer class 'StorageAttachedIndex'"},
	}
	for _, rel := range []string{"3.11.17", "4.0.13", "4.1.7", "5.0.4"} {
		t.Run(rel, func(t *testing.T) {
			tg := newTarget(t, true, WithReleaseVersion(rel))
			s := tg.session(t)
			for _, q := range setup {
				exec(t, s, q)
			}
			for _, g := range gated {
				err := s.Query(g.stmt).Exec()
				if rel >= g.since {
					var re gocql.RequestError
					if errors.As(err, &re) && (re.Code() == gocql.ErrCodeSyntax || strings.HasPrefix(re.Message(), "Unable to find")) {
						t.Errorf("%s on %s: %v", g.stmt, rel, err)
					}
					continue
				}
				var re gocql.RequestError
				if !errors.As(err, &re) || re.Code() != g.code || g.msg != "" && re.Message() != g.msg {
					t.Errorf("%s on %s: %v, want code %#x %q", g.stmt, rel, err, g.code, g.msg)
				}
			}
		})
	}
}
