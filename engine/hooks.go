package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cqltrack/cqltrack/hooks"
	"github.com/cqltrack/cqltrack/plugins"
)

// ErrDenied marks a run a pre-migrate hook denied: nothing of the denied
// migration ran (exit code 1 in the command-line tool, like a failed gate).
var ErrDenied = hooks.ErrDenied

// hookRun calls the configured hooks of one migrate run. A run with no
// hooks configured has a nil runner, which allows everything.
type hookRun struct {
	r       *hooks.Runner
	info    hooks.RunInfo
	started time.Time
	// postErrs are post hook failures with on_error: fail, reported after
	// everything is recorded.
	postErrs []error
	// warn shows the user a note: the report's warnings.
	warn func(error)
}

// startHooks loads the hooks and describes the run to them.
func (e *Engine) startHooks(ctx context.Context, todo []MigrationStatus, parsed map[int64]*parsedMigration, dryRun bool, warn func(error)) (*hookRun, error) {
	h := &hookRun{started: time.Now(), warn: warn}
	if len(e.cfg.Hooks.PreMigrate)+len(e.cfg.Hooks.PostMigrate) == 0 {
		return h, nil
	}
	r, err := hooks.Load(ctx, e.cfg.Hooks, hooks.Options{
		Host: plugins.Host{CacheDir: e.cfg.PluginCacheDir, Logger: e.logger(), LookupEnv: e.lookupEnv},
		Warn: warn,
	})
	if err != nil {
		return nil, PluginError(fmt.Errorf("load hooks: %w", err))
	}
	h.r = r
	h.info = hooks.RunInfo{Profile: e.cfg.Profile, Keyspace: e.cfg.Keyspace.Name, DryRun: dryRun}
	if e.sess != nil {
		h.info.Cluster = e.sess.ClusterName()
	}
	for _, m := range todo {
		h.info.Pending = append(h.info.Pending, hookMigration(parsed[m.Version]))
	}
	return h, nil
}

func hookMigration(pm *parsedMigration) hooks.Migration {
	m := hooks.Migration{Version: pm.Version, Description: pm.Description, File: pm.Path, Checksum: pm.Checksum}
	for _, st := range pm.Up.Statements {
		m.Statements = append(m.Statements, st.Text)
	}
	return m
}

// close releases the hook instances.
func (h *hookRun) close(ctx context.Context) {
	if h.r != nil {
		_ = h.r.Close(context.WithoutCancel(ctx))
	}
}

// decide turns a pre hook's answer into the run's error: a deny, or a hook
// that failed with on_error: fail. An allow with a message (a break-glass
// override, say) is shown as a note among the report's warnings.
func (h *hookRun) decide(d hooks.Decision, err error) error {
	if err != nil {
		return PluginError(err)
	}
	if d.Allowed && d.Message != "" && h.warn != nil {
		h.warn(fmt.Errorf("hook %q allowed with a note: %s", d.Hook, d.Message))
	}
	return d.Err()
}

// preRun asks the pre hooks whether the run may start.
func (h *hookRun) preRun(ctx context.Context) error {
	if h.r == nil {
		return nil
	}
	return h.decide(h.r.PreRun(ctx, h.info))
}

// preMigration asks the pre hooks whether pm may start.
func (h *hookRun) preMigration(ctx context.Context, pm *parsedMigration) error {
	if h.r == nil {
		return nil
	}
	return h.decide(h.r.PreMigration(ctx, h.info, hookMigration(pm)))
}

// postMigration tells the post hooks how a migration ended. Its failures
// never undo anything; they are kept for the end of the run.
// A migration that did not end applied (a failed statement, one without
// an answer, a lost lock, a resume refused) is "failed" to the hooks, as
// docs/hooks.md promises them, with the error that ended it.
func (h *hookRun) postMigration(ctx context.Context, pm *parsedMigration, run MigrationRun, runErr error) {
	if h.r == nil {
		return
	}
	o := hooks.Outcome{Version: run.Version, Description: pm.Description, Status: string(StateApplied),
		DurationMs: run.DurationMs, StatementsApplied: run.StatementsApplied, StatementsTotal: run.StatementsTotal}
	if run.Status != string(StateApplied) {
		o.Status = string(StateFailed)
		switch {
		case run.Failure != nil:
			o.Error = run.Failure.Message
		case runErr != nil:
			o.Error = runErr.Error()
		}
	}
	if err := h.r.PostMigration(context.WithoutCancel(ctx), h.info, o); err != nil {
		h.postErrs = append(h.postErrs, err)
	}
}

// postRun tells the post hooks how the run ended, and returns the run's
// error with any post hook failure added (exit 6 unless the run failed).
func (h *hookRun) postRun(ctx context.Context, report *MigrateReport, runErr error) error {
	if h.r == nil {
		return runErr
	}
	s := hooks.Summary{Status: "succeeded", DurationMs: time.Since(h.started).Milliseconds(), Current: report.Current}
	for _, m := range report.Migrations {
		if m.Status == string(StateApplied) {
			s.Applied++
		} else {
			s.Failed++
		}
	}
	switch {
	case errors.Is(runErr, hooks.ErrDenied):
		s.Status, s.Error = "denied", runErr.Error()
	case runErr != nil:
		s.Status, s.Error = "failed", runErr.Error()
	}
	if err := h.r.PostRun(context.WithoutCancel(ctx), h.info, s); err != nil {
		h.postErrs = append(h.postErrs, err)
	}
	if len(h.postErrs) == 0 {
		return runErr
	}
	postErr := PluginError(fmt.Errorf("post-migrate hooks failed after everything was recorded: %w", errors.Join(h.postErrs...)))
	if runErr != nil {
		return fmt.Errorf("%w\n%w", runErr, errors.Unwrap(postErr))
	}
	return postErr
}
