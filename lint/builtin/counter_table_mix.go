package builtin

import (
	"strings"

	"github.com/cqltrack/cqltrack/lint/sdk"
)

// counter-table-mix: a table holds either counters or other regular
// columns, never both; Cassandra refuses the mix.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "counter-table-mix",
			Severity: sdk.Error,
			Summary:  "counter and non-counter regular columns cannot share a table",
			Kinds:    []string{"CREATE TABLE", "ALTER TABLE"},
			Check: func(p *sdk.Pass) {
				ast := astOf(p)
				switch p.Statement.Kind {
				case "CREATE TABLE":
					key := map[string]bool{}
					for _, k := range ast.Get("partition_key").Items() {
						key[k.Get("name").Str()] = true
					}
					for _, k := range ast.Get("clustering").Items() {
						key[k.Get("name").Str()] = true
					}
					var counters, others []string
					for _, c := range ast.Get("columns").Items() {
						name := c.Path("name", "name").Str()
						if pk, _ := c.Get("primary_key").Bool(); pk || key[name] {
							continue
						}
						if strings.EqualFold(c.Path("type", "name").Str(), "counter") {
							counters = append(counters, name)
						} else {
							others = append(others, name)
						}
					}
					if len(counters) > 0 && len(others) > 0 {
						p.Reportf(sdk.Pos{}, "table %s mixes counter columns (%s) with other columns (%s): Cassandra refuses it; put the counters in a table of their own",
							qualified(ast.Get("name")), strings.Join(counters, ", "), strings.Join(others, ", "))
					}
				case "ALTER TABLE":
					if ast.Get("action").Str() != "ADD" || p.Before == nil || p.Before.Table == nil {
						return
					}
					// Cassandra fixes the counter flag at CREATE TABLE, from the
					// columns it had then: a table created with key columns only
					// is not a counter table, and never becomes one.
					isCounter := p.Before.Table.Counter
					for _, c := range ast.Get("add").Items() {
						counter := strings.EqualFold(c.Path("type", "name").Str(), "counter")
						if counter == isCounter {
							continue
						}
						what := map[bool]string{true: "a counter column to a non-counter table", false: "a non-counter column to a counter table"}[counter]
						p.Reportf(identPos(c.Get("name")), "ALTER TABLE %s adds %s (%s): Cassandra refuses to mix them", qualified(ast.Get("name")), what, c.Path("name", "name").Str())
					}
				}
			},
		},
		Why: "Counters are stored and replicated differently from other cells (they are read before write and " +
			"cannot be set, only incremented), so a table whose regular columns are counters may have no other " +
			"regular column: \"Cannot mix counter and non counter columns in the same table\". The statement " +
			"fails on the cluster; counters go in a table of their own with the same key. Whether a table is a " +
			"counter table is decided once, by CREATE TABLE: a table created with its key columns only is not " +
			"one, and ALTER TABLE ... ADD of a counter to it is refused (\"Cannot have a counter column ... in a " +
			"non counter table\").",
		Sources: []string{
			"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/types.html#counters",
			"https://github.com/apache/cassandra/blob/trunk/src/java/org/apache/cassandra/schema/TableMetadata.java",
		},
		BeforeKinds: []string{"ALTER TABLE"},
		Example:     "CREATE TABLE IF NOT EXISTS ks.pages (url text PRIMARY KEY, title text, views counter);",
	})
}
