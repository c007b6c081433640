package engine_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/history"
)

// raceMigrations are three migrations of several statements. The counter
// update in V3 is not idempotent: running it twice leaves hits = 2, which
// shows a double application even on a real cluster, where the server's
// DDL counters cannot be read.
var raceMigrations = map[string]string{
	"V001__create_users.cql": `CREATE TABLE users (id uuid PRIMARY KEY, name text);
CREATE TABLE users_by_name (name text PRIMARY KEY, id uuid);
`,
	"V002__add_email.cql": `ALTER TABLE users ADD email text;
CREATE INDEX users_email ON users (email);
ALTER TABLE users_by_name ADD email text;
`,
	"V003__counters.cql": `CREATE TABLE hits (k text PRIMARY KEY, n counter);
UPDATE hits SET n = n + 1 WHERE k = 'migrations';
`,
}

// raceDDL is the number of schema changes in raceMigrations.
const raceDDL = 6

// Five migrators start together on one cluster, each with its own
// sessions: each migration is applied exactly once, all five succeed, and
// the ones that did not get the lock first apply nothing.
func TestRacingMigratorsApplyEachMigrationOnce(t *testing.T) {
	tg := newTarget(t)
	fsys := files(raceMigrations)
	tg.initialized(t, fsys)
	if tg.Cluster != nil {
		tg.Cluster.ResetStats()
		// Hold the first statement long enough that every migrator reads
		// the pending work before the first one finishes, so the others
		// really wait for the lock.
		tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE users (", Delay: 300 * time.Millisecond})
	}

	const migrators = 5
	engines := make([]*engine.Engine, migrators)
	for i := range engines {
		engines[i] = tg.engine(t, nil, fsys)
	}
	var (
		wg      sync.WaitGroup
		start   = make(chan struct{})
		reports = make([]*engine.MigrateReport, migrators)
		errs    = make([]error, migrators)
		waited  = make([]bool, migrators)
	)
	for i, e := range engines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			reports[i], errs[i] = e.Migrate(context.Background(), engine.MigrateOptions{Progress: func(p engine.Progress) {
				if p.Kind == engine.ProgressLockWait {
					waited[i] = true
				}
			}})
		}()
	}
	close(start)
	wg.Wait()

	appliedBy := map[int64]int{}
	workers, waiters := 0, 0
	for i, err := range errs {
		if err != nil {
			t.Errorf("migrator %d: %v", i+1, err)
			continue
		}
		if len(reports[i].Migrations) > 0 {
			workers++
		}
		if waited[i] {
			waiters++
			if len(reports[i].Migrations) > 0 {
				t.Errorf("migrator %d waited for the lock and then applied %d migration(s), want none", i+1, len(reports[i].Migrations))
			}
		}
		for _, m := range reports[i].Migrations {
			if m.Status != string(engine.StateApplied) {
				t.Errorf("migrator %d: V%d %s, want applied", i+1, m.Version, m.Status)
			}
			appliedBy[m.Version]++
		}
		if reports[i].Current != 3 {
			t.Errorf("migrator %d: reports current V%d, want V3", i+1, reports[i].Current)
		}
	}
	if workers != 1 {
		t.Errorf("%d migrators applied something, want exactly 1 (the others waited and found nothing to do)", workers)
	}
	if tg.Cluster != nil && waiters == 0 {
		t.Errorf("no migrator waited for the lock: the race was not exercised")
	}
	for v := int64(1); v <= 3; v++ {
		if appliedBy[v] != 1 {
			t.Errorf("V%d applied by %d migrators, want 1", v, appliedBy[v])
		}
	}

	if tg.Cluster != nil {
		if got := ddl(tg.Cluster); got != raceDDL {
			t.Errorf("the server executed %d schema changes, want %d", got, raceDDL)
		}
	}
	var hits int64
	if err := tg.session(t).Query(context.Background(), "SELECT n FROM "+tg.ks+".hits WHERE k = 'migrations'").Scan(&hits); err != nil {
		t.Fatalf("read counter: %v", err)
	}
	if hits != 1 {
		t.Errorf("the counter update of V3 ran %d times, want 1", hits)
	}

	recs := tg.records(t)
	want := map[int]int{1: 2, 2: 3, 3: 2}
	for v, n := range want {
		r := recs[v]
		if r.Status != history.StatusSuccess || r.StatementsApplied != n || r.StatementsTotal != n {
			t.Errorf("history V%d: status %s, %d/%d statements, want success %d/%d", v, r.Status, r.StatementsApplied, r.StatementsTotal, n, n)
		}
	}
	evs := tg.events(t)
	for v := range want {
		if a, ok := countEvents(evs, history.EventAttempt, v), countEvents(evs, history.EventApplied, v); a != 1 || ok != 1 {
			t.Errorf("event log V%d: %d attempts and %d applied, want 1 and 1", v, a, ok)
		}
	}
}
