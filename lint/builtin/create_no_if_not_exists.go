package builtin

import "github.com/cqltrack/cqltrack/lint/sdk"

// create-no-if-not-exists: a CREATE without IF NOT EXISTS fails when the
// object exists, so a migration re-run after a partial failure stops.
// CREATE OR REPLACE (functions, aggregates) is idempotent already.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "create-no-if-not-exists",
			Severity: sdk.Error,
			Summary:  "CREATE without IF NOT EXISTS is not idempotent",
			Kinds:    createKinds,
			Check: func(p *sdk.Pass) {
				ast := astOf(p)
				ine, _ := ast.Get("if_not_exists").Bool()
				orReplace, _ := ast.Get("or_replace").Bool()
				if ine || orReplace {
					return
				}
				p.Reportf(sdk.Pos{}, "%s %s without IF NOT EXISTS — not idempotent: a re-run fails once it exists", p.Statement.Kind, objectName(ast))
			},
		},
		Why: "A migration interrupted after its CREATE took effect (a schema-agreement timeout, a dropped " +
			"connection) is resumed at the failed statement, or run again by hand; a CREATE without `IF NOT EXISTS` " +
			"then fails with AlreadyExists (0x2400). Note that `IF NOT EXISTS` does not compare definitions: an " +
			"existing table with other columns is kept as it is.",
		Sources: []string{"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/ddl.html#create-table"},
		Example: "CREATE TABLE ks.users (id uuid PRIMARY KEY, name text);",
	})
}
