package builtin

import "github.com/cqltrack/cqltrack/lint/sdk"

// materialized-view: materialized views are experimental, can silently
// diverge from their base table, and are disabled by default from 4.0.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "materialized-view",
			Severity: sdk.Warning,
			Summary:  "materialized views are experimental and disabled by default since Cassandra 4.0",
			Kinds:    []string{"CREATE MATERIALIZED VIEW"},
			Check: func(p *sdk.Pass) {
				ast := astOf(p)
				p.Reportf(sdk.Pos{}, "materialized view %s: views are experimental (CASSANDRA-13959), can drift from %s without notice, and need enable_materialized_views (4.0) or materialized_views_enabled (4.1+) in cassandra.yaml; prefer a table written by the application",
					qualified(ast.Get("name")), qualified(ast.Get("base")))
			},
		},
		Why: "Materialized views were marked experimental in 3.11.2 after it was found that a view can become " +
			"inconsistent with its base table with no way to detect or repair it (CASSANDRA-13959). From 4.0 " +
			"creating one fails unless `materialized_views_enabled` (`enable_materialized_views` before 4.1) is " +
			"set in cassandra.yaml. A second table maintained by the application, or SAI, is the usual alternative.",
		Sources: []string{
			"https://issues.apache.org/jira/browse/CASSANDRA-13959",
			"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/mvs.html",
		},
		Example: "CREATE MATERIALIZED VIEW ks.users_by_email AS SELECT * FROM ks.users WHERE email IS NOT NULL AND id IS NOT NULL PRIMARY KEY (email, id);",
	})
}
