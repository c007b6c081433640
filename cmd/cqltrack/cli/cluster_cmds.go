package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cqltrack/cqltrack/format"

	"github.com/cqltrack/cqltrack/engine"
)

// withEngine runs f with an engine for the resolved configuration and a
// context cancelled by Ctrl-C or SIGTERM, closing the engine afterwards.
func (a *app) withEngine(dir string, f func(ctx context.Context, e *engine.Engine) error) error {
	e, err := a.newEngine(dir)
	if err != nil {
		return err
	}
	defer e.Close()
	a.eng = e
	ctx, stop := a.signalContext()
	defer stop()
	return f(ctx, e)
}

type initCmd struct{}

func (initCmd) Run(a *app) error {
	return a.withEngine("", func(ctx context.Context, e *engine.Engine) error {
		r, err := e.Init(ctx)
		if err != nil {
			return err
		}
		if !a.globals.JSON {
			for _, w := range r.Warnings {
				fmt.Fprintf(a.stderr, "warning: %s\n", w)
			}
		}
		return a.emit(r, func(b *strings.Builder) {
			if r.KeyspaceCreated {
				fmt.Fprintf(b, "created keyspace %s with replication %s\n", r.Keyspace, r.Replication)
			}
			if len(r.TablesCreated) > 0 {
				fmt.Fprintf(b, "created tracking tables %s in %s\n", strings.Join(r.TablesCreated, ", "), r.Keyspace)
			}
			if !r.KeyspaceCreated && len(r.TablesCreated) == 0 {
				fmt.Fprintf(b, "keyspace %s is already initialized: nothing to do\n", r.Keyspace)
			}
		})
	})
}

type statusCmd struct {
	outputFlags `embed:""`
	dirFlag     `embed:""`
}

func (c *statusCmd) Run(a *app) error {
	return a.withEngine(c.Dir, func(ctx context.Context, e *engine.Engine) error {
		r, err := e.Status(ctx)
		if err != nil {
			return err
		}
		return a.emitReport(ctx, &c.outputFlags, format.TypeStatus, r, func(b *strings.Builder) {
			fmt.Fprintf(b, "keyspace %s on cluster %q (Cassandra %s), current version %s\n\n",
				r.Keyspace, r.Cluster, r.Release, a.versionText(r.Current))
			t := table{}
			t.add("VERSION", "DESCRIPTION", "STATE", "APPLIED AT", "BY", "TIME")
			for _, m := range r.Migrations {
				at, took := "", ""
				if m.AppliedAt != nil {
					at = m.AppliedAt.UTC().Format("2006-01-02 15:04:05")
					took = fmt.Sprintf("%dms", m.ExecTimeMs)
				}
				t.add(versionOf(m), m.Description, a.stateText(m), at, m.AppliedBy, took)
			}
			if len(r.Migrations) == 0 {
				b.WriteString("no migrations\n")
			} else {
				t.writeTo(b)
			}
			b.WriteString("\n")
			b.WriteString(countsLine(r.Counts))
			b.WriteString(lockLine(r.Lock))
		})
	})
}

// stateText is a migration's state as the status table shows it.
func (a *app) stateText(m engine.MigrationStatus) string {
	s := string(m.State)
	switch m.State {
	case engine.StateApplied, engine.StateBaseline:
		return a.paint(green, s)
	case engine.StateFailed, engine.StateInterrupted:
		return a.paint(red, fmt.Sprintf("%s (%d/%d applied)", s, m.StatementsApplied, m.StatementsTotal))
	case engine.StateRollingBack, engine.StateRollbackFailed:
		return a.paint(red, fmt.Sprintf("%s (%d/%d down statements run)", s, m.StatementsApplied, m.StatementsTotal))
	case engine.StateModified, engine.StateMissing:
		return a.paint(red, s)
	case engine.StatePending:
		if m.OutOfOrder {
			return a.paint(red, "pending (out of order)")
		}
		return a.paint(yellow, s)
	}
	return s
}

func countsLine(c map[engine.State]int) string {
	var parts []string
	for _, s := range []engine.State{engine.StateApplied, engine.StateBaseline, engine.StatePending, engine.StateFailed,
		engine.StateInterrupted, engine.StateRollingBack, engine.StateRollbackFailed, engine.StateModified, engine.StateMissing} {
		if c[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c[s], s))
		}
	}
	if len(parts) == 0 {
		return "no migrations\n"
	}
	return strings.Join(parts, ", ") + "\n"
}

// versionText names version v as the migration files do (V003), or V3
// when no file has it; "none" for 0.
func (a *app) versionText(v int64) string {
	if a.eng != nil {
		return a.eng.VersionName(v)
	}
	if v == 0 {
		return "none"
	}
	return fmt.Sprintf("V%d", v)
}

type pendingCmd struct {
	outputFlags `embed:""`
	dirFlag     `embed:""`
}

// Run lists pending migrations and exits 1 when there are any, so a CI job
// can gate on it.
func (c *pendingCmd) Run(a *app) error {
	return a.withEngine(c.Dir, func(ctx context.Context, e *engine.Engine) error {
		r, err := e.Pending(ctx)
		if err != nil {
			return err
		}
		err = a.emitReport(ctx, &c.outputFlags, format.TypePending, r, func(b *strings.Builder) {
			if len(r.Pending) == 0 {
				fmt.Fprintf(b, "nothing pending: %s is at %s\n", r.Keyspace, a.versionText(r.Current))
			} else {
				fmt.Fprintf(b, "%d migration(s) pending for %s (at %s):\n", len(r.Pending), r.Keyspace, a.versionText(r.Current))
				t := table{}
				for _, m := range r.Pending {
					t.add("  "+versionOf(m), m.Description, a.stateText(m), m.File)
				}
				t.writeTo(b)
			}
		})
		if err != nil {
			return err
		}
		if len(r.Pending) > 0 {
			return &foundError{what: "pending migrations"}
		}
		return nil
	})
}

type historyCmd struct {
	outputFlags `embed:""`
	Limit       int `name:"limit" short:"n" default:"50" help:"Show at most this many events, newest first."`
}

func (c *historyCmd) Run(a *app) error {
	if c.Limit < 1 {
		return engine.InputError(fmt.Errorf("--limit must be at least 1, got %d", c.Limit))
	}
	return a.withEngine("", func(ctx context.Context, e *engine.Engine) error {
		r, err := e.History(ctx, c.Limit)
		if err != nil {
			return err
		}
		return a.emitReport(ctx, &c.outputFlags, format.TypeHistory, r, func(b *strings.Builder) {
			if len(r.Events) == 0 {
				fmt.Fprintf(b, "no events recorded for %s\n", r.Keyspace)
			} else {
				t := table{}
				t.add("AT", "EVENT", "VERSION", "WHO", "TIME", "DETAIL")
				for _, ev := range r.Events {
					v := ""
					if ev.Version != 0 {
						v = a.versionText(int64(ev.Version))
					}
					took := ""
					if ev.Duration > 0 {
						took = ev.Duration.Round(time.Millisecond).String()
					}
					detail := ev.Detail
					if ev.Error != "" {
						detail = strings.TrimSpace(strings.Join([]string{detail, a.paint(red, firstLine(ev.Error))}, " "))
					}
					t.add(ev.At.UTC().Format("2006-01-02 15:04:05"), string(ev.Kind), v, ev.Who, took, detail)
				}
				t.writeTo(b)
			}
		})
	})
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

type validateCmd struct {
	outputFlags `embed:""`
	dirFlag     `embed:""`
}

// Run checks applied files against their recorded checksums; exit 1 when
// one was modified or is missing.
func (c *validateCmd) Run(a *app) error {
	return a.withEngine(c.Dir, func(ctx context.Context, e *engine.Engine) error {
		r, err := e.Validate(ctx)
		if err != nil {
			return err
		}
		err = a.emitReport(ctx, &c.outputFlags, format.TypeValidate, r, func(b *strings.Builder) {
			if r.Valid {
				b.WriteString("every applied migration matches its file\n")
			}
			var modified, missing bool
			for _, m := range r.Problems {
				switch m.State {
				case engine.StateModified:
					modified = true
					fmt.Fprintf(b, "%s %s was modified after it was applied (recorded %s, file %s)\n", a.paint(red, "modified"), m.File, m.AppliedChecksum, m.Checksum)
				case engine.StateMissing:
					missing = true
					fmt.Fprintf(b, "%s V%d %s is applied but its file is missing\n", a.paint(red, "missing"), m.Version, m.Description)
				}
			}
			if modified {
				b.WriteString("hint: restore the modified files from version control, or run 'cqltrack repair' to accept them as they are\n")
			}
			if missing {
				// repair cannot help: the history needs the file.
				b.WriteString("hint: restore the missing files from version control: an applied migration keeps its file\n")
			}
		})
		if err != nil {
			return err
		}
		if !r.Valid {
			return &foundError{what: "validation failed"}
		}
		return nil
	})
}

type baselineCmd struct {
	Version int64 `name:"version" required:"" placeholder:"V" help:"Mark every migration up to and including V as applied without running it."`
	dirFlag `embed:""`
}

func (c *baselineCmd) Run(a *app) error {
	return a.withEngine(c.Dir, func(ctx context.Context, e *engine.Engine) error {
		r, err := e.Baseline(ctx, c.Version)
		if err != nil {
			return err
		}
		if a.globals.JSON {
			return writeJSON(a.stdout, r)
		}
		vs := make([]string, len(r.Marked))
		for i, v := range r.Marked {
			vs[i] = a.versionText(v)
		}
		_, err = fmt.Fprintf(a.stdout, "baseline at %s: marked %s as applied without running them\n", a.versionText(r.Version), strings.Join(vs, ", "))
		return err
	})
}

type repairCmd struct {
	dirFlag `embed:""`
}

func (c *repairCmd) Run(a *app) error {
	return a.withEngine(c.Dir, func(ctx context.Context, e *engine.Engine) error {
		r, err := e.Repair(ctx)
		if err != nil {
			return err
		}
		return a.emit(r, func(b *strings.Builder) {
			for _, v := range r.Realigned {
				fmt.Fprintf(b, "%s: recorded the file's new checksum\n", a.versionText(v))
			}
			for _, v := range r.Reset {
				fmt.Fprintf(b, "%s: removed the failed attempt; migrate will start it from its first statement\n", a.versionText(v))
			}
			if len(r.Realigned)+len(r.Reset) == 0 {
				b.WriteString("nothing to repair\n")
			}
		})
	})
}

type unlockCmd struct {
	Force bool `name:"force" help:"Remove the lock of the holder it reads (only when that holder is known to be dead); exit 4 when the lock changes hands meanwhile, removing nothing."`
}

func (c *unlockCmd) Run(a *app) error {
	return a.withEngine("", func(ctx context.Context, e *engine.Engine) error {
		r, err := e.Unlock(ctx, c.Force)
		if err != nil {
			return err
		}
		if a.globals.JSON {
			return writeJSON(a.stdout, r)
		}
		var msg string
		switch {
		case r.Removed:
			msg = "removed the lock held by " + r.Holder.String() + "\n"
		case r.Holder == nil:
			msg = "the lock is free\n"
		default:
			msg = "the lock is held by " + r.Holder.String() + "\nhint: if that process is dead, 'cqltrack unlock --force' removes the lock\n"
		}
		_, err = fmt.Fprint(a.stdout, msg)
		return err
	})
}

// versionOf is a migration's version as its file name writes it (V001).
func versionOf(m engine.MigrationStatus) string {
	v, _, _ := strings.Cut(m.Name, " ")
	return v
}
