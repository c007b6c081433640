package schema

import (
	"fmt"
	"strings"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// Change is one difference between two keyspaces, with the CQL that makes
// it and the CQL that undoes it.
type Change struct {
	Op       Op     `json:"op"`
	Object   Object `json:"object"`
	Keyspace string `json:"keyspace"`
	// Name is the object's name; for columns and options it is the column or
	// option name and Table says where.
	Name   string `json:"name"`
	Table  string `json:"table,omitempty"`
	Detail string `json:"detail"`
	// CQL turns the source into the target; empty when InPlace is false.
	CQL string `json:"cql,omitempty"`
	// Reverse undoes CQL; empty when InPlace is false.
	Reverse string `json:"reverse,omitempty"`
	// InPlace is false for changes Cassandra cannot make on a live table
	// (primary key, clustering order, column type or kind): they need the
	// table recreated and its data copied, which no script here does.
	InPlace bool   `json:"in_place"`
	Reason  string `json:"reason,omitempty"`
}

// Diff compares keyspace a (the source) with keyspace b (the target) as
// Cassandra 5.0 sees them and returns the changes that turn a into b, in an
// order that can be executed: creations from the keyspace down to
// aggregates, then drops from aggregates up to the keyspace. Either may be
// nil (a keyspace created or dropped). Table ids and dropped-column records
// are not compared.
func Diff(a, b *Keyspace) []Change { return DiffVersion(V5_0, a, b) }

// DiffVersion is Diff for Cassandra release v, whose table options are
// compared and rendered.
func DiffVersion(v Version, a, b *Keyspace) []Change {
	d := &differ{v: v}
	d.run(a, b)
	var out []Change
	for _, p := range d.phases {
		out = append(out, p...)
	}
	return out
}

// The phases of a diff script, in execution order: what depends on an
// object is dropped before it and created after it.
const (
	phKeyspace = iota
	phDropViews
	phDropIndexes
	phTypes
	phTables
	phIndexes
	phViews
	phFunctions
	phAggregates
	phDropAggregates
	phDropFunctions
	phDropTables
	phDropTypes
	phDropKeyspace
	phases
)

// DiffCatalogs compares every user keyspace of two catalogs (system
// keyspaces are left out) as release b.Version sees them; keyspaces follow
// each other in name order.
func DiffCatalogs(a, b *Catalog) []Change {
	names := map[string]bool{}
	for _, n := range a.KeyspaceNames() {
		names[n] = true
	}
	for _, n := range b.KeyspaceNames() {
		names[n] = true
	}
	user := func(c *Catalog, name string) *Keyspace {
		if ks := c.Keyspaces[name]; ks != nil && !ks.System {
			return ks
		}
		return nil
	}
	var out []Change
	for _, n := range sortedKeys(names) {
		out = append(out, DiffVersion(b.Version, user(a, n), user(b, n))...)
	}
	return out
}

type differ struct {
	v      Version
	cur    int
	phases [phases][]Change
}

// add appends a change to the current phase.
func (d *differ) add(ch Change) { d.at(d.cur, ch) }

func (d *differ) at(phase int, ch Change) {
	if ch.InPlace && ch.CQL != "" && !strings.HasSuffix(ch.CQL, ";") {
		ch.CQL += ";"
	}
	if ch.Reverse != "" && !strings.HasSuffix(ch.Reverse, ";") {
		ch.Reverse += ";"
	}
	d.phases[phase] = append(d.phases[phase], ch)
}

func empty() *Keyspace { return NewKeyspace("", nil) }

func (d *differ) run(a, b *Keyspace) {
	switch {
	case a == nil && b == nil:
		return
	case a == nil:
		d.add(Change{Op: OpCreate, Object: ObjKeyspace, Keyspace: b.Name, Name: b.Name, Detail: "create keyspace",
			CQL: KeyspaceCQL(b), Reverse: "DROP KEYSPACE " + cql.QuoteIdent(b.Name) + ";", InPlace: true})
		e := empty()
		e.Name = b.Name
		d.objects(e, b)
		return
	case b == nil:
		// Dropping the keyspace drops everything in it: one change.
		d.at(phDropKeyspace, Change{Op: OpDrop, Object: ObjKeyspace, Keyspace: a.Name, Name: a.Name, Detail: "drop keyspace",
			CQL: "DROP KEYSPACE " + cql.QuoteIdent(a.Name) + ";", Reverse: strings.TrimSpace(RenderKeyspace(a, d.v)),
			InPlace: true})
		return
	}
	if !optionEqual(a.Replication, b.Replication) || a.DurableWrites != b.DurableWrites {
		var details []string
		if !optionEqual(a.Replication, b.Replication) {
			details = append(details, "replication "+mapLiteral(a.Replication)+" -> "+mapLiteral(b.Replication))
		}
		if a.DurableWrites != b.DurableWrites {
			details = append(details, fmt.Sprintf("durable_writes %t -> %t", a.DurableWrites, b.DurableWrites))
		}
		d.add(Change{Op: OpAlter, Object: ObjKeyspace, Keyspace: b.Name, Name: b.Name, Detail: strings.Join(details, "; "),
			CQL: alterKeyspaceCQL(b), Reverse: alterKeyspaceCQL(a), InPlace: true})
	}
	d.objects(a, b)
}

func alterKeyspaceCQL(ks *Keyspace) string {
	return "ALTER KEYSPACE " + cql.QuoteIdent(ks.Name) + " WITH replication = " + mapLiteral(ks.Replication) +
		" AND durable_writes = " + boolText(ks.DurableWrites) + ";"
}

// objects diffs everything inside two keyspaces of the same name.
func (d *differ) objects(a, b *Keyspace) {
	ksName := b.Name
	dropView := func(v *View, detail string) {
		d.at(phDropViews, Change{Op: OpDrop, Object: ObjView, Keyspace: ksName, Name: v.Name, Detail: detail,
			CQL: "DROP MATERIALIZED VIEW " + qualified(ksName, v.Name), Reverse: ViewCQL(v, d.v), InPlace: true})
	}
	createView := func(v *View, detail string) {
		d.at(phViews, Change{Op: OpCreate, Object: ObjView, Keyspace: ksName, Name: v.Name, Detail: detail,
			CQL: ViewCQL(v, d.v), Reverse: "DROP MATERIALIZED VIEW " + qualified(ksName, v.Name), InPlace: true})
	}
	for _, name := range a.ViewNames() {
		old, v := a.Views[name], b.Views[name]
		switch {
		case v == nil:
			dropView(old, "drop materialized view")
		case viewShape(old) != viewShape(v):
			dropView(old, "drop materialized view, to recreate it with its new definition")
		}
	}
	for _, name := range b.ViewNames() {
		v, old := b.Views[name], a.Views[name]
		switch {
		case old == nil:
			createView(v, "create materialized view")
		case viewShape(old) != viewShape(v):
			createView(v, "recreate materialized view with its new definition (it is rebuilt from its base table)")
		default:
			d.cur = phViews
			d.options(ObjView, ksName, name, &old.Options, &v.Options)
		}
	}

	d.cur = phTypes
	for _, u := range TypesInDependencyOrder(b) {
		old := a.Types[u.Name]
		if old == nil {
			d.add(Change{Op: OpCreate, Object: ObjType, Keyspace: ksName, Name: u.Name, Detail: "create type",
				CQL: TypeCQL(u), Reverse: "DROP TYPE " + qualified(ksName, u.Name), InPlace: true})
			continue
		}
		d.alterType(ksName, old, u)
	}
	for _, name := range b.TableNames() {
		t := b.Tables[name]
		old := a.Tables[name]
		if old == nil {
			d.at(phTables, Change{Op: OpCreate, Object: ObjTable, Keyspace: ksName, Name: name, Detail: "create table",
				CQL: TableCQL(t, d.v), Reverse: "DROP TABLE " + qualified(ksName, name), InPlace: true})
			for _, in := range sortedKeys(t.Indexes) {
				d.createIndex(t.Indexes[in], "create index")
			}
			for _, tn := range sortedKeys(t.Triggers) {
				d.createTrigger(t.Triggers[tn])
			}
			continue
		}
		d.alterTable(old, t)
	}

	d.cur = phFunctions
	for _, sig := range sortedKeys(b.Functions) {
		f, old := b.Functions[sig], a.Functions[sig]
		switch {
		case old == nil:
			d.add(Change{Op: OpCreate, Object: ObjFunction, Keyspace: ksName, Name: sig, Detail: "create function",
				CQL: FunctionCQL(f), Reverse: "DROP FUNCTION " + qualified(ksName, f.Name) + argList(f.ArgTypes), InPlace: true})
		case FunctionCQL(old) != FunctionCQL(f):
			d.add(Change{Op: OpAlter, Object: ObjFunction, Keyspace: ksName, Name: sig, Detail: "function definition changed",
				CQL:     strings.Replace(FunctionCQL(f), "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1),
				Reverse: strings.Replace(FunctionCQL(old), "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1), InPlace: true})
		}
	}
	d.cur = phAggregates
	for _, sig := range sortedKeys(b.Aggregates) {
		ag, old := b.Aggregates[sig], a.Aggregates[sig]
		switch {
		case old == nil:
			d.add(Change{Op: OpCreate, Object: ObjAggregate, Keyspace: ksName, Name: sig, Detail: "create aggregate",
				CQL: AggregateCQL(ag), Reverse: "DROP AGGREGATE " + qualified(ksName, ag.Name) + argList(ag.ArgTypes), InPlace: true})
		case AggregateCQL(old) != AggregateCQL(ag):
			d.add(Change{Op: OpAlter, Object: ObjAggregate, Keyspace: ksName, Name: sig, Detail: "aggregate definition changed",
				CQL:     strings.Replace(AggregateCQL(ag), "CREATE AGGREGATE", "CREATE OR REPLACE AGGREGATE", 1),
				Reverse: strings.Replace(AggregateCQL(old), "CREATE AGGREGATE", "CREATE OR REPLACE AGGREGATE", 1), InPlace: true})
		}
	}

	for _, sig := range sortedKeys(a.Aggregates) {
		if b.Aggregates[sig] == nil {
			ag := a.Aggregates[sig]
			d.at(phDropAggregates, Change{Op: OpDrop, Object: ObjAggregate, Keyspace: ksName, Name: sig, Detail: "drop aggregate",
				CQL: "DROP AGGREGATE " + qualified(ksName, ag.Name) + argList(ag.ArgTypes), Reverse: AggregateCQL(ag), InPlace: true})
		}
	}
	for _, sig := range sortedKeys(a.Functions) {
		if b.Functions[sig] == nil {
			f := a.Functions[sig]
			d.at(phDropFunctions, Change{Op: OpDrop, Object: ObjFunction, Keyspace: ksName, Name: sig, Detail: "drop function",
				CQL: "DROP FUNCTION " + qualified(ksName, f.Name) + argList(f.ArgTypes), Reverse: FunctionCQL(f), InPlace: true})
		}
	}
	for _, name := range a.TableNames() {
		if b.Tables[name] == nil {
			t := a.Tables[name]
			rev := TableCQL(t, d.v)
			for _, in := range sortedKeys(t.Indexes) {
				rev += "\n" + IndexCQL(t.Indexes[in])
			}
			for _, tn := range sortedKeys(t.Triggers) {
				rev += "\n" + TriggerCQL(t.Triggers[tn])
			}
			d.at(phDropTables, Change{Op: OpDrop, Object: ObjTable, Keyspace: ksName, Name: name, Detail: "drop table (its data is lost)",
				CQL: "DROP TABLE " + qualified(ksName, name), Reverse: rev, InPlace: true})
		}
	}
	// Types are dropped users first (the reverse of dependency order).
	old := TypesInDependencyOrder(a)
	for i := len(old) - 1; i >= 0; i-- {
		if u := old[i]; b.Types[u.Name] == nil {
			d.at(phDropTypes, Change{Op: OpDrop, Object: ObjType, Keyspace: ksName, Name: u.Name, Detail: "drop type",
				CQL: "DROP TYPE " + qualified(ksName, u.Name), Reverse: TypeCQL(u), InPlace: true})
		}
	}
}

func argList(ts []cql.Type) string { return "(" + strings.Join(argTexts(ts), ", ") + ")" }

// viewShape is everything about a view that ALTER MATERIALIZED VIEW cannot
// change.
func viewShape(v *View) string {
	n := *v
	n.Options = Options{}
	return ViewCQL(&n, V3_11)
}

func (d *differ) alterType(ks string, a, b *UserType) {
	prefix := len(a.FieldNames) <= len(b.FieldNames)
	for i := range a.FieldNames {
		if !prefix {
			break
		}
		prefix = a.FieldNames[i] == b.FieldNames[i] && a.FieldTypes[i].Equal(b.FieldTypes[i])
	}
	if prefix {
		for i := len(a.FieldNames); i < len(b.FieldNames); i++ {
			d.add(Change{Op: OpAlter, Object: ObjType, Keyspace: ks, Name: b.Name,
				Detail: "add field " + cql.QuoteIdent(b.FieldNames[i]) + " " + typeText(b.FieldTypes[i]),
				CQL:    "ALTER TYPE " + qualified(ks, b.Name) + " ADD " + cql.QuoteIdent(b.FieldNames[i]) + " " + typeText(b.FieldTypes[i]),
				// Cassandra cannot remove a field from a type.
				Reason: "a field cannot be removed from a user type", InPlace: true})
		}
		return
	}
	sameTypes := len(a.FieldTypes) == len(b.FieldTypes)
	for i := range a.FieldTypes {
		sameTypes = sameTypes && a.FieldTypes[i].Equal(b.FieldTypes[i])
	}
	// Fields are stored by position: a new name at a position is a rename,
	// but names moving between positions is a reordering, which is not.
	if sameTypes {
		for i, n := range b.FieldNames {
			if j := a.Field(n); j >= 0 && j != i {
				sameTypes = false
			}
		}
	}
	if sameTypes {
		var fwd, rev []string
		for i := range a.FieldNames {
			if a.FieldNames[i] != b.FieldNames[i] {
				fwd = append(fwd, cql.QuoteIdent(a.FieldNames[i])+" TO "+cql.QuoteIdent(b.FieldNames[i]))
				rev = append(rev, cql.QuoteIdent(b.FieldNames[i])+" TO "+cql.QuoteIdent(a.FieldNames[i]))
			}
		}
		d.add(Change{Op: OpAlter, Object: ObjType, Keyspace: ks, Name: b.Name, Detail: "rename fields " + strings.Join(fwd, ", "),
			CQL:     "ALTER TYPE " + qualified(ks, b.Name) + " RENAME " + strings.Join(fwd, " AND "),
			Reverse: "ALTER TYPE " + qualified(ks, b.Name) + " RENAME " + strings.Join(rev, " AND "), InPlace: true})
		return
	}
	d.add(Change{Op: OpAlter, Object: ObjType, Keyspace: ks, Name: b.Name,
		Detail: "fields " + fieldList(a) + " -> " + fieldList(b), InPlace: false,
		Reason: "Cassandra can only add fields at the end of a user type or rename them; removing, reordering or retyping fields needs a new type"})
}

func fieldList(u *UserType) string {
	parts := make([]string, len(u.FieldNames))
	for i := range u.FieldNames {
		parts[i] = cql.QuoteIdent(u.FieldNames[i]) + " " + typeText(u.FieldTypes[i])
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func (d *differ) createIndex(ix *Index, detail string) {
	d.at(phIndexes, Change{Op: OpCreate, Object: ObjIndex, Keyspace: ix.Keyspace, Name: ix.Name, Table: ix.Table, Detail: detail,
		CQL: IndexCQL(ix), Reverse: "DROP INDEX " + qualified(ix.Keyspace, ix.Name) + ";", InPlace: true})
}

func (d *differ) createTrigger(tr *Trigger) {
	d.at(phIndexes, Change{Op: OpCreate, Object: ObjTrigger, Keyspace: tr.Keyspace, Name: tr.Name, Table: tr.Table, Detail: "create trigger",
		CQL: TriggerCQL(tr), Reverse: "DROP TRIGGER " + cql.QuoteIdent(tr.Name) + " ON " + qualified(tr.Keyspace, tr.Table) + ";", InPlace: true})
}

func (d *differ) alterTable(a, b *Table) {
	d.cur = phTables
	ks, name := b.Keyspace, b.Name
	tq := qualified(ks, name)
	notInPlace := func(obj Object, item, detail, reason string) {
		table := name
		if obj == ObjTable {
			table = ""
		}
		d.add(Change{Op: OpAlter, Object: obj, Keyspace: ks, Name: item, Table: table, Detail: detail, InPlace: false, Reason: reason})
	}
	// Primary key: partition key and clustering columns with their order.
	if keyText(a.PartitionKey()) != keyText(b.PartitionKey()) || keyText(a.ClusteringColumns()) != keyText(b.ClusteringColumns()) {
		notInPlace(ObjTable, name, "primary key ("+primaryKey(a.PartitionKey(), a.ClusteringColumns())+") -> ("+
			primaryKey(b.PartitionKey(), b.ClusteringColumns())+")",
			"Cassandra cannot change a table's primary key: create a new table and copy the data")
	} else if orderText(a.ClusteringColumns()) != orderText(b.ClusteringColumns()) {
		notInPlace(ObjTable, name, clusteringOrder(a.ClusteringColumns())+" -> "+clusteringOrder(b.ClusteringColumns()),
			"Cassandra cannot change a table's clustering order: create a new table and copy the data")
	}
	if a.IsCompact() != b.IsCompact() {
		if a.IsCompact() {
			d.add(Change{Op: OpAlter, Object: ObjTable, Keyspace: ks, Name: name, Detail: "drop compact storage",
				CQL: "ALTER TABLE " + tq + " DROP COMPACT STORAGE", InPlace: true, Reason: "COMPACT STORAGE cannot be added back"})
		} else {
			notInPlace(ObjTable, name, "add compact storage", "COMPACT STORAGE can only be set when a table is created")
		}
	}
	// Columns that are not part of the key.
	for _, col := range b.OrderedColumns() {
		old := a.Columns[col.Name]
		switch {
		case old == nil && col.IsPrimaryKey():
			// reported with the primary key
		case old == nil:
			def := columnDef(col)
			d.add(Change{Op: OpCreate, Object: ObjColumn, Keyspace: ks, Name: col.Name, Table: name, Detail: "add column " + def,
				CQL: "ALTER TABLE " + tq + " ADD " + def, Reverse: "ALTER TABLE " + tq + " DROP " + cql.QuoteIdent(col.Name), InPlace: true})
		case !old.Type.Equal(col.Type):
			notInPlace(ObjColumn, col.Name, "type of "+cql.QuoteIdent(col.Name)+" "+typeText(old.Type)+" -> "+typeText(col.Type),
				"Cassandra cannot change a column's type (gone since 3.0.11): add a new column and copy the data")
		case old.Kind != col.Kind && !old.IsPrimaryKey() && !col.IsPrimaryKey():
			notInPlace(ObjColumn, col.Name, "kind of "+cql.QuoteIdent(col.Name)+" "+string(old.Kind)+" -> "+string(col.Kind),
				"Cassandra cannot turn a regular column into a static one or back")
		case maskText(old) != maskText(col):
			d.add(Change{Op: OpAlter, Object: ObjColumn, Keyspace: ks, Name: col.Name, Table: name,
				Detail: "mask of " + cql.QuoteIdent(col.Name) + " " + orNone(maskText(old)) + " -> " + orNone(maskText(col)),
				CQL:    alterMaskCQL(tq, col), Reverse: alterMaskCQL(tq, old), InPlace: true})
		}
	}
	for _, col := range a.OrderedColumns() {
		if b.Columns[col.Name] == nil && !col.IsPrimaryKey() {
			def := columnDef(col)
			d.add(Change{Op: OpDrop, Object: ObjColumn, Keyspace: ks, Name: col.Name, Table: name,
				Detail: "drop column " + def + " (its data is lost)",
				CQL:    "ALTER TABLE " + tq + " DROP " + cql.QuoteIdent(col.Name), Reverse: "ALTER TABLE " + tq + " ADD " + def, InPlace: true})
		}
	}
	d.options(ObjTable, ks, name, &a.Options, &b.Options)
	for _, in := range sortedKeys(a.Indexes) {
		old, ix := a.Indexes[in], b.Indexes[in]
		switch {
		case ix == nil:
			d.at(phDropIndexes, Change{Op: OpDrop, Object: ObjIndex, Keyspace: ks, Name: in, Table: name, Detail: "drop index",
				CQL: "DROP INDEX " + qualified(ks, in), Reverse: IndexCQL(old), InPlace: true})
		case IndexCQL(old) != IndexCQL(ix):
			d.at(phDropIndexes, Change{Op: OpDrop, Object: ObjIndex, Keyspace: ks, Name: in, Table: name,
				Detail: "drop index, to recreate it with its new definition",
				CQL:    "DROP INDEX " + qualified(ks, in), Reverse: IndexCQL(old), InPlace: true})
		}
	}
	for _, in := range sortedKeys(b.Indexes) {
		ix, old := b.Indexes[in], a.Indexes[in]
		switch {
		case old == nil:
			d.createIndex(ix, "create index")
		case IndexCQL(old) != IndexCQL(ix):
			d.createIndex(ix, "recreate index with its new definition")
		}
	}
	for _, tn := range sortedKeys(b.Triggers) {
		tr, old := b.Triggers[tn], a.Triggers[tn]
		switch {
		case old == nil:
			d.createTrigger(tr)
		case old.Class != tr.Class:
			drop := "DROP TRIGGER " + cql.QuoteIdent(tn) + " ON " + tq + ";\n"
			d.at(phIndexes, Change{Op: OpAlter, Object: ObjTrigger, Keyspace: ks, Name: tn, Table: name, Detail: "trigger class " + old.Class + " -> " + tr.Class,
				CQL: drop + TriggerCQL(tr), Reverse: drop + TriggerCQL(old), InPlace: true})
		}
	}
	for _, tn := range sortedKeys(a.Triggers) {
		if b.Triggers[tn] == nil {
			d.at(phDropIndexes, Change{Op: OpDrop, Object: ObjTrigger, Keyspace: ks, Name: tn, Table: name, Detail: "drop trigger",
				CQL: "DROP TRIGGER " + cql.QuoteIdent(tn) + " ON " + tq, Reverse: TriggerCQL(a.Triggers[tn]), InPlace: true})
		}
	}
}

func keyText(cols []*Column) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = cql.QuoteIdent(c.Name) + " " + typeText(c.Type)
	}
	return strings.Join(parts, ", ")
}

func orderText(cols []*Column) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = string(c.Order)
	}
	return strings.Join(parts, ",")
}

func maskText(c *Column) string {
	if c.Mask == nil {
		return ""
	}
	return c.Mask.String()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func alterMaskCQL(tq string, c *Column) string {
	if c.Mask == nil {
		return "ALTER TABLE " + tq + " ALTER " + cql.QuoteIdent(c.Name) + " DROP MASKED"
	}
	return "ALTER TABLE " + tq + " ALTER " + cql.QuoteIdent(c.Name) + " MASKED WITH " + c.Mask.String()
}

// options emits one change per table or view option that differs.
func (d *differ) options(obj Object, ks, name string, a, b *Options) {
	stmt := "ALTER TABLE "
	if obj == ObjView {
		stmt = "ALTER MATERIALIZED VIEW "
	}
	for _, opt := range OptionNames(d.v, obj == ObjView) {
		av, _ := a.Get(opt)
		bv, _ := b.Get(opt)
		if optionEqual(av, bv) {
			continue
		}
		d.add(Change{Op: OpAlter, Object: ObjOption, Keyspace: ks, Name: opt, Table: name,
			Detail:  opt + " " + optionLiteral(av) + " -> " + optionLiteral(bv),
			CQL:     stmt + qualified(ks, name) + " WITH " + opt + " = " + optionLiteral(bv),
			Reverse: stmt + qualified(ks, name) + " WITH " + opt + " = " + optionLiteral(av), InPlace: true})
	}
}

// Script joins the CQL of the changes into a script that turns the source
// into the target. Changes that cannot be made in place appear as comments
// saying why, never as statements.
func Script(changes []Change) string {
	var b strings.Builder
	for _, ch := range changes {
		if !ch.InPlace {
			fmt.Fprintf(&b, "-- cannot apply in place: %s %s: %s\n-- %s\n", ch.Object, qualifiedName(ch), ch.Detail, ch.Reason)
			continue
		}
		b.WriteString(ch.CQL)
		b.WriteString("\n")
	}
	return b.String()
}

// ReverseScript joins the Reverse CQL of the changes, last change first:
// the script that turns the target back into the source.
func ReverseScript(changes []Change) string {
	var b strings.Builder
	for i := len(changes) - 1; i >= 0; i-- {
		ch := changes[i]
		if !ch.InPlace {
			fmt.Fprintf(&b, "-- cannot apply in place: %s %s: %s\n-- %s\n", ch.Object, qualifiedName(ch), ch.Detail, ch.Reason)
			continue
		}
		if ch.Reverse == "" {
			fmt.Fprintf(&b, "-- cannot be undone: %s %s %s: %s\n", ch.Object, qualifiedName(ch), ch.Detail, ch.Reason)
			continue
		}
		b.WriteString(ch.Reverse)
		b.WriteString("\n")
	}
	return b.String()
}

func qualifiedName(ch Change) string {
	if ch.Object == ObjKeyspace {
		return ch.Keyspace
	}
	if ch.Table != "" {
		return ch.Keyspace + "." + ch.Table + "." + ch.Name
	}
	return ch.Keyspace + "." + ch.Name
}
