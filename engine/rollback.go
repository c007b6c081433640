package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/history"
)

// RollbackOptions choose what Rollback undoes: the newest Steps applied
// migrations (default 1), or every applied migration above To.
type RollbackOptions struct {
	Steps int
	To    int64
	// ToSet says To was given (To may be 0: undo everything).
	ToSet bool
	// DryRun reports what would run and touches nothing.
	DryRun bool
	// Progress, when set, is told about every step as it happens, as
	// Migrate's is.
	Progress func(Progress)
}

// RollbackReport says what Rollback undid, or would with DryRun.
type RollbackReport struct {
	Keyspace   string         `json:"keyspace"`
	DryRun     bool           `json:"dry_run"`
	Migrations []MigrationRun `json:"migrations"`
	// Current is the highest applied version afterwards.
	Current int64 `json:"current"`
}

// Rollback runs the down sections of applied migrations, newest first,
// under the migration lock, and removes their history records. It checks
// every chosen migration first and refuses, before running anything, when
// one has no down section, an empty one (it declares it cannot be undone),
// was modified since it was applied, was applied by baseline, or its file
// is missing.
func (e *Engine) Rollback(ctx context.Context, opts RollbackOptions) (*RollbackReport, error) {
	progress := opts.Progress
	if progress == nil {
		progress = func(Progress) {}
	}
	if opts.Steps < 0 {
		return nil, InputError(fmt.Errorf("rollback steps must be 1 or more, got %d", opts.Steps))
	}
	if opts.Steps > 0 && opts.ToSet {
		return nil, InputError(errors.New("rollback takes --steps N or --to V, not both"))
	}
	if opts.Steps == 0 && !opts.ToSet {
		opts.Steps = 1
	}
	w, err := e.prepare(ctx, progress)
	if err != nil {
		return nil, err
	}
	ks, set, parsed, hist, locker := w.keyspace, w.set, w.parsed, w.hist, w.locker
	report := &RollbackReport{Keyspace: ks, DryRun: opts.DryRun, Migrations: []MigrationRun{}}
	choose := func() ([]MigrationStatus, *StatusReport, error) {
		recs, err := hist.Applied(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("read history: %w", err)
		}
		status := reconcile(set, recs)
		chosen, err := chooseRollback(status, opts)
		return chosen, status, err
	}
	chosen, status, err := choose()
	if err != nil {
		return nil, err
	}
	if err := checkDowns(chosen, parsed); err != nil {
		return nil, err
	}
	report.Current = status.Current
	if len(chosen) == 0 {
		return report, nil
	}
	if opts.DryRun {
		for _, m := range chosen {
			pm := parsed[m.Version]
			run := MigrationRun{Version: m.Version, Name: m.Name, File: m.File, Status: "pending", StatementsTotal: len(pm.Down.Statements)}
			for _, st := range pm.Down.Statements {
				run.Statements = append(run.Statements, st.Text)
			}
			report.Migrations = append(report.Migrations, run)
		}
		return report, nil
	}
	lease, err := e.acquire(ctx, locker)
	if err != nil {
		return nil, err
	}
	defer releaseLease(ctx, lease)
	progress(Progress{Kind: ProgressLocked})
	if chosen, status, err = choose(); err != nil {
		return nil, err
	}
	if err := checkDowns(chosen, parsed); err != nil {
		return nil, err
	}
	report.Current = status.Current
	ksSess, err := e.keyspaceSession(ctx)
	if err != nil {
		return nil, err
	}
	r := &runner{e: e, hist: hist, lease: lease, exec: ksSess, progress: progress}
	for _, m := range chosen {
		pm := parsed[m.Version]
		run, err := r.undo(ctx, pm)
		report.Migrations = append(report.Migrations, run)
		if err != nil {
			return report, err
		}
	}
	recs, err := hist.Applied(ctx)
	if err != nil {
		return report, fmt.Errorf("read history: %w", err)
	}
	report.Current = reconcile(set, recs).Current
	return report, nil
}

// chooseRollback picks the applied migrations to undo, newest first, and
// refuses the whole rollback when any of them cannot be undone.
func chooseRollback(status *StatusReport, opts RollbackOptions) ([]MigrationStatus, error) {
	var applied []MigrationStatus
	for i := len(status.Migrations) - 1; i >= 0; i-- {
		m := status.Migrations[i]
		switch m.State {
		case StateApplied, StateModified, StateMissing, StateBaseline:
			applied = append(applied, m)
		case StateFailed, StateInterrupted:
			return nil, InputError(fmt.Errorf("%s has a failed or interrupted attempt\nhint: finish it with 'cqltrack migrate', or undo it by hand and run 'cqltrack repair', before rolling back", m.Name))
		}
	}
	var chosen []MigrationStatus
	for _, m := range applied {
		if opts.ToSet && m.Version <= opts.To {
			break
		}
		if !opts.ToSet && len(chosen) == opts.Steps {
			break
		}
		chosen = append(chosen, m)
	}
	var problems []string
	for _, m := range chosen {
		switch m.State {
		case StateMissing:
			problems = append(problems, fmt.Sprintf("%s: its file is missing, so its down section is unknown", m.Name))
		case StateModified:
			problems = append(problems, fmt.Sprintf("%s: the file was modified after it was applied; its down section may not undo what ran (run 'cqltrack validate')", m.File))
		case StateBaseline:
			problems = append(problems, fmt.Sprintf("%s: it was marked applied by baseline, not run by cqltrack", m.Name))
		}
	}
	if len(problems) > 0 {
		return nil, InputError(errors.New("cannot roll back:\n  " + strings.Join(problems, "\n  ")))
	}
	return chosen, nil
}

// checkDowns refuses, before anything runs, a rollback that would reach a
// migration without a usable down section.
func checkDowns(chosen []MigrationStatus, parsed map[int64]*parsedMigration) error {
	var problems []string
	for _, m := range chosen {
		pm := parsed[m.Version]
		switch {
		case !pm.HasDown:
			problems = append(problems, fmt.Sprintf("%s has no down section\n  hint: add a '-- @down' line followed by the statements that undo it", pm.Path))
		case len(pm.Down.Statements) == 0:
			problems = append(problems, fmt.Sprintf("%s:%d: the down section is empty: the migration declares that it cannot be undone", pm.Path, pm.DownMarker.Line))
		}
	}
	if len(problems) > 0 {
		return InputError(errors.New("cannot roll back: " + strings.Join(problems, "\ncannot roll back: ")))
	}
	return nil
}

// undo runs the down section of pm and removes its history record.
func (r *runner) undo(ctx context.Context, pm *parsedMigration) (MigrationRun, error) {
	down := pm.Down.Statements
	run := MigrationRun{Version: pm.Version, Name: pm.Name(), File: pm.Path, StatementsTotal: len(down)}
	began := time.Now()
	r.progress(Progress{Kind: ProgressMigrationStart, Version: pm.Version, Name: pm.Name(), Statements: len(down)})
	for i, st := range down {
		if err := r.lease.Fence(ctx); err != nil {
			return run, withCategory(ErrLockNotAcquired, fmt.Errorf("stop before %s down statement %d: %w", pm.Name(), i+1, err))
		}
		t0 := time.Now()
		if err := r.execStatement(ctx, pm.down[i], st.Text); err != nil {
			took := time.Since(began)
			msg := err.Error()
			run.Status, run.StatementsApplied, run.DurationMs = string(StateFailed), i, took.Milliseconds()
			run.Failure = &StatementFailure{Statement: i + 1, Line: st.Pos.Line, Column: st.Pos.Col, Message: msg, Code: cluster.Code(err)}
			wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			_, lerr := r.hist.LogEvent(wctx, history.Event{Kind: history.EventFailed, Version: int(pm.Version),
				Description: pm.Description, Duration: took, Statements: i,
				Error: msg, Detail: fmt.Sprintf("rollback failed at down statement %d of %d", i+1, len(down))})
			ferr := fmt.Errorf("%s:%d:%d: roll back %s down statement %d of %d: %w\nhint: the migration stays recorded as applied; the first %d down statement(s) ran: finish the undo by hand",
				pm.Path, st.Pos.Line, st.Pos.Col, pm.Name(), i+1, len(down), err, i)
			if lerr != nil {
				ferr = fmt.Errorf("%w\nlog the failure: %w", ferr, lerr)
			}
			return run, withCategory(ErrMigrationFailed, ferr)
		}
		if err := r.lease.Fence(ctx); err != nil {
			// The lease ran out while the statement ran: the history may
			// be another migrator's now, so it is left as it is.
			return run, withCategory(ErrLockNotAcquired, fmt.Errorf("%s down statement %d ran, but the lock was lost meanwhile; the history still records it as applied: %w", pm.Name(), i+1, err))
		}
		r.progress(Progress{Kind: ProgressStatement, Version: pm.Version, Name: pm.Name(), Statement: i + 1,
			Statements: len(down), Line: st.Pos.Line, Elapsed: time.Since(t0)})
	}
	took := time.Since(began)
	if err := r.hist.Delete(ctx, int(pm.Version)); err != nil {
		return run, fmt.Errorf("remove history of %s: %w", pm.Name(), err)
	}
	if _, err := r.hist.LogEvent(ctx, history.Event{Kind: history.EventRollback, Version: int(pm.Version),
		Description: pm.Description, Duration: took, Statements: len(down)}); err != nil {
		return run, fmt.Errorf("log rollback of %s: %w", pm.Name(), err)
	}
	run.Status, run.StatementsApplied, run.DurationMs = "rolled_back", len(down), took.Milliseconds()
	r.progress(Progress{Kind: ProgressMigrationDone, Version: pm.Version, Name: pm.Name(), Statements: len(down), Elapsed: took})
	return run, nil
}
