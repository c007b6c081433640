package builtin

import (
	"strings"

	"github.com/cqltrack/cqltrack/lint/sdk"
)

// column-drop: dropping a column removes its data for good and breaks
// every client still reading or writing it.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "column-drop",
			Severity: sdk.Warning,
			Summary:  "ALTER TABLE ... DROP loses the column's data and breaks clients still using it",
			Kinds:    []string{"ALTER TABLE"},
			Check: func(p *sdk.Pass) {
				ast := astOf(p)
				if ast.Get("action").Str() != "DROP" {
					return
				}
				var names []string
				for _, c := range ast.Get("drop").Items() {
					name := c.Get("name").Str()
					if col := column(tableBefore(p), name); col != nil && (col.Kind == sdk.PartitionKey || col.Kind == sdk.Clustering) {
						continue // refused by Cassandra: pk-alter reports it
					}
					if p.Statement.Section == sdk.Down && addedInUp(p, ast.Get("name"), name) {
						continue // undoing an ADD of the same migration
					}
					names = append(names, name)
				}
				if len(names) == 0 {
					return
				}
				p.Reportf(sdk.Pos{}, "ALTER TABLE %s DROP %s: the data is gone for good and clients still using the column fail; stop using it in every client first",
					qualified(ast.Get("name")), strings.Join(names, ", "))
			},
		},
		Why: "Dropping a column is immediate for queries and irreversible for data: the values are skipped from " +
			"then on and purged by compaction, and a rollback that adds the column back does not bring them back " +
			"(readd-dropped-column). Prepared statements that name the column fail. Deploy clients that no longer " +
			"use the column first, then drop it in a later migration. Not reported: a key column (Cassandra refuses " +
			"the statement, and pk-alter reports it), and a DROP in a `-- @down` section that undoes an ADD of the " +
			"same column in the same migration's up section.",
		Sources:     []string{"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/ddl.html#alter-table"},
		BeforeKinds: []string{"ALTER TABLE"},
		Example:     "ALTER TABLE ks.users DROP nickname;",
	})
}
