package builtin

import (
	"strings"

	"github.com/cqltrack/cqltrack/lint/sdk"
)

// pk-alter: Cassandra refuses to drop a primary-key column or change its
// type: the key decides where rows live and how they sort. The rule needs
// the table as it was before the statement to know which columns are keys.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "pk-alter",
			Severity: sdk.Error,
			Summary:  "altering or dropping a primary-key column is refused by Cassandra",
			Kinds:    []string{"ALTER TABLE"},
			Check: func(p *sdk.Pass) {
				if p.Before == nil || p.Before.Table == nil {
					return
				}
				ast := astOf(p)
				var cols []sdk.Value
				switch ast.Get("action").Str() {
				case "DROP":
					cols = ast.Get("drop").Items()
				case "ALTER TYPE":
					cols = []sdk.Value{ast.Get("column")}
				default:
					return
				}
				for _, c := range cols {
					col := column(p.Before.Table, c.Get("name").Str())
					if col == nil || (col.Kind != sdk.PartitionKey && col.Kind != sdk.Clustering) {
						continue
					}
					verb := "drop"
					if ast.Get("action").Str() == "ALTER TYPE" {
						verb = "change the type of"
					}
					p.Reportf(identPos(c), "ALTER TABLE %s: cannot %s %s, a %s column of the primary key; create a new table and copy the data",
						qualified(ast.Get("name")), verb, col.Name, strings.ReplaceAll(col.Kind, "_", " "))
				}
			},
		},
		Why: "The partition key decides which nodes own a row and the clustering columns how rows sort on disk, " +
			"so Cassandra refuses `ALTER TABLE ... DROP` and `ALTER ... TYPE` on them (\"Cannot drop PRIMARY KEY " +
			"column\"). The migration fails on the cluster; changing a key means a new table, a copy of the data " +
			"and a switch of the clients.",
		Sources: []string{
			"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/ddl.html#alter-table",
			"https://www.datastax.com/blog/most-important-thing-know-cassandra-data-modeling-primary-key",
		},
		BeforeKinds: []string{"ALTER TABLE"},
		Example:     "CREATE TABLE IF NOT EXISTS ks.users (id uuid PRIMARY KEY, name text);\nALTER TABLE ks.users DROP id;",
	})
}
