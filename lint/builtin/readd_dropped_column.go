package builtin

import (
	"strconv"
	"strings"

	"github.com/cqltrack/cqltrack/lint/sdk"
)

// readd-dropped-column: Cassandra remembers dropped columns. Adding one
// back is refused when the new type cannot read the old cells, when the
// column changes between static and regular, and on a counter table; when
// it is accepted the column comes back empty (the old values stay
// dropped), which surprises people who expect a rollback to restore it.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "readd-dropped-column",
			Severity: sdk.Warning,
			Summary:  "re-adding a column dropped earlier: its old data does not come back, and an incompatible re-add is refused",
			Kinds:    []string{"ALTER TABLE"},
			Check: func(p *sdk.Pass) {
				ast := astOf(p)
				if ast.Get("action").Str() != "ADD" || p.Before == nil || p.Before.Table == nil {
					return
				}
				t := p.Before.Table
				table := qualified(ast.Get("name"))
				for _, c := range ast.Get("add").Items() {
					name := c.Path("name", "name").Str()
					for _, d := range t.Dropped {
						if d.Name != name {
							continue
						}
						at := identPos(c.Get("name"))
						kind := sdk.Regular
						if s, _ := c.Get("static").Bool(); s {
							kind = sdk.Static
						}
						// The checks of Cassandra's AlterTableStatement, in its order.
						if typ, known := typeText(c.Get("type")); known && !serializationCompatible(typ, d.Type) {
							p.ReportSeverityf(sdk.Error, at, "column %s of %s was dropped earlier as %s: Cassandra refuses to re-add it as %s (incompatible with previous type)",
								name, table, d.Type, typ)
						} else if d.Kind != "" && (d.Kind == sdk.Static) != (kind == sdk.Static) {
							p.ReportSeverityf(sdk.Error, at, "column %s of %s was dropped earlier as a %s column: Cassandra refuses to re-add it as a %s one (incompatible with previous kind)",
								name, table, d.Kind, kind)
						} else if t.Counter {
							p.ReportSeverityf(sdk.Error, at, "column %s of counter table %s was dropped earlier: Cassandra refuses to re-add a dropped counter column",
								name, table)
						} else {
							p.Reportf(at, "column %s of %s was dropped earlier (as %s): re-adding it gives an empty column, the old data does not come back",
								name, table, d.Type)
						}
					}
				}
			},
		},
		Why: "Cassandra records every dropped column with its type, kind and drop time " +
			"(system_schema.dropped_columns) so that values written before the drop stay invisible. Adding the " +
			"column back gives an empty column, not the old data: a rollback of a column drop is exactly this " +
			"case, and is reported as a warning. Some re-adds are refused outright, and are reported as errors " +
			"naming the reason: a type that cannot read the old cells (\"incompatible with previous type\"; " +
			"only the same type, text for ascii, uuid for timeuuid and blob for a native type are compatible), " +
			"a static column re-added as a regular one or the other way round (\"incompatible with previous " +
			"kind\"), and any re-add on a counter table (\"Cannot re-add previously dropped counter column\").",
		Sources: []string{
			"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/ddl.html#alter-table",
			"https://github.com/apache/cassandra/blob/trunk/src/java/org/apache/cassandra/cql3/statements/schema/AlterTableStatement.java",
		},
		BeforeKinds: []string{"ALTER TABLE"},
		Example:     "CREATE TABLE IF NOT EXISTS ks.users (id uuid PRIMARY KEY, email text);\nALTER TABLE ks.users DROP email;\n-- later\nALTER TABLE ks.users ADD email text;",
	})
}

// nativeTypeNames are CQL's native types, as the replay names them.
var nativeTypeNames = map[string]bool{
	"ascii": true, "bigint": true, "blob": true, "boolean": true, "counter": true,
	"date": true, "decimal": true, "double": true, "duration": true, "float": true,
	"inet": true, "int": true, "smallint": true, "text": true, "time": true,
	"timestamp": true, "timeuuid": true, "tinyint": true, "uuid": true, "varint": true,
}

// typeText renders a Type object of the AST as the replay renders a
// column type ("frozen<map<text, int>>"). known is false when the type
// involves a user type or a custom class, which the replay stores in
// another form: such a type is not compared.
func typeText(t sdk.Value) (text string, known bool) {
	name := t.Get("name").Str()
	if name == "varchar" {
		name = "text"
	}
	switch {
	case name == "custom" || t.Get("keyspace").Str() != "":
		return "", false
	case name == "vector":
		arg, ok := typeText(t.Get("args").Index(0))
		dim, _ := t.Get("dim").Int()
		return "vector<" + arg + ", " + strconv.FormatInt(dim, 10) + ">", ok
	case name == "list" || name == "set" || name == "map" || name == "tuple" || name == "frozen":
		parts := make([]string, 0, 2)
		for _, a := range t.Get("args").Items() {
			s, ok := typeText(a)
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
		return name + "<" + strings.Join(parts, ", ") + ">", true
	}
	if q, _ := t.Get("user_quoted").Bool(); q || !nativeTypeNames[name] {
		return "", false
	}
	return name, true
}

// serializationCompatible reports whether cells written as type old can
// be read as type typ, Cassandra's test for re-adding a dropped column.
func serializationCompatible(typ, old string) bool {
	switch {
	case typ == old:
		return true
	case typ == "text" && old == "ascii", typ == "uuid" && old == "timeuuid":
		return true
	case typ == "blob":
		return nativeTypeNames[old]
	}
	return false
}
