package lock_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/cluster/clustertest"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/cqltest/store"
	"github.com/cqltrack/cqltrack/engine/lock"
)

// setup returns a session and a keyspace with the lock table.
func setup(t *testing.T, tg *clustertest.Target) (*cluster.Session, string) {
	t.Helper()
	s := tg.Connect(t, nil)
	ks := clustertest.Keyspace(t, s)
	for range 2 { // the second run must change nothing
		if err := lock.EnsureSchema(context.Background(), s, ks); err != nil {
			t.Fatal(err)
		}
	}
	return s, ks
}

func fast(opts ...lock.Option) []lock.Option {
	return append([]lock.Option{lock.WithBackoff(5*time.Millisecond, 40*time.Millisecond)}, opts...)
}

func TestAcquireHolderRelease(t *testing.T) {
	s, ks := setup(t, clustertest.New(t))
	ctx := context.Background()
	l := lock.New(s, ks, fast(lock.WithTTL(10*time.Second))...)
	if h, err := l.Holder(ctx); err != nil || h != nil {
		t.Fatalf("holder of a free lock: %v, %v", h, err)
	}
	before := time.Now().Add(-time.Second)
	le, err := l.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h, err := l.Holder(ctx)
	if err != nil || h == nil {
		t.Fatalf("holder: %v, %v", h, err)
	}
	if h.Owner != l.Owner() || h.Since.Before(before) || h.ExpiresIn <= 0 || h.ExpiresIn > 10*time.Second {
		t.Errorf("holder %+v; want owner %s, since now, expiring within 10s", h, l.Owner())
	}
	if err := le.Fence(ctx); err != nil {
		t.Errorf("fence of a fresh lease: %v", err)
	}
	if err := le.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if h, err := l.Holder(ctx); err != nil || h != nil {
		t.Fatalf("holder after release: %v, %v", h, err)
	}
	if err := le.Fence(ctx); !errors.Is(err, lock.ErrLeaseLost) {
		t.Errorf("fence after release: %v, want ErrLeaseLost", err)
	}
	if err := le.Release(ctx); err != nil {
		t.Errorf("second release: %v", err)
	}
}

func TestOwnersDiffer(t *testing.T) {
	a, b := lock.NewOwner(), lock.NewOwner()
	if a == b || strings.Count(a, "/") != 2 {
		t.Fatalf("owners %q and %q: want distinct host/pid/random ids", a, b)
	}
}

func TestRacingMigratorsHoldOneAtATime(t *testing.T) {
	tg := clustertest.New(t, cqltest.WithNodes(3))
	_, ks := setup(t, tg)
	const racers = 5
	var (
		inside, maxInside, turns atomic.Int32
		wg                       sync.WaitGroup
		errs                     = make(chan error, racers)
	)
	for range racers {
		s := tg.Connect(t, nil) // a session each, as separate processes have
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			le, err := lock.New(s, ks, fast(lock.WithTTL(5*time.Second), lock.WithWait(20*time.Second))...).Acquire(ctx)
			if err != nil {
				errs <- err
				return
			}
			n := inside.Add(1)
			for m := maxInside.Load(); n > m && !maxInside.CompareAndSwap(m, n); m = maxInside.Load() {
			}
			time.Sleep(30 * time.Millisecond)
			if err := le.Fence(ctx); err != nil {
				errs <- err
			}
			inside.Add(-1)
			turns.Add(1)
			if err := le.Release(ctx); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if maxInside.Load() != 1 || turns.Load() != racers {
		t.Fatalf("%d holders at once at most, %d turns; want 1 and %d", maxInside.Load(), turns.Load(), racers)
	}
}

func TestHeldLockTimesOutNamingTheHolder(t *testing.T) {
	s, ks := setup(t, clustertest.New(t))
	ctx := context.Background()
	holder := lock.New(s, ks, lock.WithOwner("deploy-7/4242/abcd"), lock.WithTTL(30*time.Second))
	le, err := holder.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer le.Release(ctx)

	var reports []lock.Holder
	start := time.Now()
	_, err = lock.New(s, ks, fast(lock.WithWait(300*time.Millisecond),
		lock.WithWaiting(func(h lock.Holder, _ time.Duration) { reports = append(reports, h) }))...).Acquire(ctx)
	var nae *lock.NotAcquiredError
	if !errors.As(err, &nae) || !errors.Is(err, lock.ErrNotAcquired) {
		t.Fatalf("error %v, want NotAcquiredError", err)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond || waited > 5*time.Second {
		t.Errorf("gave up after %s, want about lock.wait (300ms)", waited)
	}
	if nae.Holder.Owner != "deploy-7/4242/abcd" || !strings.Contains(err.Error(), "held by deploy-7/4242/abcd since ") {
		t.Errorf("error %q, holder %+v: want the holder named", err, nae.Holder)
	}
	if len(reports) < 2 || reports[0].Owner != "deploy-7/4242/abcd" || reports[0].Since.IsZero() {
		t.Errorf("waiting reports %+v: want several naming the holder and since when", reports)
	}
	if _, err := lock.New(s, ks, lock.WithWait(0)).Acquire(ctx); !errors.Is(err, lock.ErrNotAcquired) {
		t.Errorf("wait 0: %v, want ErrNotAcquired at once", err)
	}
}

func TestPausedHolderLosesItsLease(t *testing.T) {
	clk := store.NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	tg := clustertest.NewStandIn(t, "a manual clock", cqltest.WithClock(clk))
	s, ks := setup(t, tg)
	ctx := context.Background()

	paused := make(chan struct{}, 1)
	pause := func(ctx context.Context) {
		select {
		case paused <- struct{}{}:
		default:
		}
		<-ctx.Done()
	}
	first := lock.New(s, ks, lock.WithTTL(2*time.Second), lock.WithRenewEvery(10*time.Millisecond),
		lock.WithClock(clk.Now), lock.WithBeforeRenew(pause))
	le, err := first.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer le.Release(ctx)
	<-paused // the renewer is stopped, as in a process that is paused
	if err := le.Fence(ctx); err != nil {
		t.Fatalf("fence before the lease ran out: %v", err)
	}

	clk.Advance(3 * time.Second)
	second := lock.New(s, ks, lock.WithWait(0), lock.WithClock(clk.Now))
	le2, err := second.Acquire(ctx)
	if err != nil {
		t.Fatalf("second migrator after the lease expired: %v", err)
	}
	defer le2.Release(ctx)
	err = le.Fence(ctx)
	if !errors.Is(err, lock.ErrLeaseLost) || !strings.Contains(err.Error(), "last renewed 3s ago") {
		t.Fatalf("fence of the paused holder: %v, want ErrLeaseLost", err)
	}
	if err := le2.Fence(ctx); err != nil {
		t.Errorf("new holder's fence: %v", err)
	}
}

func TestRenewalNoticesTakeover(t *testing.T) {
	s, ks := setup(t, clustertest.New(t))
	ctx := context.Background()
	first := lock.New(s, ks, lock.WithRenewEvery(20*time.Millisecond))
	le, err := first.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	admin := lock.New(s, ks)
	h, err := admin.ForceUnlock(ctx)
	if err != nil || h == nil || h.Owner != first.Owner() {
		t.Fatalf("force unlock returned %+v, %v; want the first holder", h, err)
	}
	second := lock.New(s, ks, lock.WithOwner("second/1/ff"), lock.WithWait(0))
	le2, err := second.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		err = le.Fence(ctx)
		if err != nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !errors.Is(err, lock.ErrLeaseLost) || !strings.Contains(err.Error(), "now held by second/1/ff") {
		t.Fatalf("fence after takeover: %v, want ErrLeaseLost naming second/1/ff", err)
	}
	// Releasing a lock someone else now holds leaves it alone.
	if err := le.Release(ctx); !errors.Is(err, lock.ErrLeaseLost) {
		t.Errorf("release by the old holder: %v, want ErrLeaseLost", err)
	}
	if h, err := admin.Holder(ctx); err != nil || h == nil || h.Owner != "second/1/ff" {
		t.Fatalf("holder after the old holder's release: %+v, %v; want second/1/ff", h, err)
	}
	if err := le2.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if h, err := admin.ForceUnlock(ctx); err != nil || h != nil {
		t.Errorf("force unlock of a free lock: %+v, %v", h, err)
	}
}

func TestSerialFenceSeesForcedUnlock(t *testing.T) {
	s, ks := setup(t, clustertest.New(t))
	ctx := context.Background()
	l := lock.New(s, ks, lock.WithSerialFence(true), lock.WithTTL(30*time.Second))
	le, err := l.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer le.Release(ctx)
	if err := le.Fence(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := lock.New(s, ks).ForceUnlock(ctx); err != nil {
		t.Fatal(err)
	}
	if err := le.Fence(ctx); !errors.Is(err, lock.ErrLeaseLost) || !strings.Contains(err.Error(), "expired or was removed") {
		t.Fatalf("serial fence after a forced unlock: %v, want ErrLeaseLost", err)
	}
}

func TestLWTFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault cqltest.Fault
	}{
		{"unavailable", cqltest.Fault{Match: "IF NOT EXISTS", Nth: 1, Err: cqltest.Unavailable(0x0008, 2, 1)}},
		{"CAS write timeout, not applied", cqltest.Fault{Match: "IF NOT EXISTS", Nth: 1, Err: cqltest.CASWriteTimeout(0x0008, 0, 2, 1)}},
		{"applied but the answer is lost", cqltest.Fault{Match: "IF NOT EXISTS", Nth: 1, Pause: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := clustertest.NewStandIn(t, "fault injection")
			cfg := tg.Config("")
			cfg.Cassandra.RequestTimeout = 300 * time.Millisecond
			s := tg.Connect(t, cfg)
			ks := clustertest.Keyspace(t, s)
			ctx := context.Background()
			if err := lock.EnsureSchema(ctx, s, ks); err != nil {
				t.Fatal(err)
			}
			in := tg.Cluster.Inject(tt.fault)
			defer in.Remove()
			l := lock.New(s, ks, fast(lock.WithWait(time.Second))...)
			le, err := l.Acquire(ctx)
			if err != nil {
				t.Fatalf("acquire through a fault: %v", err)
			}
			defer le.Release(ctx)
			if in.Hits() != 1 {
				t.Errorf("fault hit %d times, want 1", in.Hits())
			}
			if h, err := l.Holder(ctx); err != nil || h == nil || h.Owner != l.Owner() {
				t.Fatalf("holder %+v, %v; want us", h, err)
			}
		})
	}
}

func TestRenewalSurvivesAnUncertainWrite(t *testing.T) {
	tg := clustertest.NewStandIn(t, "fault injection")
	s, ks := setup(t, tg)
	ctx := context.Background()
	in := tg.Cluster.Inject(cqltest.Fault{Match: "IF owner =", Nth: 1, Err: cqltest.CASWriteTimeout(0x0008, 0, 2, 1)})
	defer in.Remove()
	l := lock.New(s, ks, lock.WithTTL(2*time.Second), lock.WithRenewEvery(30*time.Millisecond))
	le, err := l.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer le.Release(ctx)
	deadline := time.Now().Add(5 * time.Second)
	for in.Hits() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // more renewals, after the faulted one
	if err := le.Fence(ctx); err != nil || in.Hits() != 1 {
		t.Fatalf("fence after an uncertain renewal: %v (fault hits %d)", err, in.Hits())
	}
}

func TestAcquireGivesUpOnAPersistentFault(t *testing.T) {
	tg := clustertest.NewStandIn(t, "fault injection")
	s, ks := setup(t, tg)
	ctx := context.Background()
	in := tg.Cluster.Inject(cqltest.Fault{Match: "IF NOT EXISTS", Err: cqltest.Unavailable(0x0008, 2, 1)})
	defer in.Remove()
	_, err := lock.New(s, ks, fast(lock.WithWait(200*time.Millisecond))...).Acquire(ctx)
	if err == nil || errors.Is(err, lock.ErrNotAcquired) || !cluster.IsUnavailable(err) || !strings.Contains(err.Error(), "the lock is free but taking it failed") {
		t.Fatalf("acquire against a cluster that cannot run Paxos: %v", err)
	}
	if hits := in.Hits(); hits < 2 || hits > 50 {
		t.Errorf("%d attempts in 200ms: want a few, with backoff", hits)
	}
}

func TestHolderJSON(t *testing.T) {
	h := lock.Holder{Owner: "a/1/b", Since: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), ExpiresIn: 42 * time.Second}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"owner":"a/1/b","since":"2026-01-02T03:04:05Z","expires_in_ms":42000}`; string(b) != want {
		t.Errorf("json %s, want %s", b, want)
	}
}

// A migrator whose lock answer came back late must not act under the lease
// longer than the cluster keeps its row: the lease runs from when the row
// was written, not from when the answer arrived. Here the answer to A's
// INSERT ... IF NOT EXISTS is held 1.5s of a 2s lease (a slow coordinator)
// or never comes (A times out and reads the row back), and A cannot renew;
// once B has taken the expired lock, A's Fence must refuse.
func TestSlowAcquireAnswerDoesNotLengthenTheLease(t *testing.T) {
	const (
		ttl  = 2 * time.Second
		held = 1500 * time.Millisecond
	)
	tests := []struct {
		name    string
		timeout time.Duration // A's request timeout
	}{
		{"the answer arrives late", 10 * time.Second},
		{"the answer is lost and A reads the row back", held},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := clustertest.NewStandIn(t, "fault injection")
			s, ks := setup(t, tg)
			cfg := tg.Config("")
			cfg.Cassandra.RequestTimeout = tt.timeout
			sa := tg.Connect(t, cfg)
			ctx := context.Background()

			pause := tg.Cluster.Inject(cqltest.Fault{Match: "IF NOT EXISTS USING TTL", Nth: 1, Pause: true})
			defer pause.Remove()
			go func() {
				<-pause.Paused()
				time.Sleep(held)
				pause.Resume()
			}()
			renewals := tg.Cluster.Inject(cqltest.Fault{Match: "UPDATE " + ks + ".cqltrack_lock", Err: cqltest.Overloaded()})
			defer renewals.Remove()

			a := lock.New(sa, ks, fast(lock.WithTTL(ttl))...)
			leA, err := a.Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer leA.Release(ctx)
			b := lock.New(s, ks, fast(lock.WithTTL(ttl), lock.WithWait(3*ttl))...)
			leB, err := b.Acquire(ctx)
			if err != nil {
				t.Fatalf("B, once A's lease expired: %v", err)
			}
			defer leB.Release(ctx)
			if err := leA.Fence(ctx); !errors.Is(err, lock.ErrLeaseLost) {
				t.Fatalf("A's fence while B holds the lock: %v, want ErrLeaseLost", err)
			}
			if err := leB.Fence(ctx); err != nil {
				t.Errorf("B's fence: %v", err)
			}
		})
	}
}

// forceUnlockRace starts a ForceUnlock whose DELETE is slow to reach the
// coordinator, and while it is on its way lets the holder it read, A,
// release the lock and then calls then (to take it, or not). It returns what
// ForceUnlock returned, and A.
func forceUnlockRace(t *testing.T, tg *clustertest.Target, s *cluster.Session, ks string, then func()) (*lock.Holder, *lock.Locker, error) {
	t.Helper()
	ctx := context.Background()
	a := lock.New(s, ks, fast(lock.WithTTL(10*time.Second))...)
	leA, err := a.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slow := tg.Cluster.Inject(cqltest.Fault{Match: "DELETE FROM " + ks + ".cqltrack_lock", Nth: 1, Delay: 500 * time.Millisecond})
	defer slow.Remove()
	type result struct {
		h   *lock.Holder
		err error
	}
	done := make(chan result, 1)
	go func() {
		h, err := lock.New(s, ks).ForceUnlock(ctx)
		done <- result{h, err}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for slow.Hits() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := leA.Release(ctx); err != nil {
		t.Fatal(err)
	}
	then()
	r := <-done
	if slow.Hits() != 1 {
		t.Fatalf("the forced DELETE was not the one delayed (hits %d)", slow.Hits())
	}
	return r.h, a, r.err
}

// An operator who forces the removal of a lock they saw held by A never
// removes the lock of B, who took it after A released it while the removal
// was on its way: nothing is removed, the error names both, and B keeps
// running alone.
func TestForceUnlockLeavesTheNextHoldersLock(t *testing.T) {
	tg := clustertest.NewStandIn(t, "fault injection")
	s, ks := setup(t, tg)
	ctx := context.Background()
	b := lock.New(s, ks, fast(lock.WithTTL(10*time.Second), lock.WithOwner("next/2/bb"))...)
	var leB *lock.Lease
	removed, a, err := forceUnlockRace(t, tg, s, ks, func() {
		var err error
		if leB, err = b.Acquire(ctx); err != nil {
			t.Fatal(err)
		}
	})
	defer leB.Release(ctx)
	var changed *lock.HolderChangedError
	if !errors.As(err, &changed) || !errors.Is(err, lock.ErrHolderChanged) || removed != nil {
		t.Fatalf("force unlock: %+v, %v; want nothing removed and a HolderChangedError", removed, err)
	}
	if changed.Was.Owner != a.Owner() || changed.Now.Owner != "next/2/bb" ||
		!strings.Contains(err.Error(), "held by "+a.Owner()) || !strings.Contains(err.Error(), "now held by next/2/bb") {
		t.Errorf("error %q: want it to name the holder read (%s) and the new one (next/2/bb)", err, a.Owner())
	}
	if h, err := b.Holder(ctx); err != nil || h == nil || h.Owner != "next/2/bb" {
		t.Fatalf("holder after the refused removal: %+v, %v; want next/2/bb", h, err)
	}
	if err := leB.Fence(ctx); err != nil {
		t.Errorf("B's fence: %v", err)
	}
	if _, err := lock.New(s, ks, lock.WithWait(0)).Acquire(ctx); !errors.Is(err, lock.ErrNotAcquired) {
		t.Errorf("a third migrator while B holds the lock: %v, want ErrNotAcquired", err)
	}
}

// If the holder releases the lock while a forced removal is on its way,
// the removal finds the lock free and says it removed nothing.
func TestForceUnlockOfALockReleasedMeanwhile(t *testing.T) {
	tg := clustertest.NewStandIn(t, "fault injection")
	s, ks := setup(t, tg)
	removed, _, err := forceUnlockRace(t, tg, s, ks, func() {})
	if err != nil || removed != nil {
		t.Fatalf("force unlock of a lock released meanwhile: %+v, %v; want nothing removed, no error", removed, err)
	}
	if h, err := lock.New(s, ks).Holder(context.Background()); err != nil || h != nil {
		t.Errorf("holder: %+v, %v; want none", h, err)
	}
}
