package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
	"github.com/cqltrack/cqltrack/engine/history"
	"github.com/cqltrack/cqltrack/engine/lock"
)

// A node that never takes schema changes fails the run once
// schema.agreement_wait runs out, with an error naming it. The statement
// did run, so the history counts it as applied, and the retry after the
// node agrees again continues with the next statement.
func TestNodeThatNeverAgreesFailsTheRunWithItsName(t *testing.T) {
	tg := newStandIn(t, "a node that never agrees", cqltest.WithNodes(3))
	fsys := files(map[string]string{
		"V001__three_tables.cql": `CREATE TABLE a (id int PRIMARY KEY);
CREATE TABLE b (id int PRIMARY KEY);
CREATE TABLE c (id int PRIMARY KEY);
`,
	})
	tg.initialized(t, fsys)
	cfg := tg.config()
	cfg.Schema.AgreementWait = 300 * time.Millisecond
	e := tg.engine(t, cfg, fsys)
	ctx := context.Background()

	tg.Cluster.Node(3).SetSchemaAgreement(false)
	tg.Cluster.ResetStats()
	r, err := e.Migrate(ctx, engine.MigrateOptions{})
	if !errors.Is(err, engine.ErrMigrationFailed) {
		t.Fatalf("migrate: %v, want an error matching ErrMigrationFailed", err)
	}
	if !errors.Is(err, cluster.ErrNoAgreement) {
		t.Errorf("migrate: %v, want it to wrap cluster.ErrNoAgreement", err)
	}
	msg := err.Error()
	for _, want := range []string{"migrations/V001__three_tables.cql:1:1", "statement 1 of 3", "127.0.0.3", "schema agreement not reached within 300ms"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not say %q:\n%s", want, msg)
		}
	}
	for _, agreeing := range []string{"127.0.0.1 ", "127.0.0.2 "} {
		if strings.Contains(msg, agreeing) {
			t.Errorf("error names %q, which agrees:\n%s", agreeing, msg)
		}
	}
	if len(r.Migrations) != 1 || r.Migrations[0].Failure == nil || r.Migrations[0].Failure.Code != -1 {
		t.Errorf("report %+v: want one failed migration whose failure has no server code", r.Migrations)
	}
	rec := tg.records(t)[1]
	if rec.Status != history.StatusFailed || rec.StatementsApplied != 1 || !strings.Contains(rec.Error, "127.0.0.3") {
		t.Errorf("history: %s with %d applied, error %q; want failed with statement 1 applied and the node named", rec.Status, rec.StatementsApplied, rec.Error)
	}

	tg.Cluster.Node(3).SetSchemaAgreement(true)
	r, err = e.Migrate(ctx, engine.MigrateOptions{})
	if err != nil {
		t.Fatalf("migrate once the node agrees: %v", err)
	}
	if len(r.Migrations) != 1 || r.Migrations[0].ResumedAt != 2 || r.Migrations[0].StatementsApplied != 3 {
		t.Fatalf("retry ran %+v, want V1 resumed at statement 2 and completed", r.Migrations)
	}
	if got := ddl(tg.Cluster); got != 3 {
		t.Errorf("the server made %d schema changes, want 3 (table a once)", got)
	}
	for i, n := range tg.Cluster.Nodes() {
		if ks := n.Catalog().Keyspace(tg.ks); ks == nil || ks.Tables["c"] == nil {
			t.Errorf("node %d has no table c", i+1)
		}
	}
}

// cql-track 1.x history and lock tables with their rows are adopted as
// they are: init adds what cqltrack needs, status reads the old rows, and
// migrate applies only what 1.x did not.
func TestAdoptsKeyspaceOfCqlTrack1(t *testing.T) {
	tg := newTarget(t)
	v1 := "CREATE TABLE users (id uuid PRIMARY KEY, name text);\n"
	v2 := "ALTER TABLE users ADD email text;\n"
	v3 := "CREATE TABLE orders (id uuid PRIMARY KEY, user_id uuid);\n"
	fsys := files(map[string]string{
		"V1__create_users.cql": v1,
		"V2__add_email.cql":    v2,
		"V3__orders.cql":       v3,
	})
	ctx := context.Background()
	s := tg.session(t)
	at := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	tg.cqlTrack1Keyspace(t,
		"CREATE TABLE "+tg.ks+".users (id uuid PRIMARY KEY, name text)",
		"ALTER TABLE "+tg.ks+".users ADD email text")
	for _, row := range []struct {
		v        int
		desc, cs string
	}{{1, "create users", md5hex(v1)}, {2, "add email", md5hex(v2)}} {
		if err := s.Exec(ctx, "INSERT INTO "+tg.ks+".cqltrack_history (version, description, checksum, status, applied_at, applied_by, exec_time_ms) VALUES (?, ?, ?, 'success', ?, 'deploy@ci', 42)",
			row.v, row.desc, row.cs, at); err != nil {
			t.Fatal(err)
		}
	}

	e := tg.engine(t, nil, fsys)
	ir, err := e.Init(ctx)
	if err != nil {
		t.Fatalf("init: %v", err)
	}
	if ir.KeyspaceCreated || len(ir.TablesCreated) != 1 || ir.TablesCreated[0] != history.EventsTable {
		t.Errorf("init created keyspace=%v tables=%v; want only %s", ir.KeyspaceCreated, ir.TablesCreated, history.EventsTable)
	}
	cols := tg.columns(t, history.HistoryTable)
	for _, c := range []string{"version", "checksum", "applied_by", "exec_time_ms", "statements_total", "statements_applied", "error"} {
		if !cols[c] {
			t.Errorf("after init %s has no column %s (has %v)", history.HistoryTable, c, cols)
		}
	}
	if got := tg.columns(t, lock.Table); len(got) != 3 {
		t.Errorf("init changed the 1.x lock table: columns %v", got)
	}

	st, err := e.Status(ctx)
	if err != nil {
		t.Fatalf("status: %v", err)
	}
	if got := states(st); got != "V1=applied V2=applied V3=pending" || st.Current != 2 {
		t.Fatalf("status %s at V%d, want V1 and V2 applied, V3 pending, at V2", got, st.Current)
	}
	if m := stateOf(t, st, 2); m.AppliedBy != "deploy@ci" || m.AppliedAt == nil || !m.AppliedAt.Equal(at) || m.ExecTimeMs != 42 {
		t.Errorf("V2 as 1.x recorded it: by %q at %v in %dms", m.AppliedBy, m.AppliedAt, m.ExecTimeMs)
	}
	if v, err := e.Validate(ctx); err != nil || !v.Valid {
		t.Errorf("validate of the adopted keyspace: %+v, %v; want valid", v, err)
	}

	if tg.Cluster != nil {
		tg.Cluster.ResetStats()
	}
	r, err := e.Migrate(ctx, engine.MigrateOptions{})
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if len(r.Migrations) != 1 || r.Migrations[0].Version != 3 || r.Current != 3 {
		t.Fatalf("migrate ran %+v (current V%d), want only V3", r.Migrations, r.Current)
	}
	if tg.Cluster != nil {
		if got := ddl(tg.Cluster); got != 1 {
			t.Errorf("the server made %d schema changes, want 1 (V3)", got)
		}
	}
	recs := tg.records(t)
	if recs[1].Checksum != md5hex(v1) || recs[1].AppliedBy != "deploy@ci" || recs[3].Status != history.StatusSuccess {
		t.Errorf("history after migrate: V1 %+v, V3 %+v", recs[1], recs[3])
	}
}

// failingFour is a migration whose third statement the tests make fail.
const failingFour = `CREATE TABLE f1 (id int PRIMARY KEY);
CREATE TABLE f2 (id int PRIMARY KEY);

CREATE TABLE f3 (id int PRIMARY KEY);
CREATE TABLE f4 (id int PRIMARY KEY);
`

// Statement 3 of 4 fails: the error names file, statement and line; the
// history keeps the two statements that ran; a retry whose statement 1
// changed is refused, and once restored the retry resumes at statement 3.
func TestFailedStatementResumes(t *testing.T) {
	tg := newStandIn(t, "an injected error")
	fsys := files(map[string]string{"V001__four.cql": failingFour})
	e := tg.initialized(t, fsys)
	ctx := context.Background()
	tg.Cluster.ResetStats()

	tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE f3", Nth: 1,
		Err: &wire.Error{Code: wire.CodeInvalid, Message: "injected: no room for f3"}})
	r, err := e.Migrate(ctx, engine.MigrateOptions{})
	if !errors.Is(err, engine.ErrMigrationFailed) {
		t.Fatalf("migrate: %v, want an error matching ErrMigrationFailed", err)
	}
	for _, want := range []string{"migrations/V001__four.cql:4:1", "statement 3 of 4", "injected: no room for f3", "resumes at statement 3"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
	f := r.Migrations[0].Failure
	if f == nil || f.Statement != 3 || f.Line != 4 || f.Code != int(wire.CodeInvalid) {
		t.Errorf("report failure %+v, want statement 3 at line 4 with code 0x2200", f)
	}
	rec := tg.records(t)[1]
	if rec.Status != history.StatusFailed || rec.StatementsApplied != 2 || rec.StatementsTotal != 4 || !strings.Contains(rec.Error, "no room") {
		t.Errorf("history: %s %d/%d error %q, want failed 2/4 with the server's message", rec.Status, rec.StatementsApplied, rec.StatementsTotal, rec.Error)
	}
	p, err := e.Pending(ctx)
	if err != nil || len(p.Pending) != 1 || p.Pending[0].State != engine.StateFailed {
		t.Fatalf("pending: %+v, %v; want V1 failed", p, err)
	}

	changed := files(map[string]string{"V001__four.cql": strings.Replace(failingFour, "f1 (id int", "f1 (id bigint", 1)})
	_, err = tg.engine(t, nil, changed).Migrate(ctx, engine.MigrateOptions{})
	if !errors.Is(err, engine.ErrInvalidInput) || !strings.Contains(err.Error(), "statement 1 was applied by an earlier attempt and has changed") {
		t.Fatalf("retry with statement 1 changed: %v, want ErrInvalidInput explaining statement 1 changed", err)
	}

	var resumedAt int
	r, err = e.Migrate(ctx, engine.MigrateOptions{Progress: func(p engine.Progress) {
		if p.Kind == engine.ProgressMigrationStart {
			resumedAt = p.ResumeAt
		}
	}})
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if resumedAt != 3 || r.Migrations[0].ResumedAt != 3 || r.Migrations[0].Status != string(engine.StateApplied) {
		t.Errorf("retry: progress resumed at %d, report %+v; want resumed at statement 3 and applied", resumedAt, r.Migrations[0])
	}
	if got := ddl(tg.Cluster); got != 4 {
		t.Errorf("the server made %d schema changes, want 4 (each table once)", got)
	}
	rec = tg.records(t)[1]
	if rec.Status != history.StatusSuccess || rec.StatementsApplied != 4 || rec.Error != "" {
		t.Errorf("history after the retry: %s %d/4 error %q, want success 4/4 and no error", rec.Status, rec.StatementsApplied, rec.Error)
	}
	evs := tg.events(t)
	if got := []int{countEvents(evs, history.EventAttempt, 1), countEvents(evs, history.EventFailed, 1), countEvents(evs, history.EventApplied, 1)}; got[0] != 2 || got[1] != 1 || got[2] != 1 {
		t.Errorf("event log: %d attempts, %d failed, %d applied; want 2, 1, 1", got[0], got[1], got[2])
	}
}

// A schema change whose answer never came back (the client timed out) may
// still have been made, like the statement in flight when a process dies.
// The retry must accept "already exists" for it rather than fail forever.
func TestTimedOutStatementThatRanIsNotRunTwice(t *testing.T) {
	tg := newStandIn(t, "a statement whose answer is held")
	fsys := files(map[string]string{"V001__four.cql": failingFour})
	cfg := tg.config()
	cfg.Cassandra.RequestTimeout = 300 * time.Millisecond
	e := tg.engine(t, cfg, fsys)
	ctx := context.Background()
	if _, err := e.Init(ctx); err != nil {
		t.Fatal(err)
	}
	tg.Cluster.ResetStats()
	held := tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE f2", Nth: 1, Pause: true})
	_, err := e.Migrate(ctx, engine.MigrateOptions{})
	held.Resume()
	if !errors.Is(err, engine.ErrMigrationFailed) || !strings.Contains(err.Error(), "may have run") {
		t.Fatalf("migrate: %v, want ErrMigrationFailed saying the statement may have run", err)
	}
	// The statement is in flight as far as anyone can tell.
	if m := stateOf(t, status(t, e), 1); m.State != engine.StateInterrupted || m.StatementsApplied != 1 {
		t.Errorf("after the timeout V1 is %s with %d applied, want interrupted with 1", m.State, m.StatementsApplied)
	}
	if evs := tg.events(t); countEvents(evs, history.EventFailed, 1) != 1 {
		t.Errorf("the event log does not keep the timeout: %+v", evs)
	}
	r, err := e.Migrate(ctx, engine.MigrateOptions{})
	if err != nil {
		t.Fatalf("retry after the timeout: %v", err)
	}
	if m := r.Migrations[0]; m.ResumedAt != 2 || m.StatementsApplied != 4 {
		t.Errorf("retry: %+v, want resumed at statement 2 and completed", m)
	}
	if got := ddl(tg.Cluster); got != 4 {
		t.Errorf("the server made %d schema changes, want 4", got)
	}
}

// A run cancelled while a schema change waits for its answer is resumed the
// same way: the statement may have been made.
func TestCancelledStatementIsResumedAsInFlight(t *testing.T) {
	tg := newStandIn(t, "a statement whose answer is held")
	e := tg.initialized(t, files(map[string]string{"V001__four.cql": failingFour}))
	tg.Cluster.ResetStats()
	held := tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE f3", Nth: 1, Pause: true})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-held.Paused()
		cancel()
	}()
	_, err := e.Migrate(ctx, engine.MigrateOptions{})
	held.Resume()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled migrate: %v, want context.Canceled", err)
	}
	if m := stateOf(t, status(t, e), 1); m.State != engine.StateInterrupted || m.StatementsApplied != 2 {
		t.Errorf("after the cancel V1 is %s with %d applied, want interrupted with 2", m.State, m.StatementsApplied)
	}
	if st := status(t, e); st.Lock != nil {
		t.Errorf("the cancelled run kept the lock: %v", st.Lock)
	}
	r, err := e.Migrate(context.Background(), engine.MigrateOptions{})
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if m := r.Migrations[0]; m.ResumedAt != 3 || m.StatementsApplied != 4 {
		t.Errorf("retry: %+v, want resumed at statement 3", m)
	}
	if got := ddl(tg.Cluster); got != 4 {
		t.Errorf("the server made %d schema changes, want 4", got)
	}
}

// A lock row cql-track 1.x left behind (no TTL) is shown, blocks migrate
// with the holder named, and is removed by a forced unlock.
func TestStaleLockOfCqlTrack1(t *testing.T) {
	tg := newTarget(t)
	fsys := files(map[string]string{"V1__a.cql": "CREATE TABLE a (id int PRIMARY KEY);\n"})
	ctx := context.Background()
	s := tg.session(t)
	tg.cqlTrack1Keyspace(t)
	since := time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := s.Exec(ctx, "INSERT INTO "+tg.ks+".cqltrack_lock (lock_id, owner, acquired_at) VALUES ('cqltrack_global', 'old-host-1234', ?)", since); err != nil {
		t.Fatal(err)
	}
	cfg := tg.config()
	cfg.Lock.Wait = 0
	e := tg.engine(t, cfg, fsys)
	if _, err := e.Init(ctx); err != nil {
		t.Fatal(err)
	}
	st := status(t, e)
	if st.Lock == nil || st.Lock.Owner != "old-host-1234" || !st.Lock.Since.Equal(since) {
		t.Fatalf("status lock %+v, want the 1.x holder", st.Lock)
	}
	if _, err := e.Migrate(ctx, engine.MigrateOptions{}); !errors.Is(err, engine.ErrLockNotAcquired) || !strings.Contains(err.Error(), "old-host-1234") {
		t.Fatalf("migrate: %v, want ErrLockNotAcquired naming old-host-1234", err)
	}
	if u, err := e.Unlock(ctx, true); err != nil || !u.Removed {
		t.Fatalf("force unlock: %+v, %v", u, err)
	}
	if r, err := e.Migrate(ctx, engine.MigrateOptions{}); err != nil || r.Current != 1 {
		t.Fatalf("migrate after the unlock: %+v, %v", r, err)
	}
}
