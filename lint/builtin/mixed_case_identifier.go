package builtin

import (
	"strings"

	"github.com/cqltrack/cqltrack/lint/sdk"
	"github.com/cqltrack/cqltrack/plugins/abi"
)

// mixed-case-identifier: a quoted identifier with upper-case letters keeps
// its case, so every query, tool and driver mapping must quote it forever.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "mixed-case-identifier",
			Severity: sdk.Warning,
			Summary:  "quoted identifiers with upper case must be quoted in every query",
			Kinds: []string{"CREATE KEYSPACE", "CREATE TABLE", "ALTER TABLE", "CREATE TYPE", "ALTER TYPE",
				"CREATE INDEX", "CREATE MATERIALIZED VIEW", "CREATE FUNCTION", "CREATE AGGREGATE"},
			Check: func(p *sdk.Pass) {
				if !strings.ContainsRune(p.Statement.Text, '"') {
					return // no quoted identifier at all
				}
				ast := astOf(p)
				var idents []sdk.Value
				name := ast.Get("name")
				if inner := name.Get("name"); inner.Kind() == abi.Object {
					name = inner // a QualifiedName: the object's own name
				}
				switch p.Statement.Kind {
				case "ALTER TABLE":
					for _, c := range ast.Get("add").Items() {
						idents = append(idents, c.Get("name"))
					}
				case "ALTER TYPE":
					if f := ast.Get("field"); f.Has("name") {
						idents = append(idents, f.Get("name"))
					}
				default:
					idents = append(idents, name)
					for _, c := range ast.Get("columns").Items() {
						if c.Has("type") { // a column definition, not a view's column list
							idents = append(idents, c.Get("name"))
						}
					}
					for _, f := range ast.Get("fields").Items() {
						idents = append(idents, f.Get("name"))
					}
				}
				for _, r := range ast.Get("renames").Items() {
					idents = append(idents, r.Get("to"))
				}
				for _, id := range idents {
					n := id.Get("name").Str()
					if quoted, _ := id.Get("quoted").Bool(); !quoted || strings.ToLower(n) == n {
						continue
					}
					p.Reportf(identPos(id), "identifier %q keeps its upper case only because it is quoted: every query must write it quoted; prefer %s",
						n, toSnake(n))
				}
			},
		},
		Why: "CQL folds unquoted identifiers to lower case. A name created quoted with capitals (\"userId\") " +
			"is a different name from userid, so every query, cqlsh session, driver mapping and tool must quote it " +
			"exactly, and a forgotten pair of quotes gives \"Undefined column name\". snake_case names need no quotes.",
		Sources: []string{"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/definitions.html#identifiers"},
		Example: "CREATE TABLE IF NOT EXISTS ks.users (\"userId\" uuid PRIMARY KEY);",
	})
}

// toSnake suggests a snake_case spelling of a mixed-case name.
func toSnake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 && s[i-1] != '_' {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
