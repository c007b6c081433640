package engine_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/cqltest/store"
	"github.com/cqltrack/cqltrack/engine/history"
	"github.com/cqltrack/cqltrack/engine/lock"
)

var fenceMigrations = map[string]string{
	"V001__one.cql": "CREATE TABLE one (id int PRIMARY KEY);\n",
	"V002__three.cql": `CREATE TABLE two_a (id int PRIMARY KEY);
CREATE TABLE two_b (id int PRIMARY KEY);
CREATE TABLE two_c (id int PRIMARY KEY);
`,
	"V003__last.cql": "CREATE TABLE three (id int PRIMARY KEY);\n",
}

// frozenRenewer is a lock renewal hook that stops the renewer while the
// test says the process is frozen, as a stopped process's renewer would be.
type frozenRenewer struct {
	frozen  atomic.Bool
	blocked chan struct{}
	thaw    chan struct{}
}

func newFrozenRenewer() *frozenRenewer {
	return &frozenRenewer{blocked: make(chan struct{}, 1), thaw: make(chan struct{})}
}

func (f *frozenRenewer) beforeRenew(ctx context.Context) {
	if !f.frozen.Load() {
		return
	}
	select {
	case f.blocked <- struct{}{}:
	default:
	}
	select {
	case <-f.thaw:
	case <-ctx.Done():
	}
}

// A migrator paused in the middle of V2 (its statement answered late, its
// renewer stopped) loses its lease; another migrator takes over and
// finishes. When the first wakes up it stops before its next statement with
// ErrLockNotAcquired and writes nothing to the history.
func TestPausedHolderStopsBeforeItsNextStatement(t *testing.T) {
	clk := store.NewManualClock(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
	tg := newStandIn(t, "a pausing fault and a manual clock", cqltest.WithClock(clk))
	fsys := files(fenceMigrations)
	tg.initialized(t, fsys)
	ctx := context.Background()

	cfg := tg.config()
	cfg.Lock.TTL = 2 * time.Second
	renewer := newFrozenRenewer()
	first := tg.engine(t, cfg, fsys, engine.WithLockOptions(lock.WithClock(clk.Now),
		lock.WithRenewEvery(10*time.Millisecond), lock.WithBeforeRenew(renewer.beforeRenew)))
	second := tg.engine(t, cfg, fsys, engine.WithLockOptions(lock.WithClock(clk.Now)))

	pause := tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE two_b", Nth: 1, Pause: true})
	type result struct {
		r   *engine.MigrateReport
		err error
	}
	done := make(chan result, 1)
	go func() {
		r, err := first.Migrate(ctx, engine.MigrateOptions{})
		done <- result{r, err}
	}()
	select {
	case <-pause.Paused():
	case res := <-done:
		t.Fatalf("first migrator returned before the pause: %v", res.err)
	case <-time.After(10 * time.Second):
		t.Fatal("the first migrator never reached V2 statement 2")
	}
	// The whole process is frozen now: stop its renewer too, then let the
	// lease run out on the cluster's clock and on the migrator's.
	renewer.frozen.Store(true)
	select {
	case <-renewer.blocked:
	case <-time.After(5 * time.Second):
		t.Fatal("the renewer did not stop")
	}
	clk.Advance(3 * time.Second)

	r2, err := second.Migrate(ctx, engine.MigrateOptions{})
	if err != nil {
		t.Fatalf("second migrator after the lease expired: %v", err)
	}
	if len(r2.Migrations) != 2 || r2.Migrations[0].Version != 2 || r2.Migrations[0].ResumedAt != 2 || r2.Migrations[1].Version != 3 {
		t.Fatalf("second migrator ran %+v, want V2 resumed at statement 2, then V3", r2.Migrations)
	}
	recsBefore, evsBefore, ddlBefore := tg.records(t), tg.events(t), ddl(tg.Cluster)

	pause.Resume()
	close(renewer.thaw)
	var res result
	select {
	case res = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the first migrator did not return after it was resumed")
	}
	if !errors.Is(res.err, engine.ErrLockNotAcquired) {
		t.Fatalf("first migrator: %v, want an error matching ErrLockNotAcquired", res.err)
	}
	if !errors.Is(res.err, lock.ErrLeaseLost) {
		t.Errorf("first migrator: %v, want it to say the lease was lost", res.err)
	}
	if got := ddl(tg.Cluster); got != ddlBefore {
		t.Errorf("the first migrator executed %d more schema change(s) after it woke up, want none", got-ddlBefore)
	}
	if got := tg.records(t); !reflect.DeepEqual(got, recsBefore) {
		t.Errorf("the first migrator changed the history after it lost the lock:\nbefore %+v\nafter  %+v", recsBefore, got)
	}
	if got := tg.events(t); len(got) != len(evsBefore) {
		t.Errorf("the first migrator logged %d event(s) after it lost the lock: %+v", len(got)-len(evsBefore), got[len(evsBefore):])
	}

	recs := tg.records(t)
	for v, n := range map[int]int{1: 1, 2: 3, 3: 1} {
		if r := recs[v]; r.Status != history.StatusSuccess || r.StatementsApplied != n {
			t.Errorf("history V%d: %s with %d statements applied, want success with %d", v, r.Status, r.StatementsApplied, n)
		}
	}
	st, err := second.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := states(st); got != "V1=applied V2=applied V3=applied" || st.Lock != nil {
		t.Errorf("status %s, lock %v; want all applied and the lock free", got, st.Lock)
	}
}

// With lock.WithSerialFence, a migrator whose lock was removed by a forced
// unlock stops before its next statement, however recently it renewed.
func TestSerialFenceStopsHolderAfterForcedUnlock(t *testing.T) {
	tg := newStandIn(t, "a pausing fault")
	fsys := files(fenceMigrations)
	admin := tg.initialized(t, fsys)
	ctx := context.Background()
	holder := tg.engine(t, nil, fsys, engine.WithLockOptions(lock.WithSerialFence(true)))

	pause := tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE two_b", Nth: 1, Pause: true})
	done := make(chan error, 1)
	go func() {
		_, err := holder.Migrate(ctx, engine.MigrateOptions{})
		done <- err
	}()
	select {
	case <-pause.Paused():
	case err := <-done:
		t.Fatalf("migrate returned before the pause: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("migrate never reached V2 statement 2")
	}
	u, err := admin.Unlock(ctx, true)
	if err != nil || !u.Removed {
		t.Fatalf("force unlock: %+v, %v", u, err)
	}
	ddlBefore := ddl(tg.Cluster)
	pause.Resume()
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("migrate did not return")
	}
	if !errors.Is(err, engine.ErrLockNotAcquired) || !strings.Contains(err.Error(), "expired or was removed") {
		t.Fatalf("migrate after a forced unlock: %v, want ErrLockNotAcquired saying the lock was removed", err)
	}
	if got := ddl(tg.Cluster); got != ddlBefore {
		t.Errorf("%d schema change(s) after the forced unlock, want none", got-ddlBefore)
	}
	if m := stateOf(t, status(t, admin), 2); m.State != engine.StateInterrupted || m.StatementsApplied != 1 {
		t.Errorf("V2 is %s with %d applied, want interrupted with 1 (statement 2 unconfirmed)", m.State, m.StatementsApplied)
	}
	r, err := admin.Migrate(ctx, engine.MigrateOptions{})
	if err != nil || len(r.Migrations) != 2 || r.Migrations[0].ResumedAt != 2 {
		t.Fatalf("migrate after the stopped holder: %+v, %v; want V2 resumed at 2, then V3", r, err)
	}
}
