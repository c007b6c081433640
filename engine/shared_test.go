package engine_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/cqltest"
)

// An engine shared by goroutines (a service's handlers) connects once:
// concurrent first calls all succeed on one session, which Close then
// closes, instead of each opening a session that only the last would keep.
func TestConcurrentFirstCallsShareOneSession(t *testing.T) {
	tg := newStandIn(t, "counts connections")
	tg.initialized(t, files(raceMigrations))

	connections := func(calls int) int {
		e := tg.engine(t, nil, files(raceMigrations))
		tg.Cluster.ResetStats()
		var wg sync.WaitGroup
		errs := make(chan error, calls)
		for range calls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := e.Status(context.Background()); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("status from one of %d goroutines: %v", calls, err)
		}
		e.Close()
		return tg.Cluster.Stats().Connections
	}
	one, eight := connections(1), connections(8)
	if eight > one {
		t.Errorf("8 concurrent first calls opened %d connections, one call %d: each opened a session of its own", eight, one)
	}
}

// Replicas of a service that start together on a cql-track 1.x keyspace
// adopt it together: each sees the history table lack cqltrack's columns
// and adds them, and the ones whose ALTER comes second (Cassandra: the
// column already exists) read the columns again instead of failing as
// bad input. Every replica then migrates, one applying and the others
// finding nothing left.
func TestReplicasAdoptCqlTrack1KeyspaceTogether(t *testing.T) {
	tg := newTarget(t)
	ctx := context.Background()
	tg.cqlTrack1Keyspace(t)
	if tg.Cluster != nil {
		// Every replica reads the columns before the first ALTER lands.
		tg.Cluster.Inject(cqltest.Fault{Match: "ALTER TABLE " + tg.ks + ".cqltrack_history ADD", Delay: 200 * time.Millisecond})
	}
	fsys := files(raceMigrations)
	const replicas = 3
	engines := make([]*engine.Engine, replicas)
	for i := range engines {
		engines[i] = tg.engine(t, nil, fsys)
	}
	errs := make([]error, replicas)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, e := range engines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if _, err := e.Init(ctx); err != nil {
				errs[i] = fmt.Errorf("init: %w", err)
				return
			}
			if _, err := e.Migrate(ctx, engine.MigrateOptions{}); err != nil {
				errs[i] = fmt.Errorf("migrate: %w", err)
			}
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i+1, err)
		}
	}
}
