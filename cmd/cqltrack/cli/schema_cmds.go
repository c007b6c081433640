package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/cqltrack/cqltrack/format"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/schema"
)

type snapshotCmd struct {
	Output          string `short:"o" name:"output" placeholder:"FILE" help:"Write the CQL to FILE instead of standard output."`
	IncludeTracking bool   `name:"include-tracking" help:"Include cqltrack's own tracking tables."`
}

func (c *snapshotCmd) Run(a *app) error {
	// Refused before connecting, as for every command's --output.
	if err := checkWritable(c.Output); err != nil {
		return err
	}
	return a.withEngine("", func(ctx context.Context, e *engine.Engine) error {
		r, err := e.Snapshot(ctx, c.IncludeTracking)
		if err != nil {
			return err
		}
		if c.Output != "" {
			if err := os.WriteFile(c.Output, []byte(r.CQL), 0o644); err != nil {
				return engine.InputError(fmt.Errorf("write the snapshot: %w\nchoose a writable --output path", err))
			}
		}
		switch {
		case a.globals.JSON:
			return writeJSON(a.stdout, r)
		case c.Output != "":
			_, err = fmt.Fprintf(a.stdout, "wrote %s: keyspace %s, %d table(s), Cassandra %s\n", c.Output, r.Keyspace, r.Tables, r.Release)
		default:
			_, err = fmt.Fprint(a.stdout, r.CQL)
		}
		return err
	})
}

// schemaSide chooses one side of a comparison. At most one field is set;
// none means the configured live keyspace.
type schemaSide struct {
	Keyspace   string
	Profile    string
	File       string
	Migrations bool
}

func (s schemaSide) count() int {
	n := 0
	for _, set := range []bool{s.Keyspace != "", s.Profile != "", s.File != "", s.Migrations} {
		if set {
			n++
		}
	}
	return n
}

// live reports whether the side is a keyspace of a cluster.
func (s schemaSide) live() bool { return s.File == "" && !s.Migrations }

// loadSide reads the schema a side names; a file or the migrations as
// Cassandra release v (Engine.OfflineRelease when 0: schema.release, else
// 5.0).
func (a *app) loadSide(ctx context.Context, e *engine.Engine, s schemaSide, v schema.Version) (*engine.Schema, error) {
	switch {
	case s.File != "":
		return e.FileSchema(s.File, v)
	case s.Migrations:
		return e.MigrationsSchema(ctx, v)
	case s.Profile != "":
		// Another environment: that profile's whole configuration (hosts,
		// auth, TLS), without the flags and environment that point this
		// run at its own cluster.
		cfg, err := config.Load(config.LoadOptions{Flags: config.Overrides{ConfigPath: a.globals.configPath(), Profile: s.Profile}})
		if err != nil {
			return nil, engine.InputError(err)
		}
		other, err := engine.New(cfg)
		if err != nil {
			return nil, err
		}
		defer other.Close()
		sc, err := other.LiveSchema(ctx, "", false)
		if err != nil {
			return nil, err
		}
		sc.Label = "profile " + s.Profile + " (" + sc.Label + ")"
		return sc, nil
	default:
		return e.LiveSchema(ctx, s.Keyspace, false)
	}
}

// sideFlags choose the two schemas of diff and new --from-diff.
type sideFlags struct {
	SourceKeyspace   string `name:"source-keyspace" placeholder:"K" help:"Compare from live keyspace K (default: the configured keyspace)."`
	SourceProfile    string `name:"source-profile" placeholder:"P" help:"Compare from the configured keyspace of profile P's cluster."`
	SourceFile       string `name:"source-file" placeholder:"F" help:"Compare from a CQL file, such as a snapshot."`
	SourceMigrations bool   `name:"source-migrations" help:"Compare from the schema the migration files produce."`
	TargetKeyspace   string `name:"target-keyspace" placeholder:"K" help:"Compare to live keyspace K of the same cluster."`
	TargetProfile    string `name:"target-profile" placeholder:"P" help:"Compare to the configured keyspace of profile P's cluster."`
	TargetFile       string `name:"target-file" placeholder:"F" help:"Compare to a CQL file, such as a snapshot."`
	TargetMigrations bool   `name:"target-migrations" help:"Compare to the schema the migration files produce."`
}

func (c *sideFlags) sides() (schemaSide, schemaSide, error) {
	src := schemaSide{Keyspace: c.SourceKeyspace, Profile: c.SourceProfile, File: c.SourceFile, Migrations: c.SourceMigrations}
	dst := schemaSide{Keyspace: c.TargetKeyspace, Profile: c.TargetProfile, File: c.TargetFile, Migrations: c.TargetMigrations}
	switch {
	case src.count() > 1:
		return src, dst, engine.InputError(errors.New("at most one --source-* option"))
	case dst.count() != 1:
		return src, dst, engine.InputError(errors.New("exactly one target is needed: --target-keyspace, --target-profile, --target-file or --target-migrations"))
	}
	return src, dst, nil
}

// diff loads both sides and compares them. The live sides are read first: a
// file or the migrations are then read as the release of the other side's
// cluster, so that their defaults and accepted options are that release's
// (Engine.OfflineRelease when neither side is live).
func (a *app) diff(ctx context.Context, e *engine.Engine, f *sideFlags) (*engine.DiffReport, error) {
	src, dst, err := f.sides()
	if err != nil {
		return nil, err
	}
	var from, to *engine.Schema
	var release schema.Version
	for _, side := range []struct {
		s    schemaSide
		into **engine.Schema
	}{{src, &from}, {dst, &to}} {
		if !side.s.live() {
			continue
		}
		if *side.into, err = a.loadSide(ctx, e, side.s, 0); err != nil {
			return nil, err
		}
		if release == 0 {
			release = (*side.into).Version
		}
	}
	if from == nil {
		if from, err = a.loadSide(ctx, e, src, release); err != nil {
			return nil, err
		}
	}
	if to == nil {
		if to, err = a.loadSide(ctx, e, dst, release); err != nil {
			return nil, err
		}
	}
	return engine.Diff(from, to), nil
}

type diffCmd struct {
	outputFlags `embed:""`
	sideFlags   `embed:""`
	CQL         bool `name:"cql" help:"Print the CQL script that turns the source into the target."`
	Reverse     bool `name:"reverse" help:"With --cql, print the script that turns the target into the source."`
	dirFlag     `embed:""`
}

// Run compares two schemas; exit 1 when they differ.
func (c *diffCmd) Run(a *app) error {
	if c.Reverse && !c.CQL {
		return engine.InputError(errors.New("--reverse goes with --cql"))
	}
	if _, _, err := c.sides(); err != nil {
		return err
	}
	return a.withEngine(c.Dir, func(ctx context.Context, e *engine.Engine) error {
		d, err := a.diff(ctx, e, &c.sideFlags)
		if err != nil {
			return err
		}
		err = a.emitReport(ctx, &c.outputFlags, format.TypeDiff, d, func(b *strings.Builder) {
			switch {
			case c.CQL && c.Reverse:
				b.WriteString(d.Reverse)
			case c.CQL:
				b.WriteString(d.Script)
			default:
				a.writeDiff(b, d)
			}
		})
		if err != nil {
			return err
		}
		if !d.Equal {
			return &foundError{what: "schemas differ"}
		}
		return nil
	})
}

// writeDiff lists the changes grouped by the object they belong to.
func (a *app) writeDiff(b *strings.Builder, d *engine.DiffReport) {
	fmt.Fprintf(b, "from %s\n  to %s\n\n", d.Source, d.Target)
	if d.Equal {
		b.WriteString("no differences\n")
		return
	}
	a.writeChanges(b, d.Changes)
	fmt.Fprintf(b, "\n%d difference(s)\n", len(d.Changes))
}

// writeChanges groups changes under their table (or keyspace object).
func (a *app) writeChanges(b *strings.Builder, changes []schema.Change) {
	var order []string
	groups := map[string][]schema.Change{}
	for _, ch := range changes {
		key := string(ch.Object) + " " + ch.Keyspace + "." + ch.Name
		if ch.Table != "" {
			key = "table " + ch.Keyspace + "." + ch.Table
		}
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], ch)
	}
	for _, key := range order {
		fmt.Fprintf(b, "%s\n", a.paint(bold, key))
		for _, ch := range groups[key] {
			sign := opSigns[string(ch.Op)]
			color := map[string]string{"+": green, "~": yellow, "-": red}[sign]
			line := fmt.Sprintf("  %s %s %s", a.paint(color, sign), ch.Object, ch.Name)
			if ch.Detail != "" {
				line += ": " + ch.Detail
			}
			if !ch.InPlace {
				line += a.paint(red, " (cannot be changed in place: "+ch.Reason+")")
			}
			b.WriteString(line + "\n")
		}
	}
}

type driftCmd struct {
	outputFlags `embed:""`
	dirFlag     `embed:""`
}

// Run reports schema changed outside migrations; exit 1 on drift.
func (c *driftCmd) Run(a *app) error {
	return a.withEngine(c.Dir, func(ctx context.Context, e *engine.Engine) error {
		r, err := e.Drift(ctx)
		if err != nil {
			return err
		}
		err = a.emitReport(ctx, &c.outputFlags, format.TypeDrift, r, func(b *strings.Builder) {
			if !r.Drift {
				fmt.Fprintf(b, "no drift: %s matches its %d applied migration(s)\n", r.Keyspace, len(r.Applied))
			} else {
				fmt.Fprintf(b, "drift: %s differs from what its %d applied migration(s) produce; changed outside migrations:\n\n", r.Keyspace, len(r.Applied))
				a.writeChanges(b, r.Changes)
			}
		})
		if err != nil {
			return err
		}
		if r.Drift {
			return &foundError{what: "drift"}
		}
		return nil
	})
}
