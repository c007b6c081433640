package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cqltrack/cqltrack/format"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/lock"
)

type migrateCmd struct {
	outputFlags `embed:""`
	Target      int64 `name:"target" placeholder:"V" help:"Stop after version V (default: apply everything pending)."`
	DryRun      bool  `name:"dry-run" help:"Print what would run and touch nothing."`
	dirFlag     `embed:""`
}

func (c *migrateCmd) Run(a *app) error {
	if c.Target < 0 {
		return engine.InputError(fmt.Errorf("--target must be a version above 0, got %d", c.Target))
	}
	return a.withEngine(c.Dir, func(ctx context.Context, e *engine.Engine) error {
		if err := a.checkOutput(ctx, &c.outputFlags, format.TypeMigrate); err != nil {
			return err
		}
		opts := engine.MigrateOptions{Target: c.Target, DryRun: c.DryRun}
		if a.textual(&c.outputFlags) {
			opts.Progress = a.printProgress
		}
		r, err := e.Migrate(ctx, opts)
		if r != nil {
			for _, w := range r.Warnings {
				fmt.Fprintf(a.stderr, "warning: %s\n", w)
			}
			if oerr := a.emitReport(ctx, &c.outputFlags, format.TypeMigrate, r, func(b *strings.Builder) { a.writeMigrateSummary(b, r, err) }); oerr != nil && err == nil {
				err = oerr
			}
		}
		return err
	})
}

// printProgress prints each step of a migrate or rollback run as it
// happens, so a long run shows where it is.
func (a *app) printProgress(p engine.Progress) {
	switch p.Kind {
	case engine.ProgressLockWait:
		fmt.Fprintf(a.stdout, "waiting for the migration lock: %s\n", holderText(p.Holder))
	case engine.ProgressMigrationStart:
		resume := ""
		kind := "statement"
		if p.Down {
			kind = "down statement"
		}
		if p.ResumeAt > 1 {
			resume = fmt.Sprintf(", resuming at %s %d", kind, p.ResumeAt)
		}
		fmt.Fprintf(a.stdout, "%s (%s%s)\n", a.paint(bold, p.Name), plural(p.Statements, kind), resume)
	case engine.ProgressStatement:
		kind := "statement"
		if p.Down {
			kind = "down statement"
		}
		fmt.Fprintf(a.stdout, "  %s %s %d/%d (line %d)  %s\n", a.paint(green, "ok"), kind, p.Statement, p.Statements, p.Line, durationText(p.Elapsed))
	case engine.ProgressMigrationDone:
		fmt.Fprintf(a.stdout, "  done in %s\n", durationText(p.Elapsed))
	}
}

// writeMigrateSummary writes the run's last line; runErr is the error the
// run ended with, if any (a deny, a hook that failed, a refused resume).
func (a *app) writeMigrateSummary(b *strings.Builder, r *engine.MigrateReport, runErr error) {
	if runErr != nil && len(r.Migrations) == 0 {
		// Not "nothing to migrate": something is pending, and the error
		// on stderr says why it did not run.
		fmt.Fprintf(b, "stopped before any migration ran: %s is at %s\n", r.Keyspace, a.versionText(r.Current))
		return
	}
	if r.DryRun {
		if len(r.Migrations) == 0 {
			fmt.Fprintf(b, "nothing to migrate: %s is at %s\n", r.Keyspace, a.versionText(r.Current))
			return
		}
		fmt.Fprintf(b, "dry run: would apply %d migration(s) to %s (at %s):\n", len(r.Migrations), r.Keyspace, a.versionText(r.Current))
		for _, m := range r.Migrations {
			resume := ""
			if m.ResumedAt > 0 {
				resume = fmt.Sprintf(", resuming at statement %d", m.ResumedAt)
			}
			fmt.Fprintf(b, "%s  %s (%s%s)\n", a.paint(bold, m.Name), m.File, plural(m.StatementsTotal, "statement"), resume)
			writeStatements(b, m.Statements)
		}
		return
	}
	applied := 0
	for _, m := range r.Migrations {
		if m.Status == string(engine.StateApplied) {
			applied++
		}
	}
	switch {
	case len(r.Migrations) == 0:
		fmt.Fprintf(b, "nothing to migrate: %s is at %s\n", r.Keyspace, a.versionText(r.Current))
	case applied == len(r.Migrations):
		fmt.Fprintf(b, "applied %d migration(s): %s is at %s\n", applied, r.Keyspace, a.versionText(r.Current))
	default:
		fmt.Fprintf(b, "applied %d of %d migration(s): %s is at %s\n", applied, len(r.Migrations), r.Keyspace, a.versionText(r.Current))
	}
}

type rollbackCmd struct {
	Steps   *int   `name:"steps" placeholder:"N" help:"Undo the newest N applied migrations, N 1 or more (default 1)."`
	To      *int64 `name:"to" placeholder:"V" help:"Undo every applied migration above version V."`
	DryRun  bool   `name:"dry-run" help:"Print what would run and touch nothing."`
	dirFlag `embed:""`
}

func (c *rollbackCmd) Run(a *app) error {
	opts := engine.RollbackOptions{DryRun: c.DryRun}
	if c.Steps != nil {
		// An explicit 0 is not "the default": undoing one migration the
		// user did not ask for cannot be taken back.
		if *c.Steps < 1 {
			return engine.InputError(fmt.Errorf("--steps must be 1 or more, got %d", *c.Steps))
		}
		if c.To != nil {
			return engine.InputError(errors.New("rollback takes --steps N or --to V, not both"))
		}
		opts.Steps = *c.Steps
	}
	if c.To != nil {
		if *c.To < 0 {
			return engine.InputError(fmt.Errorf("--to must be a version, 0 or above, got %d", *c.To))
		}
		opts.To, opts.ToSet = *c.To, true
	}
	return a.withEngine(c.Dir, func(ctx context.Context, e *engine.Engine) error {
		if !a.globals.JSON {
			opts.Progress = a.printProgress
		}
		r, err := e.Rollback(ctx, opts)
		if r != nil {
			if oerr := a.emit(r, func(b *strings.Builder) { a.writeRollbackSummary(b, r) }); oerr != nil && err == nil {
				err = oerr
			}
		}
		return err
	})
}

func (a *app) writeRollbackSummary(b *strings.Builder, r *engine.RollbackReport) {
	if len(r.Migrations) == 0 {
		fmt.Fprintf(b, "nothing to roll back: %s is at %s\n", r.Keyspace, a.versionText(r.Current))
		return
	}
	if r.DryRun {
		fmt.Fprintf(b, "dry run: would roll back %d migration(s) of %s, newest first:\n", len(r.Migrations), r.Keyspace)
		for _, m := range r.Migrations {
			fmt.Fprintf(b, "%s  %s\n", a.paint(bold, m.Name), m.File)
			writeStatements(b, m.Statements)
		}
		return
	}
	done := 0
	for _, m := range r.Migrations {
		if m.Status == "rolled_back" {
			done++
		}
	}
	fmt.Fprintf(b, "rolled back %d migration(s): %s is at %s\n", done, r.Keyspace, a.versionText(r.Current))
}

// writeStatements lists a dry run's statements, indented, one per line.
func writeStatements(b *strings.Builder, stmts []string) {
	for _, s := range stmts {
		fmt.Fprintf(b, "    %s;\n", strings.ReplaceAll(s, "\n", "\n    "))
	}
}

func holderText(h *lock.Holder) string {
	if h == nil {
		return "free"
	}
	return "held by " + h.String()
}

// lockLine is the status report's last line.
func lockLine(h *lock.Holder) string {
	if h == nil {
		return "lock: free\n"
	}
	return "lock: " + holderText(h) + "\n"
}

func durationText(d time.Duration) string {
	if d < time.Millisecond {
		return d.Round(time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}

// plural writes a count with its noun: "1 statement", "3 statements".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
