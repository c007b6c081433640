package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/history"
	"github.com/cqltrack/cqltrack/engine/lock"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// Open returns an Engine for cfg connected to its cluster. Close it when
// done. A cluster that cannot be reached or refuses the credentials is an
// error matching ErrConnect.
func Open(ctx context.Context, cfg *config.Config, opts ...Option) (*Engine, error) {
	e, err := New(cfg, opts...)
	if err != nil {
		return nil, err
	}
	if _, err := e.session(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// WithLogger sends the engine's diagnostics (driver warnings, lock
// renewals) to l; the default discards them.
func WithLogger(l *slog.Logger) Option { return func(e *Engine) { e.log = l } }

// WithLockOptions passes options to the migration lock beyond what the
// configuration sets, e.g. lock.WithSerialFence(true) for a fencing read
// before every statement, or a clock and renewal hook in tests.
func WithLockOptions(opts ...lock.Option) Option {
	return func(e *Engine) { e.lockOpts = append(e.lockOpts, opts...) }
}

// Close releases the cluster connections. It is safe to call on an engine
// that never connected, and more than once.
func (e *Engine) Close() {
	e.sessMu.Lock()
	defer e.sessMu.Unlock()
	if e.ksSess != nil {
		e.ksSess.Close()
		e.ksSess = nil
	}
	if e.sess != nil {
		e.sess.Close()
		e.sess = nil
	}
}

// session connects on first use, without a session keyspace: the
// configured keyspace may not exist yet, and every tracking statement names
// its keyspace.
func (e *Engine) session(ctx context.Context) (*cluster.Session, error) {
	// Held while connecting: callers that share an engine (a service's
	// handlers) wait for the one connection instead of each opening a
	// session that only the last would keep, and Close would not close.
	e.sessMu.Lock()
	defer e.sessMu.Unlock()
	if e.sess != nil {
		return e.sess, nil
	}
	s, err := cluster.Connect(ctx, e.cfg, cluster.WithLogger(e.logger()))
	if err != nil {
		return nil, classifyConnect(err)
	}
	e.sess = s
	e.checkRelease(s.ReleaseVersion())
	return s, nil
}

// checkRelease warns when the cluster's release is not the one
// schema.release names: the cluster's wins for the work done against it,
// but plan --offline, diff between files and lint build their schemas as
// schema.release, which then no longer describes this cluster.
func (e *Engine) checkRelease(live string) {
	if e.cfg.Schema.Release == "" {
		return
	}
	want := e.cfg.Schema.Version()
	got, err := schema.ParseVersion(live)
	if err != nil || got == want {
		return
	}
	at := e.cfg.At("schema.release")
	if at == "" {
		at = "schema.release"
	} else {
		at = "schema.release (" + at + ")"
	}
	e.logger().Warn(fmt.Sprintf("the cluster runs Cassandra %s but %s is %s: offline plans, diffs and lint use %s; update it to %s (a profile can set it per environment)",
		live, at, want, want, got))
}

// keyspaceSession is a second session whose connections USE the configured
// keyspace, for running migration statements that name tables without a
// keyspace (the driver refuses USE statements on a pooled session). It is
// opened only when there is something to run.
func (e *Engine) keyspaceSession(ctx context.Context) (*cluster.Session, error) {
	e.sessMu.Lock()
	defer e.sessMu.Unlock()
	if e.ksSess != nil {
		return e.ksSess, nil
	}
	s, err := cluster.Connect(ctx, e.cfg, cluster.WithLogger(e.logger()), cluster.WithKeyspace(e.cfg.Keyspace.Name))
	if err != nil {
		return nil, classifyConnect(err)
	}
	e.ksSess = s
	return s, nil
}

func (e *Engine) logger() *slog.Logger {
	if e.log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return e.log
}

// classifyConnect marks a connection failure for exit code 3, or a
// configuration the driver cannot use for exit code 2.
func classifyConnect(err error) error {
	switch {
	case errors.Is(err, config.ErrInvalid):
		return InputError(err)
	case errors.Is(err, cluster.ErrConnect):
		return withCategory(ErrConnect, err)
	}
	return err
}

// keyspaceName is the configured keyspace, which every cluster operation
// needs.
func (e *Engine) keyspaceName() (string, error) {
	ks := e.cfg.Keyspace.Name
	if ks == "" {
		return "", InputError(errors.New("no keyspace configured\nhint: set keyspace.name in cqltrack.yml, CQLTRACK_KEYSPACE, or pass -k"))
	}
	return ks, nil
}

// tracking connects and returns the history store and the locker of the
// configured keyspace, checking that init has run. lockOpts tune the locker
// for this one operation (its progress callback).
func (e *Engine) tracking(ctx context.Context, lockOpts ...lock.Option) (*history.Store, *lock.Locker, error) {
	ks, err := e.keyspaceName()
	if err != nil {
		return nil, nil, err
	}
	s, err := e.session(ctx)
	if err != nil {
		return nil, nil, err
	}
	ok, err := e.initialized(ctx, s, ks)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, InputError(fmt.Errorf("keyspace %s is not initialized for cqltrack\nhint: run 'cqltrack init' first", ks))
	}
	return e.historyStore(s, ks), e.locker(s, ks, lockOpts...), nil
}

func (e *Engine) historyStore(s *cluster.Session, ks string) *history.Store {
	return history.New(s, ks)
}

// locker builds the lock from the configuration, then extra (per
// operation), then the engine's WithLockOptions, which win.
func (e *Engine) locker(s *cluster.Session, ks string, extra ...lock.Option) *lock.Locker {
	opts := append([]lock.Option{lock.WithTTL(e.cfg.Lock.TTL), lock.WithWait(e.cfg.Lock.Wait)}, extra...)
	return lock.New(s, ks, append(opts, e.lockOpts...)...)
}

// initialized reports whether the keyspace and the history table exist.
func (e *Engine) initialized(ctx context.Context, s *cluster.Session, ks string) (bool, error) {
	var n int
	iter := s.Query(ctx, "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?",
		ks, history.HistoryTable).Iter()
	var name string
	for iter.Scan(&name) {
		n++
	}
	if err := iter.Close(); err != nil {
		return false, fmt.Errorf("read system_schema.tables: %w", err)
	}
	return n > 0, nil
}
