package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/cqltrack/cqltrack/engine"
)

type planCmd struct {
	Offline bool `name:"offline" help:"Replay every migration on an empty schema without connecting to a cluster."`
	dirFlag `embed:""`
}

func (c *planCmd) Run(a *app) error {
	if !c.Offline {
		return a.withEngine(c.Dir, func(ctx context.Context, e *engine.Engine) error {
			p, err := e.Plan(ctx)
			if err != nil {
				return err
			}
			return a.emit(p, func(b *strings.Builder) {
				if len(p.Migrations) == 0 {
					fmt.Fprintf(b, "nothing pending: %s is at %s\n", p.Keyspace, a.versionText(p.Current))
				} else {
					fmt.Fprintf(b, "%d pending migration(s) for %s (at %s), checked against the live schema (Cassandra %s):\n", len(p.Migrations), p.Keyspace, a.versionText(p.Current), p.Release)
				}
				a.writeMigrations(b, p.Migrations)
			})
		})
	}
	e, err := a.newEngine(c.Dir)
	if err != nil {
		return err
	}
	plan, err := e.PlanOffline(context.Background())
	if err != nil {
		return err
	}
	return a.emit(plan, func(b *strings.Builder) {
		if len(plan.Migrations) == 0 {
			b.WriteString("no migrations found\n")
		}
		a.writeMigrations(b, plan.Migrations)
		if plan.Schema != "" {
			fmt.Fprintf(b, "\n-- resulting schema, as Cassandra %s builds it\n", plan.Release)
			b.WriteString(plan.Schema)
			if !strings.HasSuffix(plan.Schema, "\n") {
				b.WriteByte('\n')
			}
		}
	})
}

// opSigns mark each change in text output: + create, ~ alter, - drop.
var opSigns = map[string]string{"create": "+", "alter": "~", "drop": "-"}

// writeMigrations lists each planned migration's changes.
func (a *app) writeMigrations(b *strings.Builder, ms []engine.PlannedMigration) {
	for _, m := range ms {
		fmt.Fprintf(b, "%s  %s\n", a.paint(bold, m.Name), a.paint(dim, m.File))
		var t table
		for _, c := range m.Changes {
			sign, what := "·", "no schema change ("+c.Kind+")"
			if c.Op != "" {
				sign = opSigns[c.Op]
				what = c.Op + " " + c.Object + " " + objectName(c)
				if c.Op == "alter" {
					what += ": " + c.CQL
				}
			}
			color := map[string]string{"+": green, "~": yellow, "-": red}[sign]
			t.add("  "+a.paint(color, sign), a.paint(dim, fmt.Sprintf("line %d", c.Line)), what)
		}
		t.writeTo(b)
	}
}

// objectName is a change's object as a person names it: keyspace.table,
// or index on keyspace.table.
func objectName(c engine.PlannedChange) string {
	name := c.Name
	if c.Keyspace != "" && c.Object != "keyspace" {
		name = c.Keyspace + "." + c.Name
	}
	if c.Table != "" && c.Table != c.Name {
		name += " on " + c.Keyspace + "." + c.Table
	}
	return name
}
