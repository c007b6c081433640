package builtin

import "github.com/cqltrack/cqltrack/lint/sdk"

// truncate: TRUNCATE in a migration deletes every row of a table in every
// environment the migration reaches, production included.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "truncate",
			Severity: sdk.Error,
			Summary:  "TRUNCATE deletes every row of the table",
			Kinds:    []string{"TRUNCATE"},
			Check: func(p *sdk.Pass) {
				p.Reportf(sdk.Pos{}, "TRUNCATE %s deletes every row of the table in every environment this migration reaches",
					qualified(astOf(p).Get("table")))
			},
		},
		Why: "A migration runs in every environment, production included. TRUNCATE removes all data of the " +
			"table on every node (it needs all nodes up, and takes a snapshot first only when auto_snapshot is on); " +
			"no rollback section can restore it.",
		Sources: []string{"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/ddl.html#truncate"},
		Example: "TRUNCATE ks.events;",
	})
}
