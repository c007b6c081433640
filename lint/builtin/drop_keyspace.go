package builtin

import "github.com/cqltrack/cqltrack/lint/sdk"

// drop-keyspace: dropping a keyspace deletes every table in it.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "drop-keyspace",
			Severity: sdk.Error,
			Summary:  "DROP KEYSPACE deletes every table and all data in the keyspace",
			// CREATE KEYSPACE only to find what the down section undoes.
			Kinds: []string{"DROP KEYSPACE", "CREATE KEYSPACE"},
			Check: func(p *sdk.Pass) {
				if p.Statement.Kind != "DROP KEYSPACE" {
					return
				}
				if p.Statement.Section == sdk.Down && createdInUp(p, "CREATE KEYSPACE", astOf(p).Get("name")) {
					return // undoing a CREATE KEYSPACE of the same migration
				}
				p.Reportf(sdk.Pos{}, "DROP KEYSPACE %s deletes every table, type, function and view in it, with all their data",
					quoteIdent(astOf(p).Path("name", "name").Str()))
			},
		},
		Why: "A keyspace holds every table of an application. Dropping it from a migration removes all of them " +
			"in every environment the migration reaches; only snapshots (with `auto_snapshot` on) can restore " +
			"them, node by node. A DROP KEYSPACE in a `-- @down` section that undoes a CREATE KEYSPACE of the " +
			"same migration's up section is not reported; any other is.",
		Sources: []string{"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/ddl.html#drop-keyspace"},
		Example: "DROP KEYSPACE IF EXISTS shop;",
	})
}
