package schema

import (
	"sort"
	"strings"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// Render returns the CQL that recreates a keyspace on an empty cluster, as
// DESCRIBE KEYSPACE does: the keyspace, its user types in dependency order,
// its tables alphabetically (each followed by its indexes and triggers),
// materialized views, functions and aggregates. An empty name renders every
// user keyspace; system keyspaces and unknown names render as "".
func (c *Catalog) Render(keyspace string) string {
	if keyspace == "" {
		var parts []string
		for _, name := range c.KeyspaceNames() {
			parts = append(parts, c.Render(name))
		}
		return strings.Join(parts, "\n")
	}
	ks := c.Keyspaces[keyspace]
	if ks == nil || ks.System {
		return ""
	}
	return RenderKeyspace(ks, c.Version)
}

// RenderKeyspace renders ks and everything in it (see Catalog.Render) with
// the table options release v has.
func RenderKeyspace(ks *Keyspace, v Version) string {
	var stmts []string
	stmts = append(stmts, KeyspaceCQL(ks))
	for _, u := range TypesInDependencyOrder(ks) {
		stmts = append(stmts, TypeCQL(u))
	}
	for _, name := range ks.TableNames() {
		t := ks.Tables[name]
		stmts = append(stmts, TableCQL(t, v))
		for _, in := range sortedKeys(t.Indexes) {
			stmts = append(stmts, IndexCQL(t.Indexes[in]))
		}
		for _, tn := range sortedKeys(t.Triggers) {
			stmts = append(stmts, TriggerCQL(t.Triggers[tn]))
		}
	}
	for _, name := range ks.ViewNames() {
		stmts = append(stmts, ViewCQL(ks.Views[name], v))
	}
	for _, sig := range sortedKeys(ks.Functions) {
		stmts = append(stmts, FunctionCQL(ks.Functions[sig]))
	}
	for _, sig := range sortedKeys(ks.Aggregates) {
		stmts = append(stmts, AggregateCQL(ks.Aggregates[sig]))
	}
	return strings.Join(stmts, "\n\n") + "\n"
}

// TypesInDependencyOrder returns the keyspace's user types so that every
// type comes after the types its fields use; ties go alphabetically.
func TypesInDependencyOrder(ks *Keyspace) []*UserType {
	var out []*UserType
	done := map[string]bool{}
	var visit func(name string, path map[string]bool)
	visit = func(name string, path map[string]bool) {
		u := ks.Types[name]
		if u == nil || done[name] || path[name] {
			return
		}
		path[name] = true
		var deps []string
		for _, ft := range u.FieldTypes {
			collectUserTypes(ft, &deps)
		}
		sort.Strings(deps)
		for _, d := range deps {
			visit(d, path)
		}
		done[name] = true
		out = append(out, u)
	}
	for _, name := range sortedKeys(ks.Types) {
		visit(name, map[string]bool{})
	}
	return out
}

func collectUserTypes(t cql.Type, into *[]string) {
	if t.IsUser() {
		*into = append(*into, t.Name)
	}
	for _, a := range t.Args {
		collectUserTypes(a, into)
	}
}

func qualified(ks, name string) string { return cql.QuoteIdent(ks) + "." + cql.QuoteIdent(name) }

// KeyspaceCQL renders the CREATE KEYSPACE statement of ks.
func KeyspaceCQL(ks *Keyspace) string {
	return "CREATE KEYSPACE " + cql.QuoteIdent(ks.Name) + " WITH replication = " + mapLiteral(ks.Replication) +
		" AND durable_writes = " + boolText(ks.DurableWrites) + ";"
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// TypeCQL renders the CREATE TYPE statement of u.
func TypeCQL(u *UserType) string {
	var b strings.Builder
	b.WriteString("CREATE TYPE " + qualified(u.Keyspace, u.Name) + " (\n")
	for i, f := range u.FieldNames {
		b.WriteString("    " + cql.QuoteIdent(f) + " " + typeText(u.FieldTypes[i]))
		if i < len(u.FieldNames)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString(");")
	return b.String()
}

// TableCQL renders the CREATE TABLE statement of t with every option of
// release v, as DESCRIBE prints it.
func TableCQL(t *Table, v Version) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE " + qualified(t.Keyspace, t.Name) + " (\n")
	pk, ck := t.PartitionKey(), t.ClusteringColumns()
	inline := len(pk) == 1 && len(ck) == 0
	for _, c := range t.OrderedColumns() {
		b.WriteString("    " + columnDef(c))
		if inline && c.Kind == PartitionKey {
			b.WriteString(" PRIMARY KEY")
		}
		b.WriteString(",\n")
	}
	if inline {
		s := b.String()
		b.Reset()
		b.WriteString(strings.TrimSuffix(s, ",\n") + "\n")
	} else {
		b.WriteString("    PRIMARY KEY (" + primaryKey(pk, ck) + ")\n")
	}
	b.WriteString(") WITH ")
	var with []string
	if t.IsCompact() {
		with = append(with, "COMPACT STORAGE")
	}
	if len(ck) > 0 {
		with = append(with, clusteringOrder(ck))
	}
	with = append(with, optionsCQL(&t.Options, v, false)...)
	b.WriteString(strings.Join(with, "\n    AND "))
	b.WriteString(";")
	return b.String()
}

func columnDef(c *Column) string {
	s := cql.QuoteIdent(c.Name) + " " + typeText(c.Type)
	if c.Kind == Static {
		s += " static"
	}
	if c.Mask != nil {
		s += " MASKED WITH " + c.Mask.String()
	}
	return s
}

func primaryKey(pk, ck []*Column) string {
	names := func(cols []*Column) []string {
		out := make([]string, len(cols))
		for i, c := range cols {
			out[i] = cql.QuoteIdent(c.Name)
		}
		return out
	}
	var parts []string
	if len(pk) == 1 {
		parts = append(parts, cql.QuoteIdent(pk[0].Name))
	} else {
		parts = append(parts, "("+strings.Join(names(pk), ", ")+")")
	}
	parts = append(parts, names(ck)...)
	return strings.Join(parts, ", ")
}

func clusteringOrder(ck []*Column) string {
	parts := make([]string, len(ck))
	for i, c := range ck {
		dir := "ASC"
		if c.Order == Desc {
			dir = "DESC"
		}
		parts[i] = cql.QuoteIdent(c.Name) + " " + dir
	}
	return "CLUSTERING ORDER BY (" + strings.Join(parts, ", ") + ")"
}

// optionsCQL renders "name = value" for every option release v has.
func optionsCQL(o *Options, v Version, forView bool) []string {
	var out []string
	for _, name := range OptionNames(v, forView) {
		val, _ := o.Get(name)
		out = append(out, name+" = "+optionLiteral(val))
	}
	return out
}

// IndexCQL renders the CREATE INDEX statement of ix.
func IndexCQL(ix *Index) string {
	on := " ON " + qualified(ix.Keyspace, ix.Table) + " (" + ix.Options["target"] + ")"
	if ix.Kind != "CUSTOM" {
		return "CREATE INDEX " + cql.QuoteIdent(ix.Name) + on + ";"
	}
	s := "CREATE CUSTOM INDEX " + cql.QuoteIdent(ix.Name) + on + " USING " + quoteString(ix.Options["class_name"])
	rest := map[string]string{}
	for k, val := range ix.Options {
		if k != "target" && k != "class_name" {
			rest[k] = val
		}
	}
	if len(rest) > 0 {
		s += " WITH OPTIONS = " + mapLiteral(rest)
	}
	return s + ";"
}

// TriggerCQL renders the CREATE TRIGGER statement of tr.
func TriggerCQL(tr *Trigger) string {
	return "CREATE TRIGGER " + cql.QuoteIdent(tr.Name) + " ON " + qualified(tr.Keyspace, tr.Table) +
		" USING " + quoteString(tr.Class) + ";"
}

// ViewCQL renders the CREATE MATERIALIZED VIEW statement of mv with every
// option of release v.
func ViewCQL(mv *View, v Version) string {
	var b strings.Builder
	b.WriteString("CREATE MATERIALIZED VIEW " + qualified(mv.Keyspace, mv.Name) + " AS\n    SELECT ")
	if mv.IncludeAllColumns {
		b.WriteString("*")
	} else {
		cols := mv.OrderedColumns()
		names := make([]string, len(cols))
		for i, c := range cols {
			names[i] = cql.QuoteIdent(c.Name)
		}
		b.WriteString(strings.Join(names, ", "))
	}
	b.WriteString("\n    FROM " + qualified(mv.Keyspace, mv.BaseTable))
	b.WriteString("\n    WHERE " + mv.Where)
	pk, ck := mv.PartitionKey(), mv.ClusteringColumns()
	b.WriteString("\n    PRIMARY KEY (" + primaryKey(pk, ck) + ")\n WITH ")
	var with []string
	if len(ck) > 0 {
		with = append(with, clusteringOrder(ck))
	}
	with = append(with, optionsCQL(&mv.Options, v, true)...)
	b.WriteString(strings.Join(with, "\n    AND "))
	b.WriteString(";")
	return b.String()
}

// FunctionCQL renders the CREATE FUNCTION statement of f.
func FunctionCQL(f *Function) string {
	args := make([]string, len(f.ArgTypes))
	for i, t := range f.ArgTypes {
		args[i] = cql.QuoteIdent(f.ArgNames[i]) + " " + typeText(t)
	}
	onNull := "RETURNS NULL ON NULL INPUT"
	if f.CalledOnNullInput {
		onNull = "CALLED ON NULL INPUT"
	}
	return "CREATE FUNCTION " + qualified(f.Keyspace, f.Name) + "(" + strings.Join(args, ", ") + ")\n" +
		"    " + onNull + "\n" +
		"    RETURNS " + typeText(f.ReturnType) + "\n" +
		"    LANGUAGE " + f.Language + "\n" +
		"    AS " + bodyLiteral(f.Body) + ";"
}

// bodyLiteral quotes a function body: $$...$$ unless the body contains $$.
func bodyLiteral(body string) string {
	if !strings.Contains(body, "$$") && !strings.HasSuffix(body, "$") {
		return "$$" + body + "$$"
	}
	return quoteString(body)
}

// AggregateCQL renders the CREATE AGGREGATE statement of a.
func AggregateCQL(a *Aggregate) string {
	args := make([]string, len(a.ArgTypes))
	for i, t := range a.ArgTypes {
		args[i] = typeText(t)
	}
	s := "CREATE AGGREGATE " + qualified(a.Keyspace, a.Name) + "(" + strings.Join(args, ", ") + ")\n" +
		"    SFUNC " + cql.QuoteIdent(a.StateFunc) + "\n" +
		"    STYPE " + typeText(a.StateType)
	if a.FinalFunc != "" {
		s += "\n    FINALFUNC " + cql.QuoteIdent(a.FinalFunc)
	}
	if a.InitCond != "" {
		s += "\n    INITCOND " + a.InitCond
	}
	return s + ";"
}
