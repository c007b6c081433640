package builtin

import "github.com/cqltrack/cqltrack/lint/sdk"

// use-statement: USE changes the session keyspace for the rest of the run,
// so the meaning of unqualified names depends on what ran before.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "use-statement",
			Severity: sdk.Warning,
			Summary:  "USE inside a migration changes the keyspace of the statements after it",
			Kinds:    []string{"USE"},
			Check: func(p *sdk.Pass) {
				ks := quoteIdent(astOf(p).Path("keyspace", "name").Str())
				p.Reportf(sdk.Pos{}, "USE %s switches the session keyspace for every later statement and migration of the run; qualify names (%s.table) instead",
					ks, ks)
			},
		},
		Why: "cqltrack runs migrations with the configured keyspace as the session keyspace, and the profiles " +
			"of one project may name different keyspaces (shop_dev, shop_prod). A USE statement hard-codes one " +
			"and silently changes where unqualified names of later statements and later migrations go. Qualified " +
			"names, or no keyspace at all, keep migrations portable.",
		Sources: []string{"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/ddl.html#use"},
		Example: "USE shop;",
	})
}
