package history_test

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/cluster/clustertest"
	"github.com/cqltrack/cqltrack/engine/history"
)

func setup(t *testing.T) (*cluster.Session, string, *history.Store) {
	t.Helper()
	tg := clustertest.New(t)
	s := tg.Connect(t, nil)
	ks := clustertest.Keyspace(t, s)
	if err := history.EnsureSchema(context.Background(), s, ks); err != nil {
		t.Fatal(err)
	}
	return s, ks, history.New(s, ks)
}

func columns(t *testing.T, s *cluster.Session, ks, table string) map[string]string {
	t.Helper()
	iter := s.Query(context.Background(), "SELECT column_name, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?", ks, table).Iter()
	out := map[string]string{}
	var n, typ string
	for iter.Scan(&n, &typ) {
		out[n] = typ
	}
	if err := iter.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

func schemaVersion(t *testing.T, s *cluster.Session) string {
	t.Helper()
	nodes, err := s.SchemaVersions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return nodes[0].SchemaVersion
}

func TestEnsureSchemaTwiceChangesNothing(t *testing.T) {
	s, ks, _ := setup(t)
	hist := columns(t, s, ks, history.HistoryTable)
	for _, c := range []string{"version int", "checksum text", "status text", "exec_time_ms int", "kind text",
		"statements_total int", "statements_applied int", "statement_checksums list<text>", "error text"} {
		name, typ, _ := strings.Cut(c, " ")
		if hist[name] != typ {
			t.Errorf("%s.%s column %s is %q, want %s", ks, history.HistoryTable, name, hist[name], typ)
		}
	}
	if ev := columns(t, s, ks, history.EventsTable); ev["event_id"] != "timeuuid" || ev["log"] != "text" {
		t.Errorf("%s columns %v: want log text, event_id timeuuid", history.EventsTable, ev)
	}
	before := schemaVersion(t, s)
	if err := history.EnsureSchema(context.Background(), s, ks); err != nil {
		t.Fatal(err)
	}
	if after := schemaVersion(t, s); after != before {
		t.Errorf("second EnsureSchema changed the schema version %s -> %s", before, after)
	}
}

func TestEnsureSchemaRefusesAForeignTable(t *testing.T) {
	tg := clustertest.New(t)
	s := tg.Connect(t, nil)
	ks := clustertest.Keyspace(t, s)
	ctx := context.Background()
	if err := s.ExecDDL(ctx, "CREATE TABLE "+ks+".cqltrack_history (version text PRIMARY KEY, status text)"); err != nil {
		t.Fatal(err)
	}
	err := history.EnsureSchema(ctx, s, ks)
	if err == nil || !strings.Contains(err.Error(), "column version is text, cqltrack needs int") {
		t.Fatalf("EnsureSchema on a foreign table: %v", err)
	}
}

// TestAdoptsCqlTrack1Keyspace starts from the tables and rows cql-track 1.x
// leaves behind.
func TestAdoptsCqlTrack1Keyspace(t *testing.T) {
	tg := clustertest.New(t)
	s := tg.Connect(t, nil)
	ks := clustertest.Keyspace(t, s)
	ctx := context.Background()
	for _, stmt := range []string{
		"CREATE TABLE " + ks + ".cqltrack_history (version int PRIMARY KEY, description text, checksum text, status text, applied_at timestamp, applied_by text, exec_time_ms int)",
		"CREATE TABLE " + ks + ".cqltrack_lock (lock_id text PRIMARY KEY, owner text, acquired_at timestamp)",
	} {
		if err := s.ExecDDL(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	for v, desc := range map[int]string{1: "create users", 2: "add email"} {
		if err := s.Exec(ctx, "INSERT INTO "+ks+".cqltrack_history (version, description, checksum, status, applied_at, applied_by, exec_time_ms) VALUES (?, ?, ?, 'success', ?, 'ci', 120)",
			v, desc, "md5-"+strconv.Itoa(v), at); err != nil {
			t.Fatal(err)
		}
	}
	if err := history.EnsureSchema(ctx, s, ks); err != nil {
		t.Fatal(err)
	}
	if c := columns(t, s, ks, history.HistoryTable); c["statements_applied"] != "int" || c["statement_checksums"] != "list<text>" {
		t.Fatalf("columns after adoption: %v", c)
	}
	st := history.New(s, ks)
	recs, err := st.Applied(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []history.Record{
		{Version: 1, Description: "create users", Checksum: "md5-1", Status: history.StatusSuccess, Kind: history.KindMigrate, AppliedAt: at, AppliedBy: "ci", ExecTime: 120 * time.Millisecond},
		{Version: 2, Description: "add email", Checksum: "md5-2", Status: history.StatusSuccess, Kind: history.KindMigrate, AppliedAt: at, AppliedBy: "ci", ExecTime: 120 * time.Millisecond},
	}
	for i := range recs {
		recs[i].AppliedAt = recs[i].AppliedAt.UTC()
	}
	if !reflect.DeepEqual(recs, want) {
		t.Fatalf("adopted records:\n got %+v\nwant %+v", recs, want)
	}
	// The adopted keyspace takes new records and events.
	if err := st.Start(ctx, history.Record{Version: 3, Description: "third", Checksum: "c3", StatementsTotal: 1}); err != nil {
		t.Fatal(err)
	}
	if err := st.Finish(ctx, 3, 1, time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := st.LogEvent(ctx, history.Event{Kind: history.EventApplied, Version: 3}); err != nil {
		t.Fatal(err)
	}
}

func TestRecordLifecycle(t *testing.T) {
	_, _, st := setup(t)
	ctx := context.Background()
	sums := []string{"a1", "b2", "c3"}
	start := history.Record{Version: 7, Description: "orders", Checksum: "f00d", StatementsTotal: 3, StatementChecksums: sums, AppliedBy: "ana@ci"}
	if err := st.Start(ctx, start); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name  string
		do    func() error
		check func(r *history.Record) bool
	}{
		{"started", func() error { return nil }, func(r *history.Record) bool {
			return r.Status == history.StatusRunning && r.Kind == history.KindMigrate && r.StatementsTotal == 3 &&
				r.StatementsApplied == 0 && reflect.DeepEqual(r.StatementChecksums, sums) && !r.StartedAt.IsZero() &&
				r.AppliedAt.IsZero() && r.AppliedBy == "ana@ci"
		}},
		{"progress", func() error { return st.Progress(ctx, 7, 1) }, func(r *history.Record) bool {
			return r.Status == history.StatusRunning && r.StatementsApplied == 1
		}},
		{"failed", func() error { return st.Fail(ctx, 7, 1, 1500*time.Millisecond, "Undefined column name x") }, func(r *history.Record) bool {
			return r.Status == history.StatusFailed && r.StatementsApplied == 1 && r.Error == "Undefined column name x" &&
				r.ExecTime == 1500*time.Millisecond && !r.AppliedAt.IsZero()
		}},
		{"resumed", func() error { s := start; s.StatementsApplied = 1; return st.Start(ctx, s) }, func(r *history.Record) bool {
			return r.Status == history.StatusRunning && r.StatementsApplied == 1 && r.Error == ""
		}},
		{"finished", func() error { return st.Finish(ctx, 7, 3, 2*time.Second) }, func(r *history.Record) bool {
			return r.Status == history.StatusSuccess && r.StatementsApplied == 3 && r.ExecTime == 2*time.Second && r.Error == ""
		}},
		{"rolling back", func() error { return st.StartRollback(ctx, 7, 2, 0, []string{"d1", "d2"}) }, func(r *history.Record) bool {
			return r.Status == history.StatusRollingBack && r.StatementsTotal == 2 && r.StatementsApplied == 0 &&
				reflect.DeepEqual(r.StatementChecksums, []string{"d1", "d2"}) && r.Checksum == "f00d" &&
				r.AppliedBy == "ana@ci" && !r.AppliedAt.IsZero() && r.Error == ""
		}},
		{"rollback progress", func() error { return st.Progress(ctx, 7, 1) }, func(r *history.Record) bool {
			return r.Status == history.StatusRollingBack && r.StatementsApplied == 1
		}},
		{"rollback failed", func() error { return st.FailRollback(ctx, 7, 1, "Column age was not found") }, func(r *history.Record) bool {
			return r.Status == history.StatusRollbackFailed && r.StatementsApplied == 1 && r.Error == "Column age was not found"
		}},
		{"rollback resumed", func() error { return st.StartRollback(ctx, 7, 2, 1, []string{"d1", "d2"}) }, func(r *history.Record) bool {
			return r.Status == history.StatusRollingBack && r.StatementsApplied == 1 && r.Error == ""
		}},
	}
	for _, step := range steps {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		r, err := st.Get(ctx, 7)
		if err != nil || r == nil {
			t.Fatalf("%s: get: %v, %v", step.name, r, err)
		}
		if !step.check(r) {
			t.Fatalf("%s: record %+v", step.name, *r)
		}
	}
	base := history.Record{Version: 2, Description: "old", Checksum: "beef", Status: history.StatusSuccess, Kind: history.KindBaseline, AppliedAt: time.Now()}
	if err := st.Put(ctx, base); err != nil {
		t.Fatal(err)
	}
	recs, err := st.Applied(ctx)
	if err != nil || len(recs) != 2 || recs[0].Version != 2 || recs[0].Kind != history.KindBaseline || recs[1].Version != 7 {
		t.Fatalf("applied: %+v, %v; want the baseline 2 then 7", recs, err)
	}
	if err := st.Delete(ctx, 7); err != nil {
		t.Fatal(err)
	}
	if r, err := st.Get(ctx, 7); err != nil || r != nil {
		t.Fatalf("after delete: %+v, %v", r, err)
	}
}

func TestEventsNewestFirst(t *testing.T) {
	_, _, st := setup(t)
	ctx := context.Background()
	// A clock that does not move: the log must still keep the order.
	fixed := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	var written []history.Event
	for i, k := range []history.EventKind{history.EventAttempt, history.EventFailed, history.EventAttempt, history.EventApplied, history.EventForceUnlock} {
		ev, err := st.LogEvent(ctx, history.Event{Kind: k, Version: i + 1, At: fixed, Duration: time.Duration(i) * time.Second,
			Statements: i, Error: map[bool]string{true: "boom"}[k == history.EventFailed], Detail: "step " + strconv.Itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		written = append(written, ev)
	}
	all, err := st.Events(ctx, 0)
	if err != nil || len(all) != 5 {
		t.Fatalf("events: %d, %v; want 5", len(all), err)
	}
	for i, ev := range all {
		w := written[4-i]
		ev.At = ev.At.UTC()
		if !reflect.DeepEqual(ev, w) {
			t.Errorf("event %d:\n got %+v\nwant %+v", i, ev, w)
		}
	}
	if all[0].Who == "" || !strings.Contains(all[0].Who, "@") {
		t.Errorf("who %q: want user@host filled in", all[0].Who)
	}
	top, err := st.Events(ctx, 2)
	if err != nil || len(top) != 2 || top[0].Kind != history.EventForceUnlock || top[1].Kind != history.EventApplied {
		t.Fatalf("newest two: %+v, %v", top, err)
	}
}

func TestTrackingConsistency(t *testing.T) {
	tg := clustertest.New(t)
	tests := []struct{ configured, want string }{
		{"LOCAL_ONE", "LOCAL_QUORUM"}, {"ONE", "LOCAL_QUORUM"}, {"QUORUM", "QUORUM"}, {"ALL", "ALL"},
	}
	for _, tt := range tests {
		cfg := tg.Config("")
		cfg.Cassandra.Consistency = tt.configured
		s := tg.Connect(t, cfg)
		if got := history.New(s, "ks").Consistency(); got != gocql.ParseConsistency(tt.want) {
			t.Errorf("configured %s: tracking at %s, want %s", tt.configured, got, tt.want)
		}
	}
}
