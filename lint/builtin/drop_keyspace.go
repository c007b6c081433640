package builtin

import "github.com/cqltrack/cqltrack/lint/sdk"

// drop-keyspace: dropping a keyspace deletes every table in it.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "drop-keyspace",
			Severity: sdk.Error,
			Summary:  "DROP KEYSPACE deletes every table and all data in the keyspace",
			Kinds:    []string{"DROP KEYSPACE"},
			Check: func(p *sdk.Pass) {
				if p.Statement.Section == sdk.Down {
					return // undoing a CREATE KEYSPACE of the same migration
				}
				p.Reportf(sdk.Pos{}, "DROP KEYSPACE %s deletes every table, type, function and view in it, with all their data",
					astOf(p).Path("name", "name").Str())
			},
		},
		Why: "A keyspace holds every table of an application. Dropping it from a migration removes all of them " +
			"in every environment the migration reaches; only snapshots (with `auto_snapshot` on) can restore " +
			"them, node by node. Statements in a `-- @down` section are not reported.",
		Sources: []string{"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/ddl.html#drop-keyspace"},
		Example: "DROP KEYSPACE IF EXISTS shop;",
	})
}
