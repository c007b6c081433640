package lock

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/cqltrack/cqltrack/engine/cluster"
)

// Lease is a held lock. A goroutine renews it every renew period until
// Release; Fence tells whether it is still safe to act under it.
type Lease struct {
	l     *Locker
	since time.Time

	mu        sync.Mutex
	lastRenew time.Time // when the last successful write of the lease was sent
	lost      error     // why the lease is lost, nil while held
	released  bool

	cancel context.CancelFunc
	done   chan struct{}
}

// trusted is how long after a write of the lease was sent Fence trusts it.
// Cassandra counts a TTL from the whole second the write arrived in (the
// cell expires at now-in-seconds + TTL), so the row lives more than TTL-1s
// but maybe not the whole TTL; of that, the last tenth of the TTL is left
// for a statement started just before: it could still be running when the
// row expires and another migrator takes over.
func (l *Locker) trusted() time.Duration {
	return time.Duration(l.ttlSeconds()-1)*time.Second - l.ttl/10
}

// startLease starts the renewals of a lease acquired at since (the row's
// acquired_at) whose row was written no earlier than written: Fence times
// the lease from written, not from when Acquire's answer arrived, since the
// cluster's TTL started with the write.
func (l *Locker) startLease(since, written time.Time) *Lease {
	ctx, cancel := context.WithCancel(context.Background())
	le := &Lease{l: l, since: since, lastRenew: written, cancel: cancel, done: make(chan struct{})}
	go le.renewLoop(ctx)
	return le
}

// Owner returns the owner id written in the lock row.
func (le *Lease) Owner() string { return le.l.owner }

// Since returns when the lock was acquired.
func (le *Lease) Since() time.Time { return le.since }

// Fence returns nil when the lease is still ours and safe to act under, and
// an error wrapping ErrLeaseLost otherwise: a renewal found the row gone or
// owned by someone else, or the last successful write of the lease was sent
// longer ago than 90% of the TTL less one second (the row may expire up to a
// second early, as Cassandra counts TTLs in whole seconds): this process was
// paused, or the cluster did not answer its renewals. With WithSerialFence it also reads the row at the serial
// consistency. The engine calls it before every statement.
func (le *Lease) Fence(ctx context.Context) error {
	le.mu.Lock()
	lost, released, last := le.lost, le.released, le.lastRenew
	le.mu.Unlock()
	if released {
		return fmt.Errorf("%w: the lease was released", ErrLeaseLost)
	}
	if lost != nil {
		return lost
	}
	age := le.l.now().Sub(last)
	if age >= le.l.trusted() {
		err := fmt.Errorf("%w: last renewed %s ago, the lease lasts %s\nhint: the process was paused or could not reach the cluster; another migrator may have taken over, run `cqltrack status` before retrying",
			ErrLeaseLost, age.Round(time.Millisecond), le.l.ttl)
		le.markLost(err)
		return err
	}
	if le.l.serialFence {
		h, err := le.l.readHolder(ctx)
		if err != nil {
			return fmt.Errorf("fence: read lock %s: %w", le.l.table, err)
		}
		if h == nil || h.Owner != le.l.owner {
			err := le.lostTo(h)
			le.markLost(err)
			return err
		}
	}
	return nil
}

// lostTo describes a lease found taken by h (nil: the row is gone).
func (le *Lease) lostTo(h *Holder) error {
	if h == nil {
		return fmt.Errorf("%w: the lock row expired or was removed (cqltrack unlock --force?)", ErrLeaseLost)
	}
	return fmt.Errorf("%w: the lock is now held by %s", ErrLeaseLost, h)
}

func (le *Lease) markLost(err error) {
	le.mu.Lock()
	if le.lost == nil {
		le.lost = err
	}
	le.mu.Unlock()
}

// Release stops the renewals and deletes the lock row if it is still ours.
// It returns an error wrapping ErrLeaseLost when someone else holds the
// lock by then (the row is left alone), and nil when the row had already
// expired. Calling it twice is harmless.
func (le *Lease) Release(ctx context.Context) error {
	le.mu.Lock()
	if le.released {
		le.mu.Unlock()
		return nil
	}
	le.released = true
	le.mu.Unlock()
	le.cancel()
	<-le.done

	stmt := "DELETE FROM " + le.l.table + " WHERE lock_id = ? IF owner = ?"
	applied, cur, err := le.l.s.ScanCAS(ctx, stmt, GlobalID, le.l.owner)
	if err != nil && cluster.IsUncertain(err) {
		// Learn the outcome; if the row is still ours, delete it once more.
		h, rerr := le.l.readHolder(ctx)
		if rerr != nil {
			return fmt.Errorf("release lock %s: %w (and reading the outcome: %w)", le.l.table, err, rerr)
		}
		if h == nil || h.Owner != le.l.owner {
			cur, applied, err = nil, h == nil, nil
			if h != nil {
				cur = map[string]any{"owner": h.Owner, "acquired_at": h.Since}
			}
		} else {
			applied, cur, err = le.l.s.ScanCAS(ctx, stmt, GlobalID, le.l.owner)
		}
	}
	if err != nil {
		return fmt.Errorf("release lock %s: %w", le.l.table, err)
	}
	if !applied {
		if h := holderOf(cur); h != nil && h.Owner != le.l.owner {
			return fmt.Errorf("release lock %s: %w", le.l.table, le.lostTo(h))
		}
	}
	return nil
}

// renewLoop renews the lease every renew period until the context ends or
// the lease is lost.
func (le *Lease) renewLoop(ctx context.Context) {
	defer close(le.done)
	t := time.NewTicker(le.l.renewEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if le.l.beforeRenew != nil {
			le.l.beforeRenew(ctx)
			if ctx.Err() != nil {
				return
			}
		}
		if lost := le.renew(ctx); lost {
			return
		}
	}
}

// renew writes the lease again with a fresh TTL if we still own it, and
// reports whether the lease is lost.
func (le *Lease) renew(ctx context.Context) (lost bool) {
	sent := le.l.now()
	stmt := "UPDATE " + le.l.table + " USING TTL " + strconv.Itoa(le.l.ttlSeconds()) +
		" SET owner = ?, acquired_at = ? WHERE lock_id = ? IF owner = ?"
	rctx, cancel := context.WithTimeout(ctx, le.l.renewEvery)
	defer cancel()
	applied, cur, err := le.l.s.ScanCAS(rctx, stmt, le.l.owner, le.since, GlobalID, le.l.owner)
	if err != nil && cluster.IsUncertain(err) {
		h, rerr := le.l.readHolder(rctx)
		if rerr != nil {
			return false // unknown: Fence fails once the lease is too old
		}
		if h == nil || h.Owner != le.l.owner {
			le.markLost(le.lostTo(h))
			return true
		}
		// Still ours, but whether the TTL was extended is unknown: keep
		// the older renewal time and try again next period.
		return false
	}
	if err != nil {
		if errors.Is(err, context.Canceled) && ctx.Err() != nil {
			return true
		}
		return false
	}
	if !applied {
		le.markLost(le.lostTo(holderOf(cur)))
		return true
	}
	le.mu.Lock()
	le.lastRenew = sent
	le.mu.Unlock()
	return false
}
