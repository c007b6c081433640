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
)

// A dry run after a failed attempt refuses a file that was shortened below
// the resume point, as the real run does, instead of crashing.
func TestDryRunRefusesAShortenedFailedFile(t *testing.T) {
	tg := newStandIn(t, "fault")
	three := "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY);\n"
	e := tg.initialized(t, files(map[string]string{"V001__t.cql": three}))
	ctx := context.Background()
	in := tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE c", Err: cqltest.ServerError("boom")})
	if _, err := e.Migrate(ctx, engine.MigrateOptions{}); err == nil {
		t.Fatal("migrate with statement 3 failing succeeded")
	}
	in.Remove()
	short := tg.engine(t, nil, files(map[string]string{"V001__t.cql": "CREATE TABLE a (id int PRIMARY KEY);\n"}))
	for _, dry := range []bool{true, false} {
		_, err := short.Migrate(ctx, engine.MigrateOptions{DryRun: dry})
		if !errors.Is(err, engine.ErrInvalidInput) || !strings.Contains(err.Error(), "the history says 2 statements were applied but the file has 1") {
			t.Errorf("dry run %v: %v, want the input error naming the shortened file", dry, err)
		}
	}
}

// interruptInFlight leaves V001's second statement (CREATE TABLE t) in
// flight: the client gives up on it, the attempt stays running with one
// statement applied, and the server makes the change after all.
func interruptInFlight(t *testing.T, tg *target, e *engine.Engine) {
	t.Helper()
	in := tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE t", Delay: time.Second})
	defer in.Remove()
	if _, err := e.Migrate(context.Background(), engine.MigrateOptions{}); err == nil {
		t.Fatal("migrate with a statement answering after the request timeout succeeded")
	}
	if got := tg.records(t)[1]; got.StatementsApplied != 1 {
		t.Fatalf("the interrupted attempt recorded %d statements, want 1", got.StatementsApplied)
	}
	time.Sleep(1500 * time.Millisecond) // the delayed statement lands
}

// The statement an interrupted attempt had in flight may have run, and
// only its recorded text tells its change apart: an edit of it is refused
// (exit 2) before anything is rewritten, so that restoring the statement
// still resolves the attempt. A transient refusal on the retry (overloaded)
// leaves it in flight too: that answer says nothing of the first attempt.
func TestInFlightStatementEditedOrRefusedStaysInFlight(t *testing.T) {
	tg := newStandIn(t, "fault")
	v1 := "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE t (id int PRIMARY KEY);\n"
	fsys := files(map[string]string{"V001__t.cql": v1})
	tg.initialized(t, fsys)
	cfg := tg.config()
	cfg.Cassandra.RequestTimeout = 300 * time.Millisecond
	interruptInFlight(t, tg, tg.engine(t, cfg, fsys))
	ctx := context.Background()

	edited := "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE t (id int PRIMARY KEY, email text);\n"
	e := tg.engine(t, nil, files(map[string]string{"V001__t.cql": edited}))
	for _, dry := range []bool{true, false} {
		_, err := e.Migrate(ctx, engine.MigrateOptions{DryRun: dry})
		if !errors.Is(err, engine.ErrInvalidInput) || !strings.Contains(err.Error(), "V001__t.cql:2:1: statement 2 was running when an attempt of V001 t stopped without an answer") {
			t.Fatalf("dry run %v, in-flight statement edited: %v, want the input error naming it", dry, err)
		}
	}
	if m := stateOf(t, status(t, e), 1); m.State != engine.StateInterrupted || m.StatementsApplied != 1 {
		t.Errorf("V001 after the refused edit: %s with %d applied, want interrupted with 1", m.State, m.StatementsApplied)
	}

	// Restored, but the cluster is overloaded at first: still in flight.
	restored := tg.engine(t, nil, fsys)
	busy := tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE t", Err: cqltest.Overloaded()})
	_, err := restored.Migrate(ctx, engine.MigrateOptions{})
	busy.Remove()
	if !errors.Is(err, engine.ErrMigrationFailed) || !strings.Contains(err.Error(), "an earlier attempt may have made this statement's change") {
		t.Fatalf("retry refused by an overloaded node: %v, want a failure that keeps the statement in flight", err)
	}
	if m := stateOf(t, status(t, e), 1); m.State != engine.StateInterrupted {
		t.Errorf("V001 after an overloaded retry: %s, want interrupted", m.State)
	}
	// Then the retry accepts the change the first attempt made.
	if _, err := restored.Migrate(ctx, engine.MigrateOptions{}); err != nil {
		t.Errorf("resume with the in-flight statement restored: %v", err)
	}
}

// A resumed run that accepts the in-flight statement's change still waits
// for schema agreement on it: with a node that never takes the change,
// the resume fails instead of recording the migration as applied.
func TestResumedInFlightChangeWaitsForAgreement(t *testing.T) {
	tg := newStandIn(t, "fault", cqltest.WithNodes(3))
	v1 := "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE t (id int PRIMARY KEY);\n"
	fsys := files(map[string]string{"V001__t.cql": v1})
	tg.initialized(t, fsys)
	cfg := tg.config()
	cfg.Cassandra.RequestTimeout = 300 * time.Millisecond
	cfg.Schema.AgreementWait = 500 * time.Millisecond
	e := tg.engine(t, cfg, fsys)
	ctx := context.Background()
	// Node 3 stops taking schema changes before the delayed CREATE lands.
	in := tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE t", Delay: time.Second})
	if _, err := e.Migrate(ctx, engine.MigrateOptions{}); err == nil {
		t.Fatal("migrate with a statement answering after the request timeout succeeded")
	}
	tg.Cluster.Node(3).SetSchemaAgreement(false)
	time.Sleep(1500 * time.Millisecond)
	in.Remove()

	_, err := e.Migrate(ctx, engine.MigrateOptions{})
	if err == nil {
		t.Fatalf("resume succeeded while node 3 lacks the change: %v", tg.session(t).AwaitSchemaAgreement(ctx))
	}
	var agree *cluster.AgreementError
	if !errors.As(err, &agree) {
		t.Errorf("resume failed with %v, want a schema agreement error", err)
	}
	if got := states(status(t, e)); strings.Contains(got, "applied") {
		t.Errorf("V001 recorded as %s while the cluster disagrees", got)
	}
}

// A migration whose statement failed only on schema agreement is not
// recorded as applied by a rerun while the cluster still disagrees.
func TestRerunAfterNoAgreementWaits(t *testing.T) {
	tg := newStandIn(t, "agreement", cqltest.WithNodes(3))
	fsys := files(map[string]string{"V001__a.cql": "CREATE TABLE a (id int PRIMARY KEY);\n"})
	tg.initialized(t, fsys)
	cfg := tg.config()
	cfg.Schema.AgreementWait = 300 * time.Millisecond
	e := tg.engine(t, cfg, fsys)
	ctx := context.Background()
	tg.Cluster.Node(3).SetSchemaAgreement(false)
	var agree *cluster.AgreementError
	if _, err := e.Migrate(ctx, engine.MigrateOptions{}); !errors.As(err, &agree) {
		t.Fatalf("first migrate: %v, want a schema agreement error", err)
	}
	_, err := e.Migrate(ctx, engine.MigrateOptions{})
	if !errors.As(err, &agree) {
		t.Fatalf("rerun with node 3 still cut off: %v, want a schema agreement error", err)
	}
	if !strings.Contains(err.Error(), "resume V001 a after statement 1") {
		t.Errorf("error does not say where the resume stopped: %v", err)
	}
	if got := states(status(t, e)); strings.Contains(got, "applied") {
		t.Errorf("V001 recorded as %s while node 3 disagrees", got)
	}

	// Once the node agrees, the rerun finishes the migration.
	tg.Cluster.Node(3).SetSchemaAgreement(true)
	if _, err := e.Migrate(ctx, engine.MigrateOptions{}); err != nil {
		t.Fatalf("rerun once the nodes agree: %v", err)
	}
}

// A migrator that starts while another is mid-run (a service's replicas
// starting a moment apart) may see the other's change before its history
// record: it waits for the lock and finds nothing left to do, instead of
// refusing the migration as not fitting the schema.
func TestLateReplicaWaitsForARunInProgress(t *testing.T) {
	tg := newStandIn(t, "race")
	fsys := files(map[string]string{"V001__two.cql": "CREATE TABLE t1 (id int PRIMARY KEY);\nCREATE TABLE t2 (id int PRIMARY KEY);\n"})
	tg.initialized(t, fsys)
	a, b := tg.engine(t, nil, fsys), tg.engine(t, nil, fsys)
	ctx := context.Background()
	hold := tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE t1", Pause: true})
	errA := make(chan error)
	go func() { _, err := a.Migrate(ctx, engine.MigrateOptions{}); errA <- err }()
	<-hold.Paused() // A has run statement 1; its answer is held
	// B reads the history now (V001 running, nothing applied) and the
	// schema late, after A has finished.
	tg.Cluster.Inject(cqltest.Fault{Match: "FROM system_schema.keyspaces", Delay: 500 * time.Millisecond, Nth: 1})
	errB := make(chan error)
	go func() { _, err := b.Migrate(ctx, engine.MigrateOptions{}); errB <- err }()
	time.Sleep(100 * time.Millisecond)
	hold.Resume()
	if err := <-errA; err != nil {
		t.Fatalf("A: %v", err)
	}
	if err := <-errB; err != nil {
		t.Errorf("B, started while A ran, failed instead of finding nothing to do: %v", err)
	}
}

// A retry of the in-flight statement that the cluster refuses for what it
// is (invalid, say) is recorded as failed, not kept in flight: the user can
// then fix the statement and run again, which an edit of an in-flight
// statement would not allow.
func TestInFlightStatementRefusedOnRetryCanBeFixed(t *testing.T) {
	tg := newStandIn(t, "fault")
	v1 := "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE t (id int PRIMARY KEY);\n"
	fsys := files(map[string]string{"V001__t.cql": v1})
	tg.initialized(t, fsys)
	cfg := tg.config()
	cfg.Cassandra.RequestTimeout = 300 * time.Millisecond
	e := tg.engine(t, cfg, fsys)
	ctx := context.Background()
	// No answer in time, and nothing made: the statement is in flight.
	slow := tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE t", Delay: time.Second, Err: cqltest.Overloaded(), Count: 1})
	if _, err := e.Migrate(ctx, engine.MigrateOptions{}); err == nil {
		t.Fatal("migrate with a statement answering after the request timeout succeeded")
	}
	time.Sleep(1200 * time.Millisecond)
	slow.Remove()
	if m := stateOf(t, status(t, e), 1); m.State != engine.StateInterrupted {
		t.Fatalf("V001 after the timeout: %s, want interrupted", m.State)
	}
	refuse := tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE t", Err: &wire.Error{Code: wire.CodeInvalid, Message: "a guardrail refuses this table"}})
	_, err := e.Migrate(ctx, engine.MigrateOptions{})
	refuse.Remove()
	if !errors.Is(err, engine.ErrMigrationFailed) || !strings.Contains(err.Error(), "a guardrail refuses this table") {
		t.Fatalf("retry refused as invalid: %v", err)
	}
	if m := stateOf(t, status(t, e), 1); m.State != engine.StateFailed || m.StatementsApplied != 1 {
		t.Fatalf("V001 after a refusal: %s with %d applied, want failed with 1", m.State, m.StatementsApplied)
	}
	fixed := files(map[string]string{"V001__t.cql": "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE t (id int PRIMARY KEY, v text);\n"})
	if _, err := tg.engine(t, cfg, fixed).Migrate(ctx, engine.MigrateOptions{}); err != nil {
		t.Errorf("migrate with the refused statement fixed: %v", err)
	}
}
