package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cqltrack/cqltrack/engine/history"
	"github.com/cqltrack/cqltrack/engine/lock"
	"github.com/cqltrack/cqltrack/engine/migration"
)

// PendingReport lists what migrate would apply.
type PendingReport struct {
	Keyspace string            `json:"keyspace"`
	Current  int64             `json:"current"`
	Pending  []MigrationStatus `json:"pending"`
}

// Pending returns the migrations migrate would work on: files never applied
// and failed or interrupted attempts it would resume.
func (e *Engine) Pending(ctx context.Context) (*PendingReport, error) {
	st, err := e.status(ctx, false)
	if err != nil {
		return nil, err
	}
	p := st.Pending()
	if p == nil {
		p = []MigrationStatus{}
	}
	return &PendingReport{Keyspace: st.Keyspace, Current: st.Current, Pending: p}, nil
}

// HistoryReport is the event log, newest first.
type HistoryReport struct {
	Keyspace string          `json:"keyspace"`
	Events   []history.Event `json:"events"`
}

// History returns up to limit events of the log, newest first: every
// attempt, failure, rollback, baseline, repair and forced unlock.
func (e *Engine) History(ctx context.Context, limit int) (*HistoryReport, error) {
	hist, _, err := e.tracking(ctx)
	if err != nil {
		return nil, err
	}
	evs, err := hist.Events(ctx, limit)
	if err != nil {
		return nil, fmt.Errorf("read event log: %w", err)
	}
	if evs == nil {
		evs = []history.Event{}
	}
	return &HistoryReport{Keyspace: e.cfg.Keyspace.Name, Events: evs}, nil
}

// ValidateReport lists applied migrations whose files changed or vanished.
type ValidateReport struct {
	Keyspace string            `json:"keyspace"`
	Valid    bool              `json:"valid"`
	Problems []MigrationStatus `json:"problems"`
}

// Validate compares the checksum of every applied migration with its file.
// Valid is false when a file was modified after it was applied, or is gone.
func (e *Engine) Validate(ctx context.Context) (*ValidateReport, error) {
	st, err := e.status(ctx, false)
	if err != nil {
		return nil, err
	}
	r := &ValidateReport{Keyspace: st.Keyspace, Problems: []MigrationStatus{}}
	for _, m := range st.Migrations {
		if m.State == StateModified || m.State == StateMissing {
			r.Problems = append(r.Problems, m)
		}
	}
	r.Valid = len(r.Problems) == 0
	return r, nil
}

// BaselineReport lists the versions Baseline marked as applied.
type BaselineReport struct {
	Keyspace string  `json:"keyspace"`
	Version  int64   `json:"version"`
	Marked   []int64 `json:"marked"`
}

// Baseline adopts an existing database: every migration file up to and
// including version is recorded as applied (kind baseline) without running
// it, so migrate starts after it. It refuses when any version is already
// recorded, since a baseline belongs at the start of a history.
func (e *Engine) Baseline(ctx context.Context, version int64) (*BaselineReport, error) {
	if version <= 0 {
		return nil, InputError(errors.New("baseline needs a version greater than 0 (--version V)"))
	}
	set, hist, recs, release, err := e.lockedHistory(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if len(recs) > 0 {
		return nil, InputError(fmt.Errorf("keyspace %s already has %d recorded migration(s), the highest %s: a baseline only starts a history\nhint: run 'cqltrack status' to see them", e.cfg.Keyspace.Name, len(recs), e.VersionName(int64(recs[len(recs)-1].Version))))
	}
	// A version below the files, or between them, is a database that
	// predates them; one above every file is a typo more often than not,
	// and would leave every file written later out of order for good (a
	// baseline cannot be redone).
	if n := len(set.Migrations); n > 0 && version > set.Migrations[n-1].Version {
		newest := set.Migrations[n-1]
		return nil, InputError(fmt.Errorf("baseline at V%d is above every migration file (the newest is %s): every file added later would be out of order\nhint: baseline at the version of the newest file whose change the database already has",
			version, newest.Name()))
	}
	r := &BaselineReport{Keyspace: e.cfg.Keyspace.Name, Version: version, Marked: []int64{}}
	now := time.Now().UTC().Truncate(time.Millisecond)
	marked := false
	for _, m := range set.Migrations {
		if m.Version > version {
			break
		}
		rec := history.Record{Version: int(m.Version), Description: m.Description, Checksum: m.Checksum,
			Status: history.StatusSuccess, Kind: history.KindBaseline, AppliedAt: now, AppliedBy: history.Identity(),
			StatementsTotal: len(m.Up.Statements)}
		if err := hist.Put(ctx, rec); err != nil {
			return nil, fmt.Errorf("record baseline of %s: %w", m.Name(), err)
		}
		marked = marked || m.Version == version
		r.Marked = append(r.Marked, m.Version)
	}
	if !marked {
		// The baseline version itself has no file: record it so that the
		// history says where the baseline is.
		rec := history.Record{Version: int(version), Description: "baseline", Status: history.StatusSuccess,
			Kind: history.KindBaseline, AppliedAt: now, AppliedBy: history.Identity()}
		if err := hist.Put(ctx, rec); err != nil {
			return nil, fmt.Errorf("record baseline V%d: %w", version, err)
		}
		r.Marked = append(r.Marked, version)
	}
	if _, err := hist.LogEvent(ctx, history.Event{Kind: history.EventBaseline, Version: int(version),
		Detail: fmt.Sprintf("marked %d version(s) as applied without running them", len(r.Marked))}); err != nil {
		return nil, fmt.Errorf("log baseline: %w", err)
	}
	return r, nil
}

// RepairReport lists what Repair changed.
type RepairReport struct {
	Keyspace string `json:"keyspace"`
	// Realigned are applied migrations whose recorded checksum was set to
	// the file's current one.
	Realigned []int64 `json:"realigned"`
	// Reset are failed or interrupted attempts, and unfinished rollbacks,
	// whose records were removed, so the next migrate starts them from
	// their first statement.
	Reset []int64 `json:"reset"`
}

// Repair makes the history agree with the files after a person has looked
// at the differences: it accepts modified applied files (records their new
// checksum) and removes the records of failed or interrupted attempts (the
// partial change having been undone by hand), so migrate starts them over,
// and of unfinished rollbacks (the undo having been finished by hand), so
// they are pending again.
// Each change is logged.
func (e *Engine) Repair(ctx context.Context) (*RepairReport, error) {
	set, hist, recs, release, err := e.lockedHistory(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	status := reconcile(set, recs)
	byVersion := map[int]history.Record{}
	for _, rec := range recs {
		byVersion[rec.Version] = rec
	}
	r := &RepairReport{Keyspace: e.cfg.Keyspace.Name, Realigned: []int64{}, Reset: []int64{}}
	for _, m := range status.Migrations {
		rec := byVersion[int(m.Version)]
		switch m.State {
		case StateModified:
			rec.Checksum = m.Checksum
			if err := hist.Put(ctx, rec); err != nil {
				return nil, fmt.Errorf("realign checksum of %s: %w", m.Name, err)
			}
			r.Realigned = append(r.Realigned, m.Version)
		case StateFailed, StateInterrupted, StateRollingBack, StateRollbackFailed:
			// An unfinished rollback whose undo was finished by hand goes
			// as a failed attempt does: the migration is pending again.
			if err := hist.Delete(ctx, int(m.Version)); err != nil {
				return nil, fmt.Errorf("reset %s: %w", m.Name, err)
			}
			r.Reset = append(r.Reset, m.Version)
		}
	}
	if len(r.Realigned)+len(r.Reset) > 0 {
		detail := fmt.Sprintf("realigned checksums of %s; reset %s", e.versionList(r.Realigned), e.versionList(r.Reset))
		if _, err := hist.LogEvent(ctx, history.Event{Kind: history.EventRepair, Detail: detail}); err != nil {
			return nil, fmt.Errorf("log repair: %w", err)
		}
	}
	return r, nil
}

func (e *Engine) versionList(vs []int64) string {
	if len(vs) == 0 {
		return "none"
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = e.VersionName(v)
	}
	return strings.Join(parts, ", ")
}

// UnlockReport says who held the lock and whether it was removed.
type UnlockReport struct {
	Keyspace string       `json:"keyspace"`
	Holder   *lock.Holder `json:"holder"`
	Removed  bool         `json:"removed"`
}

// Unlock shows who holds the migration lock; with force it removes the
// lock of the holder it finds, and logs that it did. If the lock changes
// hands before the removal, nothing is removed and the error wraps
// ErrLockNotAcquired and lock.ErrHolderChanged. Use it only when the holder
// is known to be dead: a live holder notices at its next lease renewal (a
// third of lock.ttl), or before its next statement with
// lock.WithSerialFence, and stops; until then it may run statements.
func (e *Engine) Unlock(ctx context.Context, force bool) (*UnlockReport, error) {
	hist, locker, err := e.tracking(ctx)
	if err != nil {
		return nil, err
	}
	r := &UnlockReport{Keyspace: e.cfg.Keyspace.Name}
	if !force {
		if r.Holder, err = locker.Holder(ctx); err != nil {
			return nil, fmt.Errorf("read lock: %w", err)
		}
		return r, nil
	}
	if r.Holder, err = locker.ForceUnlock(ctx); err != nil {
		if errors.Is(err, lock.ErrHolderChanged) {
			// Another migrator holds the lock now: as for a lock not
			// acquired, a live holder is in the way (exit code 4).
			return nil, withCategory(ErrLockNotAcquired, fmt.Errorf("remove lock: %w", err))
		}
		return nil, fmt.Errorf("remove lock: %w", err)
	}
	r.Removed = r.Holder != nil
	if r.Removed {
		if _, err := hist.LogEvent(ctx, history.Event{Kind: history.EventForceUnlock,
			Detail: "removed the lock held by " + r.Holder.String()}); err != nil {
			return nil, fmt.Errorf("log forced unlock: %w", err)
		}
	}
	return r, nil
}

// lockedHistory is the preamble of the operations that rewrite history:
// the files, the migration lock and the history read under it. release
// gives the lock back.
func (e *Engine) lockedHistory(ctx context.Context) (set *migration.Set, hist *history.Store, recs []history.Record, release func(), err error) {
	if set, err = e.loadMigrations(); err != nil {
		return nil, nil, nil, nil, err
	}
	hist, locker, err := e.tracking(ctx)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	lease, err := e.acquire(ctx, locker)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	release = func() { releaseLease(ctx, lease) }
	if recs, err = hist.Applied(ctx); err != nil {
		release()
		return nil, nil, nil, nil, fmt.Errorf("read history: %w", err)
	}
	return set, hist, recs, release, nil
}

// acquire takes the migration lock for an operation that writes history.
func (e *Engine) acquire(ctx context.Context, locker *lock.Locker) (*lock.Lease, error) {
	lease, err := locker.Acquire(ctx)
	if err != nil {
		if errors.Is(err, lock.ErrNotAcquired) {
			return nil, withCategory(ErrLockNotAcquired, err)
		}
		return nil, classifyServer(err)
	}
	return lease, nil
}

// releaseLease gives the lock back even when ctx was cancelled.
func releaseLease(ctx context.Context, lease *lock.Lease) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_ = lease.Release(rctx)
}
