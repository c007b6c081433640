package builtin

import "github.com/cqltrack/cqltrack/lint/sdk"

// no-rollback: a migration without a "-- @down" section cannot be rolled
// back by cqltrack; a deliberate "cannot be undone" is an empty section,
// which empty-rollback reports at a lower severity.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "no-rollback",
			Severity: sdk.Warning,
			Summary:  "migration has no -- @down section, so it cannot be rolled back",
			CheckFile: func(p *sdk.Pass) {
				if !p.File.DownSection {
					p.Reportf(sdk.Pos{}, "%s has no -- @down section: `cqltrack rollback` cannot undo it (add one, or an empty one to declare it irreversible)", p.File.Path)
				}
			},
		},
		Why: "`cqltrack rollback` runs a migration's `-- @down` section. Without one, a bad deploy can only be " +
			"repaired by writing a new forward migration under pressure. Writing the rollback next to the change, " +
			"while the change is fresh, is the cheap moment; an empty `-- @down` section says on purpose that the " +
			"migration cannot be undone.",
		Sources: []string{"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/ddl.html"},
		Example: "CREATE TABLE ks.users (id uuid PRIMARY KEY);  -- and no -- @down line",
	})
}
