package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/history"
)

// threeDowns creates three tables and drops them in three down statements.
var threeDowns = files(map[string]string{
	"V001__users.cql": "CREATE TABLE users (id int PRIMARY KEY);\n-- @down\nDROP TABLE users;\n",
	"V002__three.cql": "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY);\n" +
		"-- @down\nDROP TABLE c;\nDROP TABLE b;\nDROP TABLE a;\n",
})

// A down statement the cluster refuses is recorded: V002 is
// rollback_failed with one down statement run, migrate refuses to run
// meanwhile, and the next rollback resumes at that statement, whatever
// --to says, instead of failing forever on the table already dropped.
func TestFailedDownStatementResumes(t *testing.T) {
	tg := newStandIn(t, "fault")
	e := tg.initialized(t, threeDowns)
	ctx := context.Background()
	if _, err := e.Migrate(ctx, engine.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	in := tg.Cluster.Inject(cqltest.Fault{Match: "DROP TABLE b", Err: cqltest.ServerError("injected: drop refused")})
	r, err := e.Rollback(ctx, engine.RollbackOptions{})
	if !errors.Is(err, engine.ErrMigrationFailed) || !strings.Contains(err.Error(), "down statement 2 of 3: injected: drop refused") ||
		!strings.Contains(err.Error(), "resumes at down statement 2") {
		t.Fatalf("rollback with down statement 2 refused: %v", err)
	}
	if m := r.Migrations[0]; m.Status != "failed" || m.StatementsApplied != 1 || m.Failure == nil || m.Failure.Statement != 2 {
		t.Errorf("report: %+v, want failed at down statement 2 with 1 run", m)
	}
	in.Remove()
	st := status(t, e)
	if m := stateOf(t, st, 2); m.State != engine.StateRollbackFailed || m.StatementsApplied != 1 || m.StatementsTotal != 3 ||
		!strings.Contains(m.Error, "injected: drop refused") {
		t.Errorf("V002 after the failure: %+v, want rollback_failed, 1/3, with the server's message", m)
	}
	if st.Current != 2 {
		t.Errorf("current %d while V002 is half undone, want 2", st.Current)
	}
	_, err = e.Migrate(ctx, engine.MigrateOptions{})
	if !errors.Is(err, engine.ErrInvalidInput) || !strings.Contains(err.Error(), "V002 three has an unfinished rollback") ||
		!strings.Contains(err.Error(), "cqltrack rollback") {
		t.Errorf("migrate during the rollback: %v, want an input error naming V002", err)
	}

	tg.Cluster.ResetStats()
	r, err = e.Rollback(ctx, engine.RollbackOptions{To: 2, ToSet: true})
	if err != nil {
		t.Fatalf("second rollback: %v", err)
	}
	if len(r.Migrations) != 1 || r.Migrations[0].ResumedAt != 2 || r.Migrations[0].Status != "rolled_back" || r.Current != 1 {
		t.Errorf("second rollback: %+v, want V002 resumed at down statement 2 and V001 current", r)
	}
	if got := ddl(tg.Cluster); got != 2 {
		t.Errorf("the second rollback made %d schema changes, want 2 (DROP TABLE b, a)", got)
	}
	if _, ok := tg.records(t)[2]; ok {
		t.Errorf("V002's record is still there: %+v", tg.records(t)[2])
	}
	if m := stateOf(t, status(t, e), 2); m.State != engine.StatePending {
		t.Errorf("V002 is %s, want pending", m.State)
	}
	var sawFail, sawResume bool
	for _, ev := range tg.events(t) {
		if ev.Version == 2 && ev.Kind == history.EventFailed && ev.Detail == "rollback failed at down statement 2 of 3" {
			sawFail = true
		}
		if ev.Version == 2 && ev.Kind == history.EventRollback && ev.Detail == "resumed at down statement 2 of 3" && ev.Statements == 2 {
			sawResume = true
		}
	}
	if !sawFail || !sawResume {
		t.Errorf("event log %+v: want the failure and a rollback resumed at down statement 2", tg.events(t))
	}
	// Migrate applies V002 again.
	if _, err := e.Migrate(ctx, engine.MigrateOptions{}); err != nil {
		t.Errorf("migrate after the rollback: %v", err)
	}
}

// timeOutDownStatement migrates threeDowns and rolls V002 back with its
// down statement 2 (DROP TABLE b) answering after the request timeout: the
// rollback fails saying the statement may have run, and the DROP lands
// after it. It returns the engine, whose requests time out after 300ms.
func timeOutDownStatement(t *testing.T, tg *target) *engine.Engine {
	t.Helper()
	tg.initialized(t, threeDowns)
	cfg := tg.config()
	cfg.Cassandra.RequestTimeout = 300 * time.Millisecond
	e := tg.engine(t, cfg, threeDowns)
	ctx := context.Background()
	if _, err := e.Migrate(ctx, engine.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	in := tg.Cluster.Inject(cqltest.Fault{Match: "DROP TABLE b", Delay: time.Second})
	_, err := e.Rollback(ctx, engine.RollbackOptions{})
	if !errors.Is(err, engine.ErrMigrationFailed) || !strings.Contains(err.Error(), "may have run") {
		t.Fatalf("rollback with down statement 2 timing out: %v, want ErrMigrationFailed saying it may have run", err)
	}
	time.Sleep(1500 * time.Millisecond) // the delayed DROP lands
	in.Remove()
	return e
}

// A down statement whose answer never came (a request timeout) may have
// run: the rollback stays rolling_back, and the next one accepts "doesn't
// exist" for that statement, waits for agreement and finishes.
func TestTimedOutDownStatementIsResumedAsInFlight(t *testing.T) {
	tg := newStandIn(t, "fault")
	e := timeOutDownStatement(t, tg)
	ctx := context.Background()
	if m := stateOf(t, status(t, e), 2); m.State != engine.StateRollingBack || m.StatementsApplied != 1 {
		t.Errorf("V002 after the timeout: %s with %d run, want rolling_back with 1", m.State, m.StatementsApplied)
	}
	if tg.columns(t, "b")["id"] {
		t.Fatal("table b is still there: the delayed DROP did not land")
	}
	r, err := e.Rollback(ctx, engine.RollbackOptions{})
	if err != nil {
		t.Fatalf("rollback after the timeout: %v", err)
	}
	if m := r.Migrations[0]; m.ResumedAt != 2 || m.Status != "rolled_back" {
		t.Errorf("retry: %+v, want resumed at down statement 2 and rolled back", m)
	}
	if got := states(status(t, e)); !strings.Contains(got, "pending") {
		t.Errorf("states %s, want V002 pending", got)
	}
}

// An in-flight down statement whose text changed since the attempt is
// refused (exit 2) and the record left as it was, so that restoring it
// resolves the rollback; a transient refusal of its retry leaves it in
// flight too.
func TestEditedInFlightDownStatementIsNotAccepted(t *testing.T) {
	tg := newStandIn(t, "fault")
	e := timeOutDownStatement(t, tg)
	ctx := context.Background()
	edited := files(map[string]string{
		"V001__users.cql": "CREATE TABLE users (id int PRIMARY KEY);\n-- @down\nDROP TABLE users;\n",
		"V002__three.cql": "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY);\n" +
			"-- @down\nDROP TABLE c;\nDROP TABLE " + tg.ks + ".b;\nDROP TABLE a;\n",
	})
	_, err := tg.engine(t, nil, edited).Rollback(ctx, engine.RollbackOptions{})
	if !errors.Is(err, engine.ErrInvalidInput) || !strings.Contains(err.Error(), "down statement 2 was running when a rollback of V002 three stopped without an answer") {
		t.Errorf("rollback with the in-flight down statement edited: %v, want an input error naming it", err)
	}
	if m := stateOf(t, status(t, e), 2); m.State != engine.StateRollingBack || m.StatementsApplied != 1 {
		t.Errorf("V002: %s with %d run, want rolling_back with 1", m.State, m.StatementsApplied)
	}
	// Restored, but the cluster is overloaded at first: still in flight;
	// then the rollback accepts the change the first attempt made.
	busy := tg.Cluster.Inject(cqltest.Fault{Match: "DROP TABLE b", Err: cqltest.Overloaded()})
	_, err = e.Rollback(ctx, engine.RollbackOptions{})
	busy.Remove()
	if !errors.Is(err, engine.ErrMigrationFailed) || !strings.Contains(err.Error(), "an earlier rollback may have made this statement's change") {
		t.Errorf("retry refused by an overloaded node: %v, want a failure that keeps the statement in flight", err)
	}
	if m := stateOf(t, status(t, e), 2); m.State != engine.StateRollingBack {
		t.Errorf("V002 after an overloaded retry: %s, want rolling_back", m.State)
	}
	if _, err := e.Rollback(ctx, engine.RollbackOptions{}); err != nil {
		t.Errorf("rollback with the in-flight down statement restored: %v", err)
	}
	if _, err := e.Migrate(ctx, engine.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	e = timeOutDownStatement(t, tg)
	// A down statement that ran may not change under a resume.
	changedFirst := files(map[string]string{
		"V001__users.cql": "CREATE TABLE users (id int PRIMARY KEY);\n-- @down\nDROP TABLE users;\n",
		"V002__three.cql": "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY);\n" +
			"-- @down\nDROP TABLE IF EXISTS c;\nDROP TABLE b;\nDROP TABLE a;\n",
	})
	_, err = tg.engine(t, nil, changedFirst).Rollback(ctx, engine.RollbackOptions{})
	if !errors.Is(err, engine.ErrInvalidInput) || !strings.Contains(err.Error(), "down statement 1 ran in an earlier rollback and has changed") {
		t.Errorf("rollback with down statement 1 edited: %v, want an input error", err)
	}
}

// Repair clears an unfinished rollback whose undo a person finished by
// hand: the migration is pending again.
func TestRepairClearsAnUnfinishedRollback(t *testing.T) {
	tg := newStandIn(t, "fault")
	e := tg.initialized(t, threeDowns)
	ctx := context.Background()
	if _, err := e.Migrate(ctx, engine.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	in := tg.Cluster.Inject(cqltest.Fault{Match: "DROP TABLE b", Err: cqltest.ServerError("injected: drop refused")})
	if _, err := e.Rollback(ctx, engine.RollbackOptions{}); err == nil {
		t.Fatal("rollback with down statement 2 refused succeeded")
	}
	in.Remove()
	s := tg.session(t)
	for _, tb := range []string{"b", "a"} {
		if err := s.ExecDDL(ctx, "DROP TABLE "+tg.ks+"."+tb); err != nil {
			t.Fatal(err)
		}
	}
	r, err := e.Repair(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Reset) != 1 || r.Reset[0] != 2 {
		t.Errorf("repair reset %v, want [2]", r.Reset)
	}
	if m := stateOf(t, status(t, e), 2); m.State != engine.StatePending {
		t.Errorf("V002 after repair is %s, want pending", m.State)
	}
	if _, err := e.Migrate(ctx, engine.MigrateOptions{}); err != nil {
		t.Errorf("migrate after repair: %v", err)
	}
}
