package builtin

import "github.com/cqltrack/cqltrack/lint/sdk"

// type-change: ALTER TABLE ... ALTER column TYPE was removed in Cassandra
// 3.0.11 (CASSANDRA-12443) because it could corrupt data; the statement
// fails on every supported release.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "type-change",
			Severity: sdk.Error,
			Summary:  "ALTER ... TYPE is not supported since Cassandra 3.0.11",
			Kinds:    []string{"ALTER TABLE", "ALTER TYPE"},
			Check: func(p *sdk.Pass) {
				ast := astOf(p)
				if ast.Get("action").Str() != "ALTER TYPE" {
					return
				}
				what := "column " + ast.Path("column", "name").Str()
				if p.Statement.Kind == "ALTER TYPE" {
					what = "field " + ast.Path("field", "name", "name").Str()
				}
				p.Reportf(sdk.Pos{}, "%s %s: changing the type of %s is refused since Cassandra 3.0.11 (CASSANDRA-12443); add a new column and migrate the data",
					p.Statement.Kind, qualified(ast.Get("name")), what)
			},
		},
		Why: "Changing a column's type in place let old SSTable values be read with the new type, which corrupted " +
			"data and broke compaction, so Cassandra 3.0.11 removed `ALTER ... TYPE` altogether (CASSANDRA-12443). " +
			"On 3.11, 4.x and 5.x the statement fails. Add a column of the new type, backfill it, and move the " +
			"clients over.",
		Sources: []string{"https://issues.apache.org/jira/browse/CASSANDRA-12443"},
		Example: "ALTER TABLE ks.users ALTER age TYPE bigint;",
	})
}
