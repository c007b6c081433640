package builtin

import "github.com/cqltrack/cqltrack/lint/sdk"

// drop-no-if-exists: a DROP without IF EXISTS fails when the object is
// already gone, so a migration that was interrupted and is run again, or a
// rollback run twice, stops with an error instead of converging.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "drop-no-if-exists",
			Severity: sdk.Error,
			Summary:  "DROP without IF EXISTS is not idempotent",
			Kinds:    dropKinds,
			Check: func(p *sdk.Pass) {
				ast := astOf(p)
				if ifExists, _ := ast.Get("if_exists").Bool(); ifExists {
					return
				}
				p.Reportf(sdk.Pos{}, "%s %s without IF EXISTS — not idempotent: a re-run fails once it is gone", p.Statement.Kind, objectName(ast))
			},
		},
		Why: "Schema changes in Cassandra are not transactional: a migration can stop half way (a timeout waiting " +
			"for schema agreement, a lost connection) and is then run again from the failed statement. A DROP " +
			"that already took effect fails the second time with \"... doesn't exist\" (InvalidRequest), and the " +
			"migration cannot converge without a manual edit. `IF EXISTS` makes the statement safe to repeat.",
		Sources: []string{"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/ddl.html#drop-table"},
		Example: "DROP TABLE ks.sessions;",
	})
}
