package engine_test

import (
	"context"
	"sync"
	"testing"
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
