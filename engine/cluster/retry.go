package cluster

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// readRetry retries an idempotent statement a few times, with exponential
// backoff and jitter, on errors a retry can cure: timeouts, an unavailable,
// overloaded or bootstrapping coordinator, a lost connection. Anything else
// (an invalid query, bad credentials) fails at once.
//
// gocql's ExponentialBackoffRetryPolicy sleeps before it learns the error
// (so an invalid read would wait through every backoff) and retries only on
// the next host (so a one-node cluster never retries). This policy is made
// per query: Attempt records the attempt, GetRetryType, which sees the
// error, decides and sleeps, retrying on the same host.
type readRetry struct {
	mu       sync.Mutex
	attempts int
	ctx      context.Context
}

func newReadRetry() *readRetry { return &readRetry{} }

// Attempt allows up to readRetries retries.
func (r *readRetry) Attempt(q gocql.RetryableQuery) bool {
	r.mu.Lock()
	r.attempts, r.ctx = q.Attempts(), q.Context()
	r.mu.Unlock()
	return q.Attempts() <= readRetries
}

// GetRetryType retries a transient error after a backoff, and rethrows the
// rest.
func (r *readRetry) GetRetryType(err error) gocql.RetryType {
	r.mu.Lock()
	n, ctx := r.attempts, r.ctx
	r.mu.Unlock()
	if n > readRetries || !transient(err) {
		return gocql.Rethrow
	}
	if ctx == nil {
		ctx = context.Background()
	}
	t := time.NewTimer(backoff(n))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return gocql.Rethrow
	case <-t.C:
	}
	return gocql.Retry
}

// backoff is the pause before retry n (from 1): readBackoffMin doubling up
// to readBackoffMax, drawn from its upper half.
func backoff(n int) time.Duration {
	d := readBackoffMin << (n - 1)
	if d > readBackoffMax || d <= 0 {
		d = readBackoffMax
	}
	return d/2 + rand.N(d/2+1)
}

// transient reports whether a retry of an idempotent statement may succeed.
func transient(err error) bool {
	switch Code(err) {
	case gocql.ErrCodeReadTimeout, gocql.ErrCodeWriteTimeout, gocql.ErrCodeUnavailable,
		gocql.ErrCodeOverloaded, gocql.ErrCodeBootstrapping:
		return true
	case -1:
		return errors.Is(err, gocql.ErrTimeoutNoResponse) || errors.Is(err, gocql.ErrConnectionClosed) ||
			errors.Is(err, gocql.ErrNoStreams)
	}
	return false
}
