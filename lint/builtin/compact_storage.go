package builtin

import "github.com/cqltrack/cqltrack/lint/sdk"

// compact-storage: COMPACT STORAGE tables are refused by Cassandra 4.0 and
// must be converted with DROP COMPACT STORAGE before upgrading.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "compact-storage",
			Severity: sdk.Error,
			Summary:  "WITH COMPACT STORAGE is deprecated and refused by Cassandra 4.0+",
			Kinds:    []string{"CREATE TABLE"},
			Check: func(p *sdk.Pass) {
				ast := astOf(p)
				if cs, _ := ast.Get("compact_storage").Bool(); cs {
					p.Reportf(sdk.Pos{}, "table %s WITH COMPACT STORAGE: refused by Cassandra 4.0 and later, and 3.x clusters must drop it before upgrading (CASSANDRA-10857)",
						qualified(ast.Get("name")))
				}
			},
		},
		Why: "COMPACT STORAGE is the Thrift-era storage layout. Cassandra 4.0 no longer creates such tables, and " +
			"existing ones must be converted with `ALTER TABLE ... DROP COMPACT STORAGE` on 3.0/3.11 before the " +
			"upgrade (CASSANDRA-10857). A new migration that creates one fails on 4.x and 5.x.",
		Sources: []string{
			"https://issues.apache.org/jira/browse/CASSANDRA-10857",
			"https://cassandra.apache.org/doc/4.0/cassandra/new/index.html",
		},
		Example: "CREATE TABLE IF NOT EXISTS ks.legacy (k int PRIMARY KEY, v text) WITH COMPACT STORAGE;",
	})
}
