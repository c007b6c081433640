package builtin

import "github.com/cqltrack/cqltrack/lint/sdk"

// allow-filtering: ALLOW FILTERING lets a query scan data it then throws
// away; in a migration it usually means a full scan of a production table.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "allow-filtering",
			Severity: sdk.Warning,
			Summary:  "ALLOW FILTERING may scan the whole table",
			Kinds:    []string{"SELECT"},
			Check: func(p *sdk.Pass) {
				ast := astOf(p)
				if af, _ := ast.Get("allow_filtering").Bool(); af {
					p.Reportf(sdk.Pos{}, "SELECT from %s with ALLOW FILTERING reads and discards rows across the cluster: its cost grows with the table, not the result",
						qualified(ast.Get("table")))
				}
			},
		},
		Why: "Cassandra refuses queries whose cost it cannot bound unless they say `ALLOW FILTERING`; with it, " +
			"the coordinator reads every partition the restriction does not pin down and filters the rows. On " +
			"a large table in production that is a full scan with timeouts and load on every node. Model a table " +
			"for the query, or restrict by the partition key.",
		Sources: []string{
			"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/dml.html#allowing-filtering",
			"https://www.datastax.com/blog/allow-filtering-explained",
		},
		Example: "SELECT id FROM ks.users WHERE country = 'FR' ALLOW FILTERING;",
	})
}
