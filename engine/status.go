package engine

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/cqltrack/cqltrack/engine/history"
	"github.com/cqltrack/cqltrack/engine/lock"
	"github.com/cqltrack/cqltrack/engine/migration"
)

// State is where one migration stands, comparing the files with the
// history table.
type State string

// Migration states.
const (
	// StateApplied: recorded as applied, and the file is unchanged.
	StateApplied State = "applied"
	// StateBaseline: marked applied by baseline, never run by cqltrack.
	StateBaseline State = "baseline"
	// StatePending: a file not applied yet.
	StatePending State = "pending"
	// StateFailed: a statement failed; the next migrate resumes there.
	StateFailed State = "failed"
	// StateInterrupted: an attempt stopped without finishing (the process
	// died or lost its lock); the next migrate resumes after the last
	// statement recorded as applied.
	StateInterrupted State = "interrupted"
	// StateModified: applied, but the file has changed since.
	StateModified State = "modified"
	// StateMissing: applied, but the file is gone.
	StateMissing State = "missing"
	// StateRollingBack: a rollback of the migration began and did not
	// finish (the process died, was interrupted, or a down statement got
	// no answer); StatementsApplied and StatementsTotal count its down
	// statements. The next rollback resumes it; migrate refuses to run
	// until it is finished.
	StateRollingBack State = "rolling_back"
	// StateRollbackFailed: a down statement failed with the cluster's
	// answer (Error); counted as for StateRollingBack. The next rollback
	// resumes at that statement.
	StateRollbackFailed State = "rollback_failed"
)

// RollingBack reports whether the state is an unfinished rollback.
func (s State) RollingBack() bool { return s == StateRollingBack || s == StateRollbackFailed }

// MigrationStatus is one version as the files and the history know it.
type MigrationStatus struct {
	Version     int64  `json:"version"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// File is empty for a missing file.
	File  string `json:"file,omitempty"`
	State State  `json:"state"`
	// OutOfOrder marks a pending version lower than one already applied:
	// migrate refuses to apply it behind the newer ones.
	OutOfOrder bool `json:"out_of_order,omitempty"`
	// Checksum is the file's MD5; AppliedChecksum the one recorded.
	Checksum          string     `json:"checksum,omitempty"`
	AppliedChecksum   string     `json:"applied_checksum,omitempty"`
	AppliedAt         *time.Time `json:"applied_at,omitempty"`
	AppliedBy         string     `json:"applied_by,omitempty"`
	ExecTimeMs        int64      `json:"exec_time_ms,omitempty"`
	StatementsTotal   int        `json:"statements_total"`
	StatementsApplied int        `json:"statements_applied"`
	Error             string     `json:"error,omitempty"`
	// recordedSums are the checksums of the statements as the last attempt
	// ran them (empty for a history written without them).
	recordedSums []string
}

// inFlightUnchanged reports whether m's statement start, an interrupted
// attempt's statement in flight that may have reached the cluster, is the
// text the attempt ran (for an unfinished rollback: the down statement): only then is "already exists" for it the earlier
// attempt's own change. A history without statement checksums (an older
// tool) is trusted.
func (m MigrationStatus) inFlightUnchanged(start int, sums []string) bool {
	if m.State != StateInterrupted && m.State != StateRollingBack {
		return false
	}
	if start >= len(m.recordedSums) || start >= len(sums) {
		return true
	}
	return m.recordedSums[start] == sums[start]
}

// StatusReport is the state of every known version and of the lock.
type StatusReport struct {
	Keyspace string `json:"keyspace"`
	Cluster  string `json:"cluster"`
	Release  string `json:"release_version"`
	// Current is the highest applied version, 0 when none.
	Current    int64             `json:"current"`
	Migrations []MigrationStatus `json:"migrations"`
	Counts     map[State]int     `json:"counts"`
	// Lock is the holder of the migration lock, nil when free.
	Lock *lock.Holder `json:"lock"`
}

// Status compares the migration files with the history table.
func (e *Engine) Status(ctx context.Context) (*StatusReport, error) {
	return e.status(ctx, true)
}

// status is Status; withLock false leaves Lock nil and skips its read, a
// serial (Paxos) read that Pending and Validate do not report.
func (e *Engine) status(ctx context.Context, withLock bool) (*StatusReport, error) {
	set, err := e.loadMigrations()
	if err != nil {
		return nil, err
	}
	hist, locker, err := e.tracking(ctx)
	if err != nil {
		return nil, err
	}
	recs, err := hist.Applied(ctx)
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	r := reconcile(set, recs)
	r.Keyspace = e.cfg.Keyspace.Name
	if withLock {
		if r.Lock, err = locker.Holder(ctx); err != nil {
			return nil, fmt.Errorf("read lock: %w", err)
		}
	}
	r.Cluster, r.Release = e.sess.ClusterName(), e.sess.ReleaseVersion()
	return r, nil
}

// reconcile lays the files and the history records side by side, in
// version order.
func reconcile(set *migration.Set, recs []history.Record) *StatusReport {
	byVersion := map[int64]history.Record{}
	var current int64
	for _, rec := range recs {
		v := int64(rec.Version)
		byVersion[v] = rec
		// A migration being rolled back is applied until its record goes.
		applied := rec.Status == history.StatusSuccess || rec.Status == history.StatusRollingBack || rec.Status == history.StatusRollbackFailed
		if applied && v > current {
			current = v
		}
	}
	r := &StatusReport{Current: current, Migrations: []MigrationStatus{}, Counts: map[State]int{}}
	seen := map[int64]bool{}
	for _, m := range set.Migrations {
		seen[m.Version] = true
		st := MigrationStatus{
			Version: m.Version, Name: m.Name(), Description: m.Description, File: m.Path,
			Checksum: m.Checksum, StatementsTotal: len(m.Up.Statements),
		}
		rec, ok := byVersion[m.Version]
		switch {
		case !ok:
			st.State = StatePending
			st.OutOfOrder = m.Version < current
		default:
			fillRecord(&st, rec)
			st.State = recordState(rec, m)
		}
		r.Migrations = append(r.Migrations, st)
	}
	for _, rec := range recs {
		v := int64(rec.Version)
		if seen[v] {
			continue
		}
		st := MigrationStatus{Version: v, Name: fmt.Sprintf("V%d %s", v, rec.Description), Description: rec.Description}
		fillRecord(&st, rec)
		st.State = recordState(rec, nil)
		r.Migrations = append(r.Migrations, st)
	}
	slices.SortStableFunc(r.Migrations, func(a, b MigrationStatus) int { return cmp.Compare(a.Version, b.Version) })
	for _, m := range r.Migrations {
		r.Counts[m.State]++
	}
	return r
}

// recordState is where a recorded version stands given its file (nil when
// the file is gone).
func recordState(rec history.Record, m *migration.Migration) State {
	switch {
	case rec.Status == history.StatusFailed:
		return StateFailed
	case rec.Status == history.StatusRunning:
		return StateInterrupted
	case rec.Status == history.StatusRollingBack:
		return StateRollingBack
	case rec.Status == history.StatusRollbackFailed:
		return StateRollbackFailed
	case rec.Kind == history.KindBaseline:
		// Baseline marks versions whose files may never have existed.
		return StateBaseline
	case m == nil:
		return StateMissing
	case rec.Checksum != "" && rec.Checksum != m.Checksum:
		return StateModified
	}
	return StateApplied
}

func fillRecord(st *MigrationStatus, rec history.Record) {
	st.AppliedChecksum = rec.Checksum
	if !rec.AppliedAt.IsZero() {
		t := rec.AppliedAt
		st.AppliedAt = &t
	}
	st.AppliedBy = rec.AppliedBy
	st.ExecTimeMs = rec.ExecTime.Milliseconds()
	if rec.StatementsTotal > 0 {
		st.StatementsTotal = rec.StatementsTotal
	}
	st.StatementsApplied = rec.StatementsApplied
	st.Error = rec.Error
	st.recordedSums = rec.StatementChecksums
}

// Pending returns the migrations migrate would work on, in order: files
// never applied and attempts to resume. Out-of-order files are included and
// flagged (migrate refuses them).
func (r *StatusReport) Pending() []MigrationStatus {
	var out []MigrationStatus
	for _, m := range r.Migrations {
		if m.File != "" && (m.State == StatePending || m.State == StateFailed || m.State == StateInterrupted) {
			out = append(out, m)
		}
	}
	return out
}
