package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/history"
	"github.com/cqltrack/cqltrack/engine/migration"
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
//
// Every down statement that runs is recorded in the migration's history
// record (status rolling_back, or rollback_failed when one is refused), so
// a rollback that stops midway is resumed by the next Rollback at the down
// statement where it stopped. That unfinished rollback is finished first,
// whatever Steps or To say, and counts as one of Steps. The statement in
// flight when an attempt stopped without an answer may have run: if it
// gets Cassandra's "not found" or "does not exist" answer and its text is
// the one the attempt ran, that is taken as done.
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
			start := undoPoint(m)
			if err := checkUndoResumable(pm, m, start); err != nil {
				return nil, err
			}
			run := MigrationRun{Version: m.Version, Name: m.Name, File: m.File, Status: "pending", StatementsTotal: len(pm.Down.Statements)}
			if start > 0 {
				run.ResumedAt = start + 1
			}
			for _, st := range pm.Down.Statements[start:] {
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
		run, err := r.undo(ctx, pm, m)
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
	var chosen []MigrationStatus
	for i := len(status.Migrations) - 1; i >= 0; i-- {
		m := status.Migrations[i]
		switch m.State {
		case StateApplied, StateModified, StateMissing, StateBaseline:
			applied = append(applied, m)
		case StateRollingBack, StateRollbackFailed:
			// An unfinished rollback is finished first, whatever --steps
			// or --to say, and counts as one of --steps. (It is the newest
			// applied migration: migrate refuses to run meanwhile.)
			chosen = append(chosen, m)
		case StateFailed, StateInterrupted:
			return nil, InputError(fmt.Errorf("%s has a failed or interrupted attempt\nhint: finish it with 'cqltrack migrate', or undo it by hand and run 'cqltrack repair', before rolling back", m.Name))
		}
	}
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
		case StateRollingBack, StateRollbackFailed:
			if m.File == "" {
				problems = append(problems, fmt.Sprintf("%s: its rollback is unfinished and its file is missing, so the rest of its down section is unknown\n  hint: restore the file, or finish the undo by hand and run 'cqltrack repair'", m.Name))
			}
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

// undoPoint is the 0-based down statement a rollback of m starts at:
// after the ones an unfinished rollback recorded as run.
func undoPoint(m MigrationStatus) int {
	if m.State.RollingBack() {
		return m.StatementsApplied
	}
	return 0
}

// downSums are the checksums of m's down statements, in order.
func downSums(m *migration.Migration) []string {
	sums := make([]string, len(m.Down.Statements))
	for i, st := range m.Down.Statements {
		sums[i] = st.Checksum
	}
	return sums
}

// checkUndoResumable refuses to resume a rollback at down statement start
// (0-based) when the down statements already run are not the ones in the
// file now: the rest of the section may not fit what they did.
func checkUndoResumable(pm *parsedMigration, m MigrationStatus, start int) error {
	down := pm.Down.Statements
	sums := downSums(pm.Migration)
	// The statement in flight when a rollback stopped without an answer
	// may have run: its recorded text is what tells its change apart, so
	// an edit is refused before the record is rewritten, while restoring
	// the statement can still resolve it.
	if m.State == StateRollingBack && start < len(down) && start < len(m.recordedSums) && m.recordedSums[start] != sums[start] {
		st := down[start]
		return InputError(fmt.Errorf("%s:%d:%d: down statement %d was running when a rollback of %s stopped without an answer (it may have run), and has changed since\nhint: restore it as it was: the next rollback accepts its change if it was made; or finish the undo by hand and run 'cqltrack repair'",
			pm.Path, st.Pos.Line, st.Pos.Col, start+1, pm.Name()))
	}
	if start == 0 {
		return nil
	}
	if start > len(down) {
		return InputError(fmt.Errorf("%s: the history says %d down statements of %s ran but the down section has %d\nhint: restore the file, or finish the undo by hand and run 'cqltrack repair'",
			pm.Path, start, pm.Name(), len(down)))
	}
	for i := 0; i < start && i < len(m.recordedSums); i++ {
		if m.recordedSums[i] != sums[i] {
			st := down[i]
			return InputError(fmt.Errorf("%s:%d:%d: down statement %d ran in an earlier rollback and has changed since; resuming at down statement %d would skip the new text\nhint: restore down statements 1-%d as they were, or finish the undo by hand and run 'cqltrack repair'",
				pm.Path, st.Pos.Line, st.Pos.Col, i+1, start+1, start))
		}
	}
	return nil
}

// undo runs the down section of pm, from where an unfinished rollback of
// it stopped, recording each down statement in its history record, and
// removes the record at the end.
func (r *runner) undo(ctx context.Context, pm *parsedMigration, m MigrationStatus) (MigrationRun, error) {
	down := pm.Down.Statements
	total := len(down)
	run := MigrationRun{Version: pm.Version, Name: pm.Name(), File: pm.Path, StatementsTotal: total}
	sums := downSums(pm.Migration)
	start := undoPoint(m)
	// The down statement an interrupted rollback had in flight may have
	// been made (checkUndoResumable refuses it edited).
	inFlight := m.inFlightUnchanged(start, sums)
	if err := checkUndoResumable(pm, m, start); err != nil {
		return run, err
	}
	if start > 0 {
		run.ResumedAt = start + 1
		// The last change of the earlier attempt may not have reached
		// every node yet: the next statement waits until it has.
		if err := r.exec.AwaitSchemaAgreement(ctx); err != nil {
			st := down[start-1]
			return run, withCategory(ErrMigrationFailed, fmt.Errorf("%s:%d:%d: resume the rollback of %s after down statement %d: %w\nhint: the change of down statement %d has not reached every node yet: once they agree, run 'cqltrack rollback' again",
				pm.Path, st.Pos.Line, st.Pos.Col, pm.Name(), start, err, start))
		}
	}
	began := time.Now()
	if err := r.hist.StartRollback(ctx, int(pm.Version), total, start, sums); err != nil {
		return run, fmt.Errorf("record the start of the rollback of %s: %w", pm.Name(), err)
	}
	r.progress(Progress{Kind: ProgressMigrationStart, Version: pm.Version, Name: pm.Name(), Statements: total, ResumeAt: run.ResumedAt, Down: true})
	done := start
	for i := start; i < total; i++ {
		st := down[i]
		t0 := time.Now()
		o := r.step(ctx, pm.down[i], st.Text, i == start && inFlight, alreadyUndone)
		if o.lostBefore != nil {
			// Another migrator may own the history now: write nothing.
			run.StatementsApplied, run.Status = done, string(StateInterrupted)
			return run, withCategory(ErrLockNotAcquired, fmt.Errorf("stop before %s down statement %d: %w", pm.Name(), i+1, o.lostBefore))
		}
		err := o.err
		if o.lostAfter != nil {
			// The history may be another migrator's now, so record
			// nothing. Whoever resumes treats this statement as the one
			// in flight.
			run.StatementsApplied, run.Status = done, string(StateInterrupted)
			return run, withCategory(ErrLockNotAcquired, fmt.Errorf("%s down statement %d %s, but the lease was lost meanwhile and nothing was recorded: %w",
				pm.Name(), i+1, o.outcome(), o.lostAfter))
		}
		if err != nil {
			var agree *cluster.AgreementError
			if errors.As(err, &agree) {
				// The change was made; only the agreement is missing. A
				// retry must not run it again.
				done = i + 1
			}
			return r.failUndo(ctx, run, pm, i, start, done, began, err, i == start && inFlight)
		}
		done = i + 1
		if err := r.hist.Progress(ctx, int(pm.Version), done); err != nil {
			return run, fmt.Errorf("record the rollback progress of %s: %w", pm.Name(), err)
		}
		r.progress(Progress{Kind: ProgressStatement, Version: pm.Version, Name: pm.Name(), Statement: i + 1,
			Statements: total, Line: st.Pos.Line, Elapsed: time.Since(t0), Down: true})
	}
	took := time.Since(began)
	if err := r.hist.Delete(ctx, int(pm.Version)); err != nil {
		return run, fmt.Errorf("remove history of %s: %w", pm.Name(), err)
	}
	if _, err := r.hist.LogEvent(ctx, history.Event{Kind: history.EventRollback, Version: int(pm.Version),
		Description: pm.Description, Duration: took, Statements: total - start, Detail: resumedDetail(start, total)}); err != nil {
		return run, fmt.Errorf("log rollback of %s: %w", pm.Name(), err)
	}
	run.Status, run.StatementsApplied, run.DurationMs = "rolled_back", total, took.Milliseconds()
	r.progress(Progress{Kind: ProgressMigrationDone, Version: pm.Version, Name: pm.Name(), Statements: total, Elapsed: took, Down: true})
	return run, nil
}

// failUndo records down statement i's failure, done down statements
// having run, and returns the rollback's error. A statement whose outcome
// is unknown (failedStatement) leaves the record rolling_back, as a
// process that died there would leave it, so that the next rollback treats
// it as the statement in flight.
func (r *runner) failUndo(ctx context.Context, run MigrationRun, pm *parsedMigration, i, start, done int, began time.Time, cause error, wasInFlight bool) (MigrationRun, error) {
	st := pm.Down.Statements[i]
	total := len(pm.Down.Statements)
	took := time.Since(began)
	cause, unknown := failedStatement(ctx, &run, st, i, done, took, cause, wasInFlight)
	msg := cause.Error()
	// Record with a context that survives the caller's cancellation: a
	// failure that is not written would be resumed from the wrong place.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var errs []error
	if !unknown {
		if err := r.hist.FailRollback(wctx, int(pm.Version), done, msg); err != nil {
			errs = append(errs, fmt.Errorf("record the failure: %w", err))
		}
	}
	detail := fmt.Sprintf("rollback failed at down statement %d of %d", i+1, total)
	if start > 0 {
		detail += " (" + resumedDetail(start, total) + ")"
	}
	if _, err := r.hist.LogEvent(wctx, history.Event{Kind: history.EventFailed, Version: int(pm.Version),
		Description: pm.Description, Duration: took, Statements: done - start, Error: msg, Detail: detail}); err != nil {
		errs = append(errs, fmt.Errorf("log the failure: %w", err))
	}
	var hint string
	switch {
	case done > i:
		hint = fmt.Sprintf("the change was made, but not every node has it yet: once they agree, run 'cqltrack rollback' again: it continues after down statement %d", done)
	case unknown && !outcomeUnknown(cause):
		hint = fmt.Sprintf("an earlier rollback may have made this statement's change (it got no answer then): the rollback is unfinished (%d of %d down statement(s) ran): once the cause is gone, run 'cqltrack rollback' again: it resumes at down statement %d and accepts it if it was made", done, total, done+1)
	case unknown:
		hint = fmt.Sprintf("no answer came, so the statement may have run: the rollback is unfinished (%d of %d down statement(s) ran): run 'cqltrack rollback' again: it resumes at down statement %d and accepts it if it was made", done, total, done+1)
	default:
		hint = fmt.Sprintf("the rollback is unfinished (%d of %d down statement(s) ran): fix the cause and run 'cqltrack rollback' again: it resumes at down statement %d; or finish the undo by hand and run 'cqltrack repair'", done, total, done+1)
	}
	err := fmt.Errorf("%s:%d:%d: roll back %s down statement %d of %d: %w\nhint: %s",
		pm.Path, st.Pos.Line, st.Pos.Col, pm.Name(), i+1, total, cause, hint)
	if len(errs) > 0 {
		err = fmt.Errorf("%w\n%w", err, errors.Join(errs...))
	}
	return run, withCategory(ErrMigrationFailed, err)
}

// resumedDetail is the event detail of a rollback that resumed at down
// statement start+1 (empty when it started at the first).
func resumedDetail(start, total int) string {
	if start == 0 {
		return ""
	}
	return fmt.Sprintf("resumed at down statement %d of %d", start+1, total)
}

// alreadyUndone recognises the answers Cassandra gives to a DROP (or an
// ALTER ... DROP) of something already gone: "Column x was not found",
// "Table 'ks.t' doesn't exist", "Cannot drop non existing table",
// "unconfigured table", "Index 'ks.i' could not be found".
func alreadyUndone(err error) bool {
	if !cluster.IsInvalid(err) && !cluster.IsConfig(err) {
		return false
	}
	msg := strings.ToLower(err.Error())
	for _, s := range []string{"not found", "doesn't exist", "does not exist", "non existing", "non-existing",
		"unconfigured table", "could not be found", "already dropped"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
