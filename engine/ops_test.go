package engine_test

import (
	"context"
	"errors"
	"net"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
	"github.com/cqltrack/cqltrack/engine/history"
	"github.com/cqltrack/cqltrack/engine/lock"
)

// opsMigrations have down sections of every kind.
func opsMigrations() fstest.MapFS {
	return files(map[string]string{
		"V001__create_users.cql": "CREATE TABLE users (id uuid PRIMARY KEY, name text);\n-- @down\nDROP TABLE users;\n",
		"V002__add_email.cql":    "ALTER TABLE users ADD email text;\nALTER TABLE users ADD phone text;\n-- @down\nALTER TABLE users DROP phone;\nALTER TABLE users DROP email;\n",
		"V003__no_down.cql":      "CREATE TABLE audit (id timeuuid PRIMARY KEY);\n",
		"V004__irreversible.cql": "CREATE TABLE ledger (id timeuuid PRIMARY KEY);\n-- @down\n",
	})
}

func migrate(t *testing.T, e *engine.Engine, target int64) *engine.MigrateReport {
	t.Helper()
	r, err := e.Migrate(context.Background(), engine.MigrateOptions{Target: target})
	if err != nil {
		t.Fatalf("migrate to V%d: %v", target, err)
	}
	return r
}

func status(t *testing.T, e *engine.Engine) *engine.StatusReport {
	t.Helper()
	st, err := e.Status(context.Background())
	if err != nil {
		t.Fatalf("status: %v", err)
	}
	return st
}

func TestInitTwiceChangesNothing(t *testing.T) {
	tg := newTarget(t)
	e := tg.engine(t, nil, opsMigrations())
	ctx := context.Background()
	first, err := e.Init(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{history.HistoryTable, history.EventsTable, lock.Table}
	if !first.KeyspaceCreated || !reflect.DeepEqual(first.TablesCreated, want) || !strings.Contains(first.Replication, "SimpleStrategy") {
		t.Errorf("first init: %+v, want the keyspace and %v created", first, want)
	}
	if tg.Cluster != nil {
		tg.Cluster.ResetStats()
	}
	second, err := e.Init(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if second.KeyspaceCreated || len(second.TablesCreated) != 0 {
		t.Errorf("second init: %+v, want nothing created", second)
	}
	if tg.Cluster != nil {
		if n := ddl(tg.Cluster); n != 0 {
			t.Errorf("second init made %d schema changes, want 0", n)
		}
	}
}

func TestOperationsBeforeInitAreRefused(t *testing.T) {
	tg := newTarget(t)
	e := tg.engine(t, nil, opsMigrations())
	ctx := context.Background()
	ops := map[string]func() error{
		"status":   func() error { _, err := e.Status(ctx); return err },
		"migrate":  func() error { _, err := e.Migrate(ctx, engine.MigrateOptions{}); return err },
		"rollback": func() error { _, err := e.Rollback(ctx, engine.RollbackOptions{}); return err },
		"baseline": func() error { _, err := e.Baseline(ctx, 1); return err },
		"history":  func() error { _, err := e.History(ctx, 10); return err },
		"unlock":   func() error { _, err := e.Unlock(ctx, true); return err },
	}
	for name, op := range ops {
		err := op()
		if !errors.Is(err, engine.ErrInvalidInput) || !strings.Contains(err.Error(), "run 'cqltrack init' first") {
			t.Errorf("%s before init: %v, want ErrInvalidInput pointing at init", name, err)
		}
	}
}

func TestOpenUnreachableClusterIsConnectError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there now
	cfg := config.Default()
	cfg.Cassandra.ContactPoints = []string{"127.0.0.1"}
	cfg.Cassandra.Port = port
	cfg.Cassandra.ConnectTimeout = 2 * time.Second
	cfg.Keyspace.Name = "app"
	_, err = engine.Open(context.Background(), cfg)
	if !errors.Is(err, engine.ErrConnect) || !strings.Contains(err.Error(), strconv.Itoa(port)) {
		t.Errorf("open: %v, want ErrConnect naming port %d", err, port)
	}
}

func TestMigrateTargetAndDryRun(t *testing.T) {
	tg := newTarget(t)
	e := tg.initialized(t, opsMigrations())
	ctx := context.Background()

	dry, err := e.Migrate(ctx, engine.MigrateOptions{DryRun: true, Target: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !dry.DryRun || len(dry.Migrations) != 2 || len(dry.Migrations[1].Statements) != 2 ||
		dry.Migrations[1].Statements[0] != "ALTER TABLE users ADD email text" {
		t.Errorf("dry run: %+v, want V1 and V2 with their statements", dry.Migrations)
	}
	if st := status(t, e); st.Counts[engine.StatePending] != 4 {
		t.Errorf("after a dry run: %s, want everything pending", states(st))
	}

	r := migrate(t, e, 2)
	if len(r.Migrations) != 2 || r.Current != 2 {
		t.Errorf("migrate --target 2: %+v at V%d", r.Migrations, r.Current)
	}
	p, err := e.Pending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Pending) != 2 || p.Pending[0].Version != 3 || p.Current != 2 {
		t.Errorf("pending: %+v, want V3 and V4 at V2", p)
	}
	migrate(t, e, 0)
	if p, _ := e.Pending(ctx); len(p.Pending) != 0 || p.Current != 4 {
		t.Errorf("pending after migrate: %+v, want none at V4", p)
	}
}

func TestRollback(t *testing.T) {
	tg := newTarget(t)
	fsys := opsMigrations()
	e := tg.initialized(t, fsys)
	ctx := context.Background()
	migrate(t, e, 2)

	dry, err := e.Rollback(ctx, engine.RollbackOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(dry.Migrations) != 1 || dry.Migrations[0].Version != 2 || !reflect.DeepEqual(dry.Migrations[0].Statements,
		[]string{"ALTER TABLE users DROP phone", "ALTER TABLE users DROP email"}) {
		t.Errorf("dry run: %+v, want V2's down statements", dry.Migrations)
	}
	if !tg.columns(t, "users")["phone"] {
		t.Fatal("the dry run dropped a column")
	}

	r, err := e.Rollback(ctx, engine.RollbackOptions{})
	if err != nil {
		t.Fatalf("rollback: %v", err)
	}
	if len(r.Migrations) != 1 || r.Migrations[0].Version != 2 || r.Migrations[0].Status != "rolled_back" || r.Current != 1 {
		t.Errorf("rollback: %+v at V%d, want V2 rolled back, at V1", r.Migrations, r.Current)
	}
	if cols := tg.columns(t, "users"); cols["email"] || cols["phone"] || !cols["name"] {
		t.Errorf("columns after rolling V2 back: %v", cols)
	}
	if got := states(status(t, e)); got != "V1=applied V2=pending V3=pending V4=pending" {
		t.Errorf("status after rollback: %s", got)
	}
	if n := countEvents(tg.events(t), history.EventRollback, 2); n != 1 {
		t.Errorf("%d rollback events for V2, want 1", n)
	}

	migrate(t, e, 2)
	r, err = e.Rollback(ctx, engine.RollbackOptions{To: 0, ToSet: true})
	if err != nil {
		t.Fatalf("rollback --to 0: %v", err)
	}
	if len(r.Migrations) != 2 || r.Migrations[0].Version != 2 || r.Migrations[1].Version != 1 || r.Current != 0 {
		t.Errorf("rollback --to 0: %+v at V%d, want V2 then V1, at none", r.Migrations, r.Current)
	}
	if got := tg.columns(t, "users"); len(got) != 0 {
		t.Errorf("table users still has columns %v", got)
	}
}

// A rollback that cannot be done completely is refused before anything
// runs.
func TestRollbackRefusals(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, tg *target, fsys fstest.MapFS, e *engine.Engine)
		opts  engine.RollbackOptions
		want  string
	}{
		{
			name:  "no down section",
			setup: func(t *testing.T, _ *target, _ fstest.MapFS, e *engine.Engine) { migrate(t, e, 3) },
			want:  "V003__no_down.cql has no down section",
		},
		{
			name:  "empty down section",
			setup: func(t *testing.T, _ *target, _ fstest.MapFS, e *engine.Engine) { migrate(t, e, 4) },
			opts:  engine.RollbackOptions{Steps: 2},
			want:  "V004__irreversible.cql:2: the down section is empty",
		},
		{
			name: "modified since applied",
			setup: func(t *testing.T, _ *target, fsys fstest.MapFS, e *engine.Engine) {
				migrate(t, e, 2)
				fsys["migrations/V002__add_email.cql"].Data = append(fsys["migrations/V002__add_email.cql"].Data, "-- changed\n"...)
			},
			want: "modified after it was applied",
		},
		{
			name: "applied by baseline",
			setup: func(t *testing.T, _ *target, _ fstest.MapFS, e *engine.Engine) {
				if _, err := e.Baseline(context.Background(), 1); err != nil {
					t.Fatal(err)
				}
			},
			want: "marked applied by baseline",
		},
		{
			name:  "steps and to",
			setup: func(t *testing.T, _ *target, _ fstest.MapFS, e *engine.Engine) { migrate(t, e, 2) },
			opts:  engine.RollbackOptions{Steps: 1, To: 1, ToSet: true},
			want:  "--steps N or --to V, not both",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := newTarget(t)
			fsys := opsMigrations()
			e := tg.initialized(t, fsys)
			tt.setup(t, tg, fsys, e)
			before := tg.records(t)
			if tg.Cluster != nil {
				tg.Cluster.ResetStats()
			}
			_, err := e.Rollback(context.Background(), tt.opts)
			if !errors.Is(err, engine.ErrInvalidInput) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("rollback: %v, want ErrInvalidInput saying %q", err, tt.want)
			}
			if tg.Cluster != nil && ddl(tg.Cluster) != 0 {
				t.Errorf("a refused rollback made %d schema changes", ddl(tg.Cluster))
			}
			if after := tg.records(t); !reflect.DeepEqual(after, before) {
				t.Errorf("a refused rollback changed the history:\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
}

func TestBaseline(t *testing.T) {
	tg := newTarget(t)
	e := tg.initialized(t, opsMigrations())
	ctx := context.Background()

	if _, err := e.Baseline(ctx, 0); !errors.Is(err, engine.ErrInvalidInput) {
		t.Errorf("baseline 0: %v, want ErrInvalidInput", err)
	}
	b, err := e.Baseline(ctx, 2)
	if err != nil {
		t.Fatalf("baseline 2: %v", err)
	}
	if !reflect.DeepEqual(b.Marked, []int64{1, 2}) {
		t.Errorf("baseline marked %v, want [1 2]", b.Marked)
	}
	if got := states(status(t, e)); got != "V1=baseline V2=baseline V3=pending V4=pending" {
		t.Errorf("status after baseline: %s", got)
	}
	if _, err := e.Baseline(ctx, 3); !errors.Is(err, engine.ErrInvalidInput) || !strings.Contains(err.Error(), "already has 2 recorded migration(s)") {
		t.Errorf("second baseline: %v, want ErrInvalidInput", err)
	}
	// The tables of V1 and V2 exist in a real adopted keyspace; create them
	// by hand as that database would have them, then migrate the rest.
	s := tg.session(t)
	for _, stmt := range []string{"CREATE TABLE " + tg.ks + ".users (id uuid PRIMARY KEY, name text, email text, phone text)"} {
		if err := s.ExecDDL(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	if tg.Cluster != nil {
		tg.Cluster.ResetStats()
	}
	r := migrate(t, e, 0)
	if len(r.Migrations) != 2 || r.Migrations[0].Version != 3 {
		t.Errorf("migrate after baseline ran %+v, want V3 and V4", r.Migrations)
	}
	if tg.Cluster != nil && ddl(tg.Cluster) != 2 {
		t.Errorf("migrate after baseline made %d schema changes, want 2", ddl(tg.Cluster))
	}
	if n := countEvents(tg.events(t), history.EventBaseline, 2); n != 1 {
		t.Errorf("%d baseline events, want 1", n)
	}

	// A baseline version above every file is refused, recording nothing:
	// every file written later would be out of order.
	tg2 := newTarget(t)
	fsys2 := opsMigrations()
	e2 := tg2.initialized(t, fsys2)
	if _, err := e2.Baseline(ctx, 7); !errors.Is(err, engine.ErrInvalidInput) || !strings.Contains(err.Error(), "above every migration file (the newest is V004 irreversible)") {
		t.Errorf("baseline 7 with files up to V004: %v, want ErrInvalidInput naming the newest file", err)
	}
	if n := len(tg2.records(t)); n != 0 {
		t.Errorf("a refused baseline recorded %d versions", n)
	}
	// A baseline version without a file below the newest is recorded too,
	// as the history's marker of where the baseline is.
	delete(fsys2, "migrations/V002__add_email.cql")
	b, err = e2.Baseline(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(b.Marked, []int64{1, 2}) || status(t, e2).Current != 2 {
		t.Errorf("baseline 2 without a V002 file marked %v, want [1 2] and current V2", b.Marked)
	}
}

func TestValidateAndRepairChecksums(t *testing.T) {
	tg := newTarget(t)
	fsys := opsMigrations()
	e := tg.initialized(t, fsys)
	ctx := context.Background()
	migrate(t, e, 3)

	v, err := e.Validate(ctx)
	if err != nil || !v.Valid || len(v.Problems) != 0 {
		t.Fatalf("validate of untouched files: %+v, %v", v, err)
	}
	fsys["migrations/V001__create_users.cql"].Data = []byte("CREATE TABLE users (id uuid PRIMARY KEY, name text); -- reformatted\n-- @down\nDROP TABLE users;\n")
	delete(fsys, "migrations/V003__no_down.cql")
	v, err = e.Validate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v.Valid || len(v.Problems) != 2 || v.Problems[0].State != engine.StateModified || v.Problems[1].State != engine.StateMissing {
		t.Fatalf("validate: %+v, want V1 modified and V3 missing", v)
	}
	if _, err := e.Migrate(ctx, engine.MigrateOptions{}); !errors.Is(err, engine.ErrInvalidInput) || !strings.Contains(err.Error(), "V001__create_users.cql was modified after it was applied") {
		t.Errorf("migrate with a modified applied file: %v, want ErrInvalidInput naming it", err)
	}

	rep, err := e.Repair(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep.Realigned, []int64{1}) || len(rep.Reset) != 0 {
		t.Errorf("repair: %+v, want V1 realigned", rep)
	}
	v, err = e.Validate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v.Valid || len(v.Problems) != 1 || v.Problems[0].Version != 3 {
		t.Errorf("validate after repair: %+v, want only the missing V3 left", v)
	}
	if got := tg.records(t)[1].Checksum; got != md5hex(string(fsys["migrations/V001__create_users.cql"].Data)) {
		t.Errorf("repaired checksum %s is not the file's", got)
	}
	if n := countEvents(tg.events(t), history.EventRepair, 0); n != 1 {
		t.Errorf("%d repair events, want 1", n)
	}
}

// Repair removes a failed attempt's record once its partial change was
// undone by hand, so the next migrate starts it over.
func TestRepairResetsFailedAttempt(t *testing.T) {
	tg := newStandIn(t, "an injected error")
	e := tg.initialized(t, files(map[string]string{"V001__four.cql": failingFour}))
	ctx := context.Background()
	tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE f3", Nth: 1, Err: &wire.Error{Code: wire.CodeInvalid, Message: "injected"}})
	if _, err := e.Migrate(ctx, engine.MigrateOptions{}); !errors.Is(err, engine.ErrMigrationFailed) {
		t.Fatalf("migrate: %v, want ErrMigrationFailed", err)
	}
	if _, err := e.Rollback(ctx, engine.RollbackOptions{}); !errors.Is(err, engine.ErrInvalidInput) || !strings.Contains(err.Error(), "failed or interrupted attempt") {
		t.Errorf("rollback over a failed attempt: %v, want ErrInvalidInput", err)
	}
	s := tg.session(t)
	for _, tbl := range []string{"f1", "f2"} {
		if err := s.ExecDDL(ctx, "DROP TABLE "+tg.ks+"."+tbl); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := e.Repair(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep.Reset, []int64{1}) {
		t.Fatalf("repair: %+v, want V1 reset", rep)
	}
	if _, ok := tg.records(t)[1]; ok {
		t.Error("the failed record is still there after repair")
	}
	r := migrate(t, e, 0)
	if r.Migrations[0].ResumedAt != 0 || r.Migrations[0].StatementsApplied != 4 {
		t.Errorf("migrate after repair: %+v, want V1 from statement 1", r.Migrations[0])
	}
}

func TestUnlock(t *testing.T) {
	tg := newTarget(t)
	e := tg.initialized(t, opsMigrations())
	ctx := context.Background()

	u, err := e.Unlock(ctx, true)
	if err != nil || u.Removed || u.Holder != nil {
		t.Fatalf("force unlock of a free lock: %+v, %v; want nothing removed", u, err)
	}

	// A migrator that died holding the lock: its lease is never released.
	dead := lock.New(tg.session(t), tg.ks, lock.WithOwner("ci-runner/4242/dead"))
	if _, err := dead.Acquire(ctx); err != nil {
		t.Fatal(err)
	}
	u, err = e.Unlock(ctx, false)
	if err != nil || u.Removed || u.Holder == nil || u.Holder.Owner != "ci-runner/4242/dead" {
		t.Fatalf("unlock without force: %+v, %v; want the holder shown and kept", u, err)
	}
	cfg := tg.config()
	cfg.Lock.Wait = 0
	_, err = tg.engine(t, cfg, opsMigrations()).Migrate(ctx, engine.MigrateOptions{})
	if !errors.Is(err, engine.ErrLockNotAcquired) || !strings.Contains(err.Error(), "ci-runner/4242/dead") {
		t.Fatalf("migrate while the dead holder has the lock: %v, want ErrLockNotAcquired naming it", err)
	}

	u, err = e.Unlock(ctx, true)
	if err != nil || !u.Removed || u.Holder == nil || u.Holder.Owner != "ci-runner/4242/dead" {
		t.Fatalf("force unlock: %+v, %v; want the dead holder removed", u, err)
	}
	evs := tg.events(t)
	if n := countEvents(evs, history.EventForceUnlock, 0); n != 1 || !strings.Contains(evs[len(evs)-1].Detail, "ci-runner/4242/dead") {
		t.Errorf("event log: %d forced unlocks, last %+v; want one naming the holder", n, evs[len(evs)-1])
	}
	if st := status(t, e); st.Lock != nil {
		t.Errorf("lock after forced unlock: %v", st.Lock)
	}
	migrate(t, e, 0)
}

// TestLockWaitProgress: a rollback waiting for the lock tells its own
// Progress who holds it, and the Progress of an earlier migrate on the same
// engine hears nothing more once that migrate has returned.
func TestLockWaitProgress(t *testing.T) {
	tg := newTarget(t)
	cfg := tg.config()
	cfg.Lock.Wait = 2 * time.Second
	e := tg.engine(t, cfg, opsMigrations())
	ctx := context.Background()
	if _, err := e.Init(ctx); err != nil {
		t.Fatal(err)
	}
	var migrateWaits, rollbackWaits []string
	if _, err := e.Migrate(ctx, engine.MigrateOptions{Target: 1, Progress: func(p engine.Progress) {
		if p.Kind == engine.ProgressLockWait {
			migrateWaits = append(migrateWaits, p.Holder.Owner)
		}
	}}); err != nil {
		t.Fatal(err)
	}

	dead := lock.New(tg.session(t), tg.ks, lock.WithOwner("ci-runner/4242/dead"))
	if _, err := dead.Acquire(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := e.Rollback(ctx, engine.RollbackOptions{Progress: func(p engine.Progress) {
		if p.Kind == engine.ProgressLockWait {
			rollbackWaits = append(rollbackWaits, p.Holder.Owner)
		}
	}})
	if !errors.Is(err, engine.ErrLockNotAcquired) {
		t.Fatalf("rollback while the dead holder has the lock: %v, want ErrLockNotAcquired", err)
	}
	if len(rollbackWaits) == 0 || rollbackWaits[0] != "ci-runner/4242/dead" {
		t.Errorf("rollback's lock waits: %q, want the dead holder named", rollbackWaits)
	}
	if len(migrateWaits) != 0 {
		t.Errorf("the earlier migrate's Progress was told of %d lock wait(s) after it returned", len(migrateWaits))
	}
}

func TestHistoryNewestFirst(t *testing.T) {
	tg := newTarget(t)
	e := tg.initialized(t, opsMigrations())
	ctx := context.Background()
	migrate(t, e, 2)
	h, err := e.History(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range h.Events {
		got = append(got, string(ev.Kind)+" V"+strconv.Itoa(ev.Version))
	}
	if want := []string{"applied V2", "attempt V2", "applied V1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("history -n 3: %v, want %v", got, want)
	}
	if ev := h.Events[0]; ev.Who == "" || ev.At.IsZero() || ev.Statements != 2 {
		t.Errorf("newest event %+v: want who, when and 2 statements", ev)
	}
}

// Progress tells a run's steps in order, with positions and the resume
// point.
func TestProgressSteps(t *testing.T) {
	tg := newTarget(t)
	e := tg.initialized(t, opsMigrations())
	var steps []string
	progress := func(p engine.Progress) {
		s := string(p.Kind)
		switch p.Kind {
		case engine.ProgressMigrationStart:
			s += " " + p.Name + " " + strconv.Itoa(p.Statements)
		case engine.ProgressStatement:
			s += " " + strconv.Itoa(p.Statement) + "/" + strconv.Itoa(p.Statements) + " line " + strconv.Itoa(p.Line)
		case engine.ProgressMigrationDone:
			s += " " + p.Name
		}
		steps = append(steps, s)
	}
	if _, err := e.Migrate(context.Background(), engine.MigrateOptions{Target: 2, Progress: progress}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"locked",
		"migration_start V001 create users 1", "statement 1/1 line 1", "migration_done V001 create users",
		"migration_start V002 add email 2", "statement 1/2 line 1", "statement 2/2 line 2", "migration_done V002 add email",
	}
	if !reflect.DeepEqual(steps, want) {
		t.Errorf("progress:\n%s\nwant:\n%s", strings.Join(steps, "\n"), strings.Join(want, "\n"))
	}

	// A rollback tells the same steps, at the lines of the down section.
	steps = nil
	if _, err := e.Rollback(context.Background(), engine.RollbackOptions{Progress: progress}); err != nil {
		t.Fatal(err)
	}
	want = []string{"locked", "migration_start V002 add email 2", "statement 1/2 line 4", "statement 2/2 line 5", "migration_done V002 add email"}
	if !reflect.DeepEqual(steps, want) {
		t.Errorf("rollback progress:\n%s\nwant:\n%s", strings.Join(steps, "\n"), strings.Join(want, "\n"))
	}
}
