// Package lock is cqltrack's migration lock: a lease on one row of the
// cqltrack_lock table, taken with a lightweight transaction (INSERT ... IF
// NOT EXISTS USING TTL), renewed in the background before it expires,
// checked before every statement (Fence) and released with DELETE ... IF
// owner = ?. One migrator at a time holds it; a migrator that stops renewing
// (crashed, paused, partitioned away) loses it when the TTL runs out, and if
// it wakes up, Fence stops it before its next statement.
//
// The table keeps the layout of cql-track 1.x, so a keyspace it managed is
// adopted as is: cqltrack_lock (lock_id text PRIMARY KEY, owner text,
// acquired_at timestamp) with the row 'cqltrack_global'. docs/locking.md
// explains the protocol and its guarantees.
package lock

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/cql"
)

// Table is the lock table's name and GlobalID the id of the row the
// migration lock is (as cql-track 1.x named them).
const (
	Table    = "cqltrack_lock"
	GlobalID = "cqltrack_global"
)

var (
	// ErrNotAcquired is returned by Acquire when another migrator held the
	// lock for longer than the configured wait (exit code 4). The error is a
	// *NotAcquiredError naming the holder.
	ErrNotAcquired = errors.New("lock not acquired")
	// ErrLeaseLost is returned by Fence (and Release) once the lease can no
	// longer be trusted: a renewal found another owner or no row, or the
	// last successful renewal is older than the lease's safe part.
	ErrLeaseLost = errors.New("lock lease lost")
	// ErrHolderChanged is returned by ForceUnlock when the lock changed
	// hands between reading its holder and removing it; nothing was
	// removed. The error is a *HolderChangedError naming both holders.
	ErrHolderChanged = errors.New("lock changed hands")
)

// Holder is who holds the lock.
type Holder struct {
	// Owner identifies the process: host/pid/random.
	Owner string `json:"owner"`
	// Since is when it acquired the lock (its own clock).
	Since time.Time `json:"since"`
	// ExpiresIn is how long the lease has left unless renewed; zero when
	// unknown.
	ExpiresIn time.Duration `json:"expires_in_ms,omitempty"`
}

func (h Holder) String() string {
	s := h.Owner
	if !h.Since.IsZero() {
		s += " since " + h.Since.UTC().Format(time.RFC3339)
	}
	return s
}

// NotAcquiredError says who held the lock when Acquire gave up.
type NotAcquiredError struct {
	Holder Holder
	Waited time.Duration
}

func (e *NotAcquiredError) Error() string {
	return fmt.Sprintf("lock held by %s; gave up after waiting %s\nhint: wait for that migration to finish, raise lock.wait, or if its process is gone run `cqltrack unlock --force` (the lease also expires by itself after lock.ttl)",
		e.Holder, e.Waited.Round(time.Millisecond))
}

// Is makes errors.Is(err, ErrNotAcquired) true.
func (e *NotAcquiredError) Is(target error) bool { return target == ErrNotAcquired }

// Option customises a Locker.
type Option func(*Locker)

// WithTTL sets the lease length (whole seconds, at least two, as a row
// written with a TTL of one second may expire at once; default
// config.DefaultLockTTL).
func WithTTL(d time.Duration) Option { return func(l *Locker) { l.ttl = d } }

// WithWait sets how long Acquire waits for a lock someone else holds (zero:
// try once).
func WithWait(d time.Duration) Option { return func(l *Locker) { l.wait = d } }

// WithOwner replaces the generated owner id (host/pid/random).
func WithOwner(owner string) Option { return func(l *Locker) { l.owner = owner } }

// WithWaiting sets a function Acquire calls each time it finds the lock
// held, before it backs off: to print who holds it and since when.
func WithWaiting(f func(h Holder, waited time.Duration)) Option {
	return func(l *Locker) { l.onWait = f }
}

// WithBackoff sets the first and the longest pause between attempts to take
// a held lock (defaults 250ms and 5s); each pause is drawn at random from its
// upper half so that waiters spread out.
func WithBackoff(first, longest time.Duration) Option {
	return func(l *Locker) { l.backoffMin, l.backoffMax = first, longest }
}

// WithRenewEvery sets the renewal period (default: a third of the TTL).
func WithRenewEvery(d time.Duration) Option { return func(l *Locker) { l.renewEvery = d } }

// WithSerialFence makes Fence also read the lock row at the serial
// consistency, one round trip per call, instead of trusting the renewals
// alone.
func WithSerialFence(on bool) Option { return func(l *Locker) { l.serialFence = on } }

// WithClock sets the clock leases are timed with (default time.Now); tests
// share one with a stand-in cluster.
func WithClock(now func() time.Time) Option { return func(l *Locker) { l.now = now } }

// WithBeforeRenew sets a function the renewer calls before each renewal; it
// may block (a test pausing the renewer, as a stopped process would) and
// should return when ctx ends (the lease is released).
func WithBeforeRenew(f func(ctx context.Context)) Option {
	return func(l *Locker) { l.beforeRenew = f }
}

// Locker takes and inspects the lock of one keyspace.
type Locker struct {
	s        *cluster.Session
	keyspace string
	table    string
	owner    string

	ttl, wait              time.Duration
	backoffMin, backoffMax time.Duration
	renewEvery             time.Duration
	serialFence            bool
	now                    func() time.Time
	onWait                 func(Holder, time.Duration)
	beforeRenew            func(context.Context)
}

// New returns a Locker for the lock table of keyspace.
func New(s *cluster.Session, keyspace string, opts ...Option) *Locker {
	l := &Locker{
		s: s, keyspace: keyspace, table: cql.QuoteIdent(keyspace) + "." + Table, owner: NewOwner(),
		ttl: config.DefaultLockTTL, wait: config.DefaultLockWait,
		backoffMin: 250 * time.Millisecond, backoffMax: 5 * time.Second, now: time.Now,
	}
	for _, o := range opts {
		o(l)
	}
	if l.ttl < 2*time.Second {
		l.ttl = 2 * time.Second
	}
	if l.renewEvery <= 0 {
		l.renewEvery = l.ttl / 3
	}
	if l.backoffMin <= 0 {
		l.backoffMin = time.Millisecond
	}
	l.backoffMax = max(l.backoffMax, l.backoffMin)
	return l
}

// NewOwner returns an owner id unique to this process and call:
// "host/pid/random", so two processes on one host, or two lockers in one
// process, differ.
func NewOwner() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown-host"
	}
	b := make([]byte, 4)
	_, _ = crand.Read(b)
	return host + "/" + strconv.Itoa(os.Getpid()) + "/" + hex.EncodeToString(b)
}

// Owner returns the id this Locker writes as owner.
func (l *Locker) Owner() string { return l.owner }

// ttlSeconds is the TTL as the CQL USING TTL clause takes it.
func (l *Locker) ttlSeconds() int { return int(l.ttl.Round(time.Second) / time.Second) }

// EnsureSchema creates the lock table when it does not exist, waiting for
// schema agreement. Running it again changes nothing.
func EnsureSchema(ctx context.Context, s *cluster.Session, keyspace string) error {
	stmt := "CREATE TABLE IF NOT EXISTS " + cql.QuoteIdent(keyspace) + "." + Table +
		" (lock_id text PRIMARY KEY, owner text, acquired_at timestamp)"
	if err := s.ExecDDL(ctx, stmt); err != nil {
		return fmt.Errorf("create %s.%s: %w", keyspace, Table, err)
	}
	return nil
}

// Holder returns who holds the lock, or nil when it is free. It reads at
// the serial consistency, so a lock taken by a transaction still in flight
// is seen.
func (l *Locker) Holder(ctx context.Context) (*Holder, error) {
	h, err := l.readHolder(ctx)
	if err != nil {
		return nil, fmt.Errorf("read lock %s: %w", l.table, err)
	}
	return h, nil
}

func (l *Locker) readHolder(ctx context.Context) (*Holder, error) {
	var (
		owner string
		since time.Time
		ttl   int
	)
	err := l.s.ReadSerial(ctx, "SELECT owner, acquired_at, TTL(owner) FROM "+l.table+" WHERE lock_id = ?", GlobalID).
		Scan(&owner, &since, &ttl)
	if errors.Is(err, gocql.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &Holder{Owner: owner, Since: since, ExpiresIn: time.Duration(ttl) * time.Second}, nil
}

// ForceUnlock removes the lock of the holder it finds and returns that
// holder (nil when the lock was free, or became free before the removal).
// The holder, if still running, finds its lease lost at its next renewal or
// fence. The caller logs the event.
//
// It removes only the holder it read: if the lock changed hands in between
// (that holder released it and another migrator took it), nothing is
// removed and the error is a *HolderChangedError (ErrHolderChanged).
func (l *Locker) ForceUnlock(ctx context.Context) (*Holder, error) {
	h, err := l.readHolder(ctx)
	if err != nil {
		return nil, fmt.Errorf("force unlock %s: %w", l.table, err)
	}
	if h == nil {
		return nil, nil
	}
	// IF owner = ?, not IF EXISTS: a lightweight transaction like every
	// other write of the row (so it is ordered after the one it follows)
	// that removes the lock of the holder we read and of no one else.
	//
	// When the lock changed hands we stop rather than read again and
	// remove the new holder's lock: the operator asked to remove a lock
	// they believe dead, and a holder that has just won the lock is alive
	// by construction; removing it would let a third migrator run beside
	// it, which is what the lock is for. They decide, seeing the new holder.
	stmt := "DELETE FROM " + l.table + " WHERE lock_id = ? IF owner = ?"
	applied, cur, err := l.s.ScanCAS(ctx, stmt, GlobalID, h.Owner)
	if err != nil && cluster.IsUncertain(err) {
		// Learn the outcome; if the row is still the holder's, delete it
		// once more.
		now, rerr := l.readHolder(ctx)
		if rerr != nil {
			return nil, fmt.Errorf("force unlock %s: %w (and reading the outcome: %w)", l.table, err, rerr)
		}
		if now == nil {
			return h, nil
		}
		if now.Owner != h.Owner {
			return nil, &HolderChangedError{Was: *h, Now: *now}
		}
		applied, cur, err = l.s.ScanCAS(ctx, stmt, GlobalID, h.Owner)
	}
	if err != nil {
		return nil, fmt.Errorf("force unlock %s: %w", l.table, err)
	}
	if applied {
		return h, nil
	}
	now := holderOf(cur)
	if now == nil {
		// The holder released the lock, or its lease expired: it is free.
		return nil, nil
	}
	return nil, &HolderChangedError{Was: *h, Now: *now}
}

// HolderChangedError says ForceUnlock removed nothing because the lock
// changed hands between reading its holder and removing it.
type HolderChangedError struct {
	// Was is the holder ForceUnlock read, whose lock it meant to remove.
	Was Holder
	// Now is the holder it found instead.
	Now Holder
}

func (e *HolderChangedError) Error() string {
	return fmt.Sprintf("lock changed hands: it was held by %s and is now held by %s; nothing removed\nhint: the new holder is likely alive; run `cqltrack unlock` to see it, and `cqltrack unlock --force` again only if its process is gone",
		e.Was, e.Now)
}

// Is makes errors.Is(err, ErrHolderChanged) true.
func (e *HolderChangedError) Is(target error) bool { return target == ErrHolderChanged }

// Acquire takes the lock, waiting with backoff while another migrator
// holds it, for at most the configured wait; then it returns a
// *NotAcquiredError. An attempt whose outcome is unknown (a timeout or an
// Unavailable answer to the transaction) is settled with a serial read and
// retried the same way. The returned Lease is renewed in the background
// until Release.
func (l *Locker) Acquire(ctx context.Context) (*Lease, error) {
	start := time.Now()
	backoff := l.backoffMin
	// unsettled is when the earliest of our attempts whose answer never
	// came was sent: if the row turns out to be ours without an answer
	// saying so, one of those attempts wrote it, no earlier than that.
	var unsettled time.Time
	for {
		h, written, ok, failed, err := l.tryAcquire(ctx, &unsettled)
		if err != nil {
			return nil, fmt.Errorf("acquire lock %s: %w", l.table, err)
		}
		if ok {
			return l.startLease(h.Since, written), nil
		}
		waited := time.Since(start)
		switch {
		case h == nil && failed == nil:
			// The holder released between our insert and our read: retry
			// at once.
			continue
		case h == nil && waited >= l.wait:
			return nil, fmt.Errorf("acquire lock %s: the lock is free but taking it failed for %s: %w",
				l.table, waited.Round(time.Millisecond), failed)
		case h != nil && waited >= l.wait:
			return nil, &NotAcquiredError{Holder: *h, Waited: waited}
		case h != nil && l.onWait != nil:
			l.onWait(*h, waited)
		}
		pause := min(backoff/2+rand.N(backoff/2+1), l.wait-waited)
		backoff = min(backoff*2, l.backoffMax)
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("acquire lock %s: %w", l.table, ctx.Err())
		case <-t.C:
		}
	}
}

// tryAcquire makes one attempt. It returns ok with our own holder entry
// when we hold the lock, or the current holder (nil: none) when we do not;
// failed is the error of an attempt that did not take a free lock and may
// be retried, err one that may not.
//
// written is when our lease began by the cluster's TTL, or earlier, never
// later: the row's TTL starts when the row is written, which is after the
// INSERT was sent but may be long before its answer arrives. So it is the
// send time of the attempt that wrote the row, or, when the row turns out
// to be ours without an applied answer, the send time of the earliest
// attempt whose outcome was unknown (*unsettled, which tryAcquire sets on
// the first such attempt).
func (l *Locker) tryAcquire(ctx context.Context, unsettled *time.Time) (h *Holder, written time.Time, ok bool, failed, err error) {
	sent := l.now() // keeps the monotonic reading Fence times the lease with
	since := sent.UTC().Truncate(time.Millisecond)
	stmt := "INSERT INTO " + l.table + " (lock_id, owner, acquired_at) VALUES (?, ?, ?) IF NOT EXISTS USING TTL " +
		strconv.Itoa(l.ttlSeconds())
	applied, cur, err := l.s.ScanCAS(ctx, stmt, GlobalID, l.owner, since)
	switch {
	case err != nil && cluster.IsUncertain(err):
		if unsettled.IsZero() {
			*unsettled = sent
		}
		// The Paxos round may have committed: the serial read finishes it
		// and tells whether the row is ours.
		h, rerr := l.readHolder(ctx)
		if rerr != nil {
			return nil, time.Time{}, false, nil, fmt.Errorf("%w (and reading the outcome: %w)", err, rerr)
		}
		if h != nil && h.Owner == l.owner {
			return h, *unsettled, true, nil, nil
		}
		return h, time.Time{}, false, err, nil
	case err != nil:
		return nil, time.Time{}, false, nil, err
	case applied:
		return &Holder{Owner: l.owner, Since: since, ExpiresIn: l.ttl}, sent, true, nil, nil
	}
	h = holderOf(cur)
	if h != nil && h.Owner == l.owner {
		// An earlier attempt of ours whose answer was lost took it: its
		// TTL started no earlier than that attempt was sent.
		if !unsettled.IsZero() {
			return h, *unsettled, true, nil, nil
		}
		// No attempt of ours can have written it: another Locker given the
		// same owner (WithOwner) did, at a time we do not know. Infer it
		// from what is left of the row's TTL.
		read := l.now()
		cur, rerr := l.readHolder(ctx)
		if rerr != nil {
			return nil, time.Time{}, false, nil, fmt.Errorf("read the lease left of a lock already ours: %w", rerr)
		}
		if cur == nil || cur.Owner != l.owner {
			return cur, time.Time{}, false, nil, nil
		}
		// TTL() counts whole seconds: allow one more.
		left := cur.ExpiresIn - time.Second
		return h, read.Add(left - time.Duration(l.ttlSeconds())*time.Second), true, nil, nil
	}
	return h, time.Time{}, false, nil, nil
}

// holderOf reads the current row an LWT returned when not applied.
func holderOf(cur map[string]any) *Holder {
	if cur == nil {
		return nil
	}
	h := &Holder{}
	h.Owner, _ = cur["owner"].(string)
	h.Since, _ = cur["acquired_at"].(time.Time)
	if h.Owner == "" && h.Since.IsZero() {
		return nil
	}
	return h
}

// MarshalJSON writes ExpiresIn as whole milliseconds (expires_in_ms).
func (h Holder) MarshalJSON() ([]byte, error) {
	type plain Holder
	return json.Marshal(struct {
		plain
		ExpiresIn int64 `json:"expires_in_ms,omitempty"`
	}{plain(h), h.ExpiresIn.Milliseconds()})
}
