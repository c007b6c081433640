package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/history"
	"github.com/cqltrack/cqltrack/engine/lock"
	"github.com/cqltrack/cqltrack/engine/migration"
)

// MigrateOptions tune Migrate.
type MigrateOptions struct {
	// Target stops after this version (0: apply everything pending).
	Target int64
	// DryRun reports what would run and touches nothing: no lock, no
	// statement, no history.
	DryRun bool
	// Progress, when set, is told about every step as it happens.
	Progress func(Progress)
}

// ProgressKind names a step of a run.
type ProgressKind string

// Progress kinds, in the order a run reports them.
const (
	ProgressLockWait       ProgressKind = "lock_wait"
	ProgressLocked         ProgressKind = "locked"
	ProgressMigrationStart ProgressKind = "migration_start"
	ProgressStatement      ProgressKind = "statement"
	ProgressMigrationDone  ProgressKind = "migration_done"
)

// Progress is one step of a run, for live output.
type Progress struct {
	Kind ProgressKind
	// Version and Name identify the migration.
	Version int64
	Name    string
	// Statement (1-based) of Statements, its line and how long it took.
	Statement, Statements, Line int
	Elapsed                     time.Duration
	// ResumeAt is the statement a resumed migration starts at (1-based).
	ResumeAt int
	// Down marks the steps of a rollback: the statements are down
	// statements.
	Down bool
	// Holder is the lock holder being waited for.
	Holder *lock.Holder
}

// MigrateReport says what Migrate did, or would do with DryRun.
type MigrateReport struct {
	Keyspace string `json:"keyspace"`
	DryRun   bool   `json:"dry_run"`
	// Migrations are the migrations worked on (with DryRun: that would be).
	Migrations []MigrationRun `json:"migrations"`
	// Current is the highest applied version after the run.
	Current int64 `json:"current"`
	// LockWaitMs is how long the run waited for the lock.
	LockWaitMs int64 `json:"lock_wait_ms"`
	// Warnings are things the user should know that did not stop the run,
	// e.g. applied migrations whose files are missing.
	Warnings []string `json:"warnings,omitempty"`
}

// MigrationRun is one migration's part in a run.
type MigrationRun struct {
	Version int64  `json:"version"`
	Name    string `json:"name"`
	File    string `json:"file"`
	// Status is applied, failed, or (DryRun) pending.
	Status string `json:"status"`
	// ResumedAt is the 1-based statement a resumed migration started at
	// (0: it started from the beginning).
	ResumedAt         int   `json:"resumed_at,omitempty"`
	StatementsTotal   int   `json:"statements_total"`
	StatementsApplied int   `json:"statements_applied"`
	DurationMs        int64 `json:"duration_ms"`
	// Statements are the statements that would run (DryRun only).
	Statements []string `json:"statements,omitempty"`
	// Failure describes the statement that failed.
	Failure *StatementFailure `json:"failure,omitempty"`
}

// StatementFailure is a statement the cluster rejected.
type StatementFailure struct {
	Statement int    `json:"statement"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	Message   string `json:"message"`
	// Code is the native protocol error code, -1 when the error did not
	// come from the server (a timeout, a lost connection, no agreement).
	Code int `json:"code"`
}

// parsedMigration is a migration whose statements were parsed before
// anything touched the cluster.
type parsedMigration struct {
	*migration.Migration
	up, down []cql.Stmt
}

// Migrate applies the pending migrations in version order under the
// migration lock. Every file is read, checksummed and parsed first; a
// syntax error, an applied file that was modified or an out-of-order file
// stops the run before the cluster changes. With nothing pending no lock is
// taken, so replicas of a service that start together all return at once.
// After the lock is acquired the history is read again, so a migrator that
// waited applies only what the one before it left.
//
// Before every statement the lease is checked (fencing); after every schema
// change the run waits for schema agreement. A failed statement is recorded
// with the statements applied before it, and the next Migrate resumes at it
// when those are unchanged.
func (e *Engine) Migrate(ctx context.Context, opts MigrateOptions) (*MigrateReport, error) {
	progress := opts.Progress
	if progress == nil {
		progress = func(Progress) {}
	}
	w, err := e.prepare(ctx, progress)
	if err != nil {
		return nil, err
	}
	ks, set, parsed, hist := w.keyspace, w.set, w.parsed, w.hist
	report := &MigrateReport{Keyspace: ks, DryRun: opts.DryRun, Migrations: []MigrationRun{}}
	todo, status, err := e.pendingWork(ctx, hist, set, opts.Target)
	if err != nil {
		return nil, err
	}
	report.Current, report.Warnings = status.Current, missingWarnings(status)
	if len(todo) == 0 {
		return report, nil
	}
	// A resumed attempt whose applied or in-flight statements changed is
	// refused first: the live schema check would only see its effect.
	for _, m := range todo {
		if err := resumable(ctx, hist, parsed[m.Version], m); err != nil {
			return nil, err
		}
	}
	// Every pending statement must fit the live schema before one runs;
	// checked before the lock too, so that a migration that cannot apply
	// is refused without taking it.
	todo, status, liveErr := e.checkBeforeLock(ctx, w, todo, status, opts)
	if liveErr != nil && (opts.DryRun || !errors.Is(liveErr, errMigratorActive)) {
		return nil, liveErr
	}
	report.Current = status.Current
	if len(todo) == 0 {
		return report, nil
	}
	if opts.DryRun {
		// A dry run asks the pre hooks too (dry_run: true), so that a
		// gate's answer shows before the real run.
		h, err := e.startHooks(ctx, todo, parsed, true, func(err error) { report.Warnings = append(report.Warnings, err.Error()) })
		if err != nil {
			return nil, err
		}
		defer h.close(ctx)
		// The report goes back with a deny too: its warnings hold what
		// hooks with on_error: warn said.
		if err := h.preRun(ctx); err != nil {
			return report, err
		}
		for _, m := range todo {
			if err := h.preMigration(ctx, parsed[m.Version]); err != nil {
				return report, err
			}
		}
		for _, m := range todo {
			run := MigrationRun{Version: m.Version, Name: m.Name, File: m.File, Status: string(StatePending),
				StatementsTotal: m.StatementsTotal}
			pm := parsed[m.Version]
			start := resumePoint(m) // resumable above checked the file still fits it
			run.ResumedAt = start + 1
			if start == 0 {
				run.ResumedAt = 0
			}
			for _, st := range pm.Up.Statements[start:] {
				run.Statements = append(run.Statements, st.Text)
			}
			report.Migrations = append(report.Migrations, run)
		}
		return report, nil
	}

	waitStart := time.Now()
	lease, err := e.acquire(ctx, w.locker)
	if err != nil {
		return nil, err
	}
	defer releaseLease(ctx, lease)
	report.LockWaitMs = time.Since(waitStart).Milliseconds()
	progress(Progress{Kind: ProgressLocked})

	// Someone may have applied migrations while we waited: read again.
	before := todo
	todo, status, err = e.pendingWork(ctx, hist, set, opts.Target)
	if err != nil {
		return nil, err
	}
	report.Current = status.Current
	if len(todo) == 0 {
		return report, nil
	}
	// A migrator that held the lock meanwhile changed the schema, or the
	// check without the lock failed: check against the schema this run
	// starts from.
	if liveErr != nil || !samePending(before, todo) {
		if _, err := e.checkOnLive(ctx, set, todo); err != nil {
			return nil, err
		}
	}
	ksSess, err := e.keyspaceSession(ctx)
	if err != nil {
		return nil, err
	}
	h, err := e.startHooks(ctx, todo, parsed, false, func(err error) { report.Warnings = append(report.Warnings, err.Error()) })
	if err != nil {
		return nil, err
	}
	defer h.close(ctx)
	if err := h.preRun(ctx); err != nil {
		return report, h.postRun(ctx, report, err)
	}
	r := &runner{e: e, hist: hist, lease: lease, exec: ksSess, progress: progress}
	var runErr error
	for _, m := range todo {
		pm := parsed[m.Version]
		// A deny stops the run before anything of this migration runs.
		if runErr = h.preMigration(ctx, pm); runErr != nil {
			break
		}
		run, err := r.apply(ctx, pm, m)
		report.Migrations = append(report.Migrations, run)
		h.postMigration(ctx, pm, run, err)
		if err != nil {
			runErr = err
			break
		}
		report.Current = max(report.Current, m.Version)
	}
	return report, h.postRun(ctx, report, runErr)
}

// errMigratorActive marks a misfit checkBeforeLock saw while another
// migrator held the lock: the run takes the lock and checks again.
var errMigratorActive = errors.New("another migrator holds the lock")

// checkBeforeLock replays todo on the live schema without the lock. A
// misfit may be another migrator's run in progress, its change made and
// its history not yet written: when the history moved meanwhile the check
// is made again on the new work (todo and status are returned updated),
// and when another migrator holds the lock the misfit is returned wrapping
// errMigratorActive, for Migrate to take the verdict again under the lock,
// where the schema holds still. Otherwise a misfit is final.
func (e *Engine) checkBeforeLock(ctx context.Context, w *work, todo []MigrationStatus, status *StatusReport, opts MigrateOptions) ([]MigrationStatus, *StatusReport, error) {
	for range 3 {
		if len(todo) == 0 {
			return todo, status, nil
		}
		_, err := e.checkOnLive(ctx, w.set, todo)
		if err == nil || !errors.Is(err, ErrInvalidInput) || opts.DryRun {
			return todo, status, err
		}
		again, st, rerr := e.pendingWork(ctx, w.hist, w.set, opts.Target)
		if rerr != nil {
			return nil, nil, rerr
		}
		if samePending(todo, again) {
			h, herr := w.locker.Holder(ctx)
			if herr != nil {
				return nil, nil, herr
			}
			if h != nil {
				return todo, status, fmt.Errorf("%w: %w", errMigratorActive, err)
			}
			return todo, status, err
		}
		todo, status = again, st
	}
	// The history kept moving: someone is migrating. Decide under the lock.
	return todo, status, errMigratorActive
}

// work is what migrate and rollback read before touching the cluster's
// schema: the files, parsed, and the tracking tables.
type work struct {
	keyspace string
	set      *migration.Set
	parsed   map[int64]*parsedMigration
	hist     *history.Store
	locker   *lock.Locker
}

// prepare loads and parses every migration file, then connects and checks
// that the keyspace was initialized. Bad files stop it before it connects.
// The locker tells progress who holds the lock while the run waits for it.
func (e *Engine) prepare(ctx context.Context, progress func(Progress)) (*work, error) {
	ks, err := e.keyspaceName()
	if err != nil {
		return nil, err
	}
	set, err := e.loadMigrations()
	if err != nil {
		return nil, err
	}
	parsed, err := parseAll(set)
	if err != nil {
		return nil, err
	}
	hist, locker, err := e.tracking(ctx, lock.WithWaiting(func(h lock.Holder, _ time.Duration) {
		progress(Progress{Kind: ProgressLockWait, Holder: &h})
	}))
	if err != nil {
		return nil, err
	}
	return &work{keyspace: ks, set: set, parsed: parsed, hist: hist, locker: locker}, nil
}

// parseAll parses every statement of every file, so that no syntax error
// is discovered halfway through a run. USE is refused: the driver cannot
// switch a pooled session's keyspace, and a migration that changes it
// would leave the next one running elsewhere.
func parseAll(set *migration.Set) (map[int64]*parsedMigration, error) {
	out := map[int64]*parsedMigration{}
	var errs []error
	for _, m := range set.Migrations {
		pm := &parsedMigration{Migration: m}
		for i, st := range m.Up.Statements {
			stmt, err := cql.ParseStatement(st.Statement)
			if err != nil {
				errs = append(errs, statementError(m, i, st.Pos, err))
				continue
			}
			if stmt.Kind() == cql.KindUse {
				errs = append(errs, useRefused(m, i))
				continue
			}
			pm.up = append(pm.up, stmt)
		}
		for i, st := range m.Down.Statements {
			stmt, err := cql.ParseStatement(st.Statement)
			if err != nil {
				errs = append(errs, statementError(m, i, st.Pos, err))
				continue
			}
			pm.down = append(pm.down, stmt)
		}
		out[m.Version] = pm
	}
	if len(errs) > 0 {
		return nil, InputError(errors.Join(errs...))
	}
	return out, nil
}

// useRefused is the error for statement i of m, a USE.
func useRefused(m *migration.Migration, i int) error {
	st := m.Up.Statements[i]
	return fmt.Errorf("%s:%d:%d: statement %d: USE cannot run inside a migration\nhint: qualify the names with their keyspace (ks.table) instead",
		m.Path, st.Pos.Line, st.Pos.Col, i+1)
}

// pendingWork reads the history and returns what to apply up to target,
// refusing modified applied files and out-of-order files.
func (e *Engine) pendingWork(ctx context.Context, hist *history.Store, set *migration.Set, target int64) ([]MigrationStatus, *StatusReport, error) {
	recs, err := hist.Applied(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("read history: %w", err)
	}
	status := reconcile(set, recs)
	var problems []string
	for _, m := range status.Migrations {
		if m.State == StateModified {
			problems = append(problems, fmt.Sprintf("%s was modified after it was applied (recorded checksum %s, file %s)", m.File, m.AppliedChecksum, m.Checksum))
		}
	}
	if len(problems) > 0 {
		return nil, nil, InputError(errors.New(strings.Join(problems, "\n") +
			"\nhint: restore the file from version control, or run 'cqltrack repair' to accept the change"))
	}
	for _, m := range status.Migrations {
		if m.State.RollingBack() {
			return nil, nil, InputError(fmt.Errorf("%s has an unfinished rollback (%d of %d down statements ran)\nhint: finish it with 'cqltrack rollback', or finish the undo by hand and run 'cqltrack repair', before migrating",
				m.Name, m.StatementsApplied, m.StatementsTotal))
		}
	}
	var todo []MigrationStatus
	for _, m := range status.Pending() {
		if target > 0 && m.Version > target {
			break
		}
		if m.OutOfOrder {
			return nil, nil, InputError(fmt.Errorf("%s is pending but version %d is already applied: cqltrack applies migrations in version order\nhint: renumber the file above %d", m.File, status.Current, status.Current))
		}
		todo = append(todo, m)
	}
	return todo, status, nil
}

// samePending reports whether two reads of the history left the same work.
func samePending(a, b []MigrationStatus) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Version != b[i].Version || a[i].State != b[i].State || a[i].StatementsApplied != b[i].StatementsApplied {
			return false
		}
	}
	return true
}

func missingWarnings(s *StatusReport) []string {
	var out []string
	for _, m := range s.Migrations {
		if m.State == StateMissing {
			out = append(out, fmt.Sprintf("V%d %s is applied but its file is missing", m.Version, m.Description))
		}
	}
	return out
}

// resumePoint is the 0-based statement a pending migration starts at.
func resumePoint(m MigrationStatus) int {
	if m.State == StateFailed || m.State == StateInterrupted {
		return m.StatementsApplied
	}
	return 0
}

// runner applies migrations one statement at a time.
type runner struct {
	e        *Engine
	hist     *history.Store
	lease    *lock.Lease
	exec     *cluster.Session
	progress func(Progress)
}

// apply runs m's up statements from where its last attempt stopped.
func (r *runner) apply(ctx context.Context, pm *parsedMigration, m MigrationStatus) (MigrationRun, error) {
	total := len(pm.up)
	run := MigrationRun{Version: pm.Version, Name: pm.Name(), File: pm.Path, StatementsTotal: total}
	sums := statementSums(pm.Migration)
	start := resumePoint(m)
	// The statement an interrupted attempt had in flight may be in the
	// cluster already (resumable refuses it edited).
	inFlight := m.inFlightUnchanged(start, sums)
	if err := resumable(ctx, r.hist, pm, m); err != nil {
		run.Status, run.StatementsApplied = string(m.State), start // as it stands: not run
		return run, err
	}
	if start > 0 {
		run.ResumedAt = start + 1
		// The earlier attempt's last change may not have reached every
		// node (its agreement wait may be what failed): the next
		// statement, or the record of success, waits until it has.
		if err := r.exec.AwaitSchemaAgreement(ctx); err != nil {
			st := pm.Up.Statements[start-1]
			return run, withCategory(ErrMigrationFailed, fmt.Errorf("%s:%d:%d: resume %s after statement %d: %w\nhint: the change of statement %d has not reached every node yet: once they agree, run 'cqltrack migrate' again",
				pm.Path, st.Pos.Line, st.Pos.Col, pm.Name(), start, err, start))
		}
	}
	began := time.Now()
	rec := history.Record{
		Version: int(pm.Version), Description: pm.Description, Checksum: pm.Checksum,
		Kind: history.KindMigrate, StatementsTotal: total, StatementsApplied: start, StatementChecksums: sums,
	}
	if err := r.hist.Start(ctx, rec); err != nil {
		return run, fmt.Errorf("record start of %s: %w", pm.Name(), err)
	}
	if _, err := r.hist.LogEvent(ctx, history.Event{Kind: history.EventAttempt, Version: int(pm.Version),
		Description: pm.Description, Detail: attemptDetail(start, total)}); err != nil {
		return run, fmt.Errorf("log attempt of %s: %w", pm.Name(), err)
	}
	r.progress(Progress{Kind: ProgressMigrationStart, Version: pm.Version, Name: pm.Name(), Statements: total, ResumeAt: run.ResumedAt})

	applied := start
	for i := start; i < total; i++ {
		st := pm.Up.Statements[i]
		t0 := time.Now()
		o := r.step(ctx, pm.up[i], st.Text, i == start && inFlight, alreadyApplied)
		if o.lostBefore != nil {
			// Another migrator may own the history now: write nothing.
			run.StatementsApplied = applied
			run.Status = string(StateInterrupted)
			return run, withCategory(ErrLockNotAcquired, fmt.Errorf("stop before %s statement %d: %w", pm.Name(), i+1, o.lostBefore))
		}
		err := o.err
		if o.lostAfter != nil {
			// Another migrator may own the history and have resumed this
			// very migration, so record nothing. Whoever resumes treats
			// this statement as the one in flight.
			run.StatementsApplied = applied
			run.Status = string(StateInterrupted)
			return run, withCategory(ErrLockNotAcquired, fmt.Errorf("%s statement %d %s, but the lease was lost meanwhile and nothing was recorded: %w",
				pm.Name(), i+1, o.outcome(), o.lostAfter))
		}
		if err != nil {
			var agree *cluster.AgreementError
			if errors.As(err, &agree) {
				// The change was made; only the agreement is missing. A
				// retry must not run it again.
				applied = i + 1
			}
			return r.fail(ctx, run, pm, i, applied, began, err, i == start && inFlight)
		}
		applied = i + 1
		if err := r.hist.Progress(ctx, int(pm.Version), applied); err != nil {
			return run, fmt.Errorf("record progress of %s: %w", pm.Name(), err)
		}
		r.progress(Progress{Kind: ProgressStatement, Version: pm.Version, Name: pm.Name(), Statement: i + 1,
			Statements: total, Line: st.Pos.Line, Elapsed: time.Since(t0)})
	}
	took := time.Since(began)
	if err := r.hist.Finish(ctx, int(pm.Version), applied, took); err != nil {
		return run, fmt.Errorf("record %s as applied: %w", pm.Name(), err)
	}
	if _, err := r.hist.LogEvent(ctx, history.Event{Kind: history.EventApplied, Version: int(pm.Version),
		Description: pm.Description, Duration: took, Statements: applied - start}); err != nil {
		return run, fmt.Errorf("log %s as applied: %w", pm.Name(), err)
	}
	run.Status, run.StatementsApplied, run.DurationMs = string(StateApplied), applied, took.Milliseconds()
	r.progress(Progress{Kind: ProgressMigrationDone, Version: pm.Version, Name: pm.Name(), Statements: total, Elapsed: took})
	return run, nil
}

// stepResult is how one statement run under the lease ended.
type stepResult struct {
	// lostBefore: the lease was lost before the statement; it did not run.
	lostBefore error
	// err is the statement's own error (nil when it ran, or when an
	// in-flight statement's change was already made).
	err error
	// lostAfter: the lease ran out while the statement ran; the history
	// may be another migrator's now.
	lostAfter error
}

// outcome says how the statement ended, for a message.
func (s stepResult) outcome() string {
	if s.err != nil {
		return "failed (" + s.err.Error() + ")"
	}
	return "ran"
}

// step runs one statement of a migration or rollback under the lease:
// fenced before it and after it. For the statement an interrupted attempt
// had in flight (inFlight), an answer that its change is already made
// (made: "already exists" going up, "not found" going down) is that
// attempt's own change reaching the cluster: success, after the schema
// agreement wait that attempt did not see.
func (r *runner) step(ctx context.Context, stmt cql.Stmt, text string, inFlight bool, made func(error) bool) stepResult {
	if err := r.lease.Fence(ctx); err != nil {
		return stepResult{lostBefore: err}
	}
	err := r.execStatement(ctx, stmt, text)
	if err != nil && inFlight && made(err) {
		err = nil
		if isSchemaChange(stmt.Kind()) {
			err = r.exec.AwaitSchemaAgreement(ctx)
		}
	}
	if ferr := r.lease.Fence(ctx); ferr != nil {
		return stepResult{err: err, lostAfter: ferr}
	}
	return stepResult{err: err}
}

// execStatement runs one statement: schema changes through ExecDDL, which
// waits for agreement; everything else once, at the session consistency.
func (r *runner) execStatement(ctx context.Context, stmt cql.Stmt, text string) error {
	if isSchemaChange(stmt.Kind()) {
		return r.exec.ExecDDL(ctx, text)
	}
	return r.exec.Exec(ctx, text)
}

// fail records statement i's failure and returns the run's error; a
// statement whose outcome is unknown (failedStatement) is left in flight.
func (r *runner) fail(ctx context.Context, run MigrationRun, pm *parsedMigration, i, applied int, began time.Time, cause error, wasInFlight bool) (MigrationRun, error) {
	st := pm.Up.Statements[i]
	took := time.Since(began)
	// A statement whose answer never came (a timeout, a lost connection)
	// may have been made: the attempt is left running, as a process that
	// died there would leave it, and the next run treats the statement as
	// the one in flight, accepting "already exists" for it.
	cause, unknown := failedStatement(ctx, &run, st, i, applied, took, cause, wasInFlight)
	msg := cause.Error()
	// Record with a context that survives the caller's cancellation: a
	// failure that is not written would be retried from the wrong place.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var errs []error
	if !unknown {
		if err := r.hist.Fail(wctx, int(pm.Version), applied, took, msg); err != nil {
			errs = append(errs, fmt.Errorf("record the failure: %w", err))
		}
	}
	if _, err := r.hist.LogEvent(wctx, history.Event{Kind: history.EventFailed, Version: int(pm.Version),
		Description: pm.Description, Duration: took, Statements: applied, Error: msg}); err != nil {
		errs = append(errs, fmt.Errorf("log the failure: %w", err))
	}
	hint := fmt.Sprintf("fix the statement and run 'cqltrack migrate' again: it resumes at statement %d", applied+1)
	switch {
	case applied > i:
		hint = fmt.Sprintf("the change was made, but not every node has it yet: once they agree, run 'cqltrack migrate' again: it continues after statement %d", applied)
	case unknown && !outcomeUnknown(cause):
		hint = fmt.Sprintf("an earlier attempt may have made this statement's change (it got no answer then): once the cause is gone, run 'cqltrack migrate' again: it resumes at statement %d and accepts it if it was made", applied+1)
	case unknown:
		hint = fmt.Sprintf("no answer came, so the statement may have run: run 'cqltrack migrate' again: it resumes at statement %d and accepts it if it was made", applied+1)
	}
	err := fmt.Errorf("%s:%d:%d: apply %s statement %d of %d: %w\nhint: %s",
		pm.Path, st.Pos.Line, st.Pos.Col, pm.Name(), i+1, len(pm.up), cause, hint)
	if len(errs) > 0 {
		err = fmt.Errorf("%w\n%w", err, errors.Join(errs...))
	}
	return run, withCategory(ErrMigrationFailed, err)
}

// failedStatement fills run for statement i (st) of a section failing
// with cause, done statements of it having run, and returns the cause (a
// Ctrl-C worded as one) and whether the statement's outcome is unknown: it
// got no answer, or it was in flight in an earlier attempt and the retry
// got a passing answer (overloaded, say), which says nothing of that
// attempt's change. An unknown outcome is run status interrupted: the
// caller leaves the statement in flight. A refusal (invalid, ...) is a
// failure, so the statement can be fixed.
func failedStatement(ctx context.Context, run *MigrationRun, st migration.Statement, i, done int, took time.Duration, cause error, wasInFlight bool) (worded error, unknown bool) {
	if errors.Is(cause, context.Canceled) && ctx.Err() != nil {
		// The caller gave up (Ctrl-C), not the cluster: say so.
		cause = fmt.Errorf("interrupted before the cluster answered: %w", cause)
	}
	run.Status, run.StatementsApplied, run.DurationMs = string(StateFailed), done, took.Milliseconds()
	run.Failure = &StatementFailure{Statement: i + 1, Line: st.Pos.Line, Column: st.Pos.Col, Message: cause.Error(), Code: cluster.Code(cause)}
	unknown = done == i && (outcomeUnknown(cause) || wasInFlight && !cluster.IsRefusal(cause))
	if unknown {
		run.Status = string(StateInterrupted)
	}
	return cause, unknown
}

// outcomeUnknown reports an error after which a statement may or may not
// have been made: a timeout, a request left without an answer, or one
// abandoned when the caller's context ended. (An Unavailable answer means
// nothing was tried.)
func outcomeUnknown(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	return (cluster.IsTimeout(err) || cluster.IsUncertain(err)) && !cluster.IsUnavailable(err)
}

// statementSums are the checksums of m's up statements, in order.
func statementSums(m *migration.Migration) []string {
	sums := make([]string, len(m.Up.Statements))
	for i, st := range m.Up.Statements {
		sums[i] = st.Checksum
	}
	return sums
}

// resumable reads pm's history record and refuses, as checkResumable
// does, to resume it where its last attempt stopped.
func resumable(ctx context.Context, hist *history.Store, pm *parsedMigration, m MigrationStatus) error {
	start := resumePoint(m)
	if start == 0 && m.State != StateInterrupted {
		return nil // a fresh start: nothing ran
	}
	rec, err := hist.Get(ctx, int(pm.Version))
	if err != nil {
		return fmt.Errorf("read history of %s: %w", pm.Name(), err)
	}
	return checkResumable(pm, rec, start, statementSums(pm.Migration))
}

// checkResumable refuses to resume when the statements already applied
// are not the ones in the file now.
func checkResumable(pm *parsedMigration, rec *history.Record, start int, sums []string) error {
	if rec == nil {
		return nil
	}
	if start > len(sums) {
		return InputError(fmt.Errorf("%s: the history says %d statements were applied but the file has %d\nhint: restore the file, or undo the partial change by hand and run 'cqltrack repair' to start it over",
			pm.Path, start, len(sums)))
	}
	// The statement in flight when an attempt stopped without an answer
	// may have run: its recorded text is what tells its change apart, so
	// an edit is refused before the record is rewritten, while restoring
	// the statement can still resolve it.
	if rec.Status == history.StatusRunning && start < len(sums) && start < len(rec.StatementChecksums) && rec.StatementChecksums[start] != sums[start] {
		st := pm.Up.Statements[start]
		return InputError(fmt.Errorf("%s:%d:%d: statement %d was running when an attempt of %s stopped without an answer (it may have run), and has changed since\nhint: restore it as it was: the next run accepts its change if it was made; or undo the partial change by hand and run 'cqltrack repair' to start %s over",
			pm.Path, st.Pos.Line, st.Pos.Col, start+1, pm.Name(), pm.Name()))
	}
	if len(rec.StatementChecksums) < start {
		// Written by a tool that kept no statement checksums: trust it.
		return nil
	}
	for i := 0; i < start; i++ {
		if rec.StatementChecksums[i] != sums[i] {
			st := pm.Up.Statements[i]
			return InputError(fmt.Errorf("%s:%d:%d: statement %d was applied by an earlier attempt and has changed since; resuming at statement %d would skip the new text\nhint: restore statements 1-%d as they were, or undo the partial change by hand and run 'cqltrack repair' to start %s over",
				pm.Path, st.Pos.Line, st.Pos.Col, i+1, start+1, start, pm.Name()))
		}
	}
	return nil
}

// alreadyApplied recognises the answer Cassandra gives to a schema change
// that was already made.
func alreadyApplied(err error) bool {
	if cluster.IsAlreadyExists(err) {
		return true
	}
	return cluster.IsInvalid(err) && strings.Contains(strings.ToLower(err.Error()), "already exist")
}

func attemptDetail(start, total int) string {
	if start > 0 {
		return fmt.Sprintf("resume at statement %d of %d", start+1, total)
	}
	if total == 1 {
		return "1 statement"
	}
	return fmt.Sprintf("%d statements", total)
}

// isSchemaChange reports whether statements of kind change the schema (and
// so the schema version every node must agree on). Roles and permissions
// live in system_auth tables, not in the schema.
func isSchemaChange(k cql.Kind) bool {
	s := string(k)
	if strings.Contains(s, "ROLE") || strings.Contains(s, "USER") || strings.Contains(s, "IDENTITY") {
		return false
	}
	return strings.HasPrefix(s, "CREATE ") || strings.HasPrefix(s, "ALTER ") || strings.HasPrefix(s, "DROP ")
}
