package builtin

import "github.com/cqltrack/cqltrack/lint/sdk"

// readd-dropped-column: Cassandra remembers dropped columns; adding one
// back with another type is refused, and with the same type the column
// comes back empty (the old values stay dropped), which surprises people
// who expect a rollback to restore it.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "readd-dropped-column",
			Severity: sdk.Warning,
			Summary:  "re-adding a column dropped earlier: its old data does not come back, and another type is refused",
			Kinds:    []string{"ALTER TABLE"},
			Check: func(p *sdk.Pass) {
				ast := astOf(p)
				if ast.Get("action").Str() != "ADD" || p.Before == nil || p.Before.Table == nil {
					return
				}
				for _, c := range ast.Get("add").Items() {
					name := c.Path("name", "name").Str()
					for _, d := range p.Before.Table.Dropped {
						if d.Name != name {
							continue
						}
						p.Reportf(identPos(c.Get("name")), "column %s of %s was dropped earlier (as %s): re-adding it does not restore its data, and Cassandra refuses an incompatible type",
							name, qualified(ast.Get("name")), d.Type)
					}
				}
			},
		},
		Why: "Cassandra records every dropped column with its type and drop time (system_schema.dropped_columns) " +
			"so that values written before the drop stay invisible. Adding the column back gives an empty column, " +
			"not the old data, and adding it with a type that cannot read the old cells is refused (\"Cannot re-add " +
			"previously dropped column ... of type ..., incompatible with previous type\"). A rollback of a column " +
			"drop is exactly this case.",
		Sources: []string{
			"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/ddl.html#alter-table",
			"https://github.com/apache/cassandra/blob/trunk/src/java/org/apache/cassandra/cql3/statements/schema/AlterTableStatement.java",
		},
		BeforeKinds: []string{"ALTER TABLE"},
		Example:     "CREATE TABLE IF NOT EXISTS ks.users (id uuid PRIMARY KEY, email text);\nALTER TABLE ks.users DROP email;\n-- later\nALTER TABLE ks.users ADD email text;",
	})
}
