package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/cqltrack/cqltrack/engine"
)

type newCmd struct {
	Name     []string `arg:"" help:"What the migration does, e.g. \"add users table\" (becomes the file name's description)."`
	dirFlag  `embed:""`
	FromDiff bool `name:"from-diff" help:"Generate the statements: the up part turns the source schema into the target (--target-*), the down part reverses it."`

	sideFlags `embed:""`
}

func (c *newCmd) Run(a *app) error {
	name := strings.Join(c.Name, " ")
	if !c.FromDiff {
		if c.sideFlags != (sideFlags{}) {
			return engine.InputError(fmt.Errorf("--source-* and --target-* go with --from-diff"))
		}
		e, err := a.newEngine(c.Dir)
		if err != nil {
			return err
		}
		m, err := e.NewMigrationFile(name)
		if err != nil {
			return err
		}
		return a.reportNew(m, nil)
	}
	if _, _, err := c.sides(); err != nil {
		return err
	}
	return a.withEngine(c.Dir, func(ctx context.Context, e *engine.Engine) error {
		d, err := a.diff(ctx, e, &c.sideFlags)
		if err != nil {
			return err
		}
		m, err := e.NewMigrationFromDiff(name, d)
		if err != nil {
			return err
		}
		return a.reportNew(m, d)
	})
}

func (a *app) reportNew(m *engine.NewMigration, d *engine.DiffReport) error {
	if d != nil {
		for _, ch := range d.Changes {
			if !ch.InPlace {
				fmt.Fprintf(a.stderr, "warning: %s %s.%s cannot be changed in place (%s): the file holds it as a comment, write its steps by hand\n", ch.Object, ch.Keyspace, ch.Name, ch.Reason)
			}
		}
	}
	if a.globals.JSON {
		return writeJSON(a.stdout, m)
	}
	_, err := fmt.Fprintf(a.stdout, "created %s\n", m.Path)
	return err
}
