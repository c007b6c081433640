package cql

import (
	"strings"
)

// Rendering: every String method writes canonical CQL on one line: keywords
// upper case, identifiers through QuoteIdent, single spaces, ", " between
// list items, no trailing ";". Parsing the result gives an equal AST.

type writer struct{ strings.Builder }

func (w *writer) s(parts ...string) {
	for _, p := range parts {
		w.WriteString(p)
	}
}

func (w *writer) ident(id Ident) { w.WriteString(QuoteIdent(id.Name)) }

func (w *writer) idents(ids []Ident) {
	for i, id := range ids {
		if i > 0 {
			w.WriteString(", ")
		}
		w.ident(id)
	}
}

func (w *writer) terms(ts []Term) {
	for i, t := range ts {
		if i > 0 {
			w.WriteString(", ")
		}
		w.term(t)
	}
}

func (w *writer) term(t Term) {
	if t == nil {
		w.WriteString("null")
		return
	}
	w.WriteString(t.String())
}

func (w *writer) types(ts []Type) {
	w.WriteByte('(')
	for i, t := range ts {
		if i > 0 {
			w.WriteString(", ")
		}
		w.WriteString(t.String())
	}
	w.WriteByte(')')
}

func (w *writer) ifNotExists(b bool) {
	if b {
		w.WriteString("IF NOT EXISTS ")
	}
}

func (w *writer) ifExists(b bool) {
	if b {
		w.WriteString("IF EXISTS ")
	}
}

// with writes " WITH a = 1 AND b = {...}" plus any extra clauses first.
func (w *writer) with(extra []string, props []Property) {
	if len(extra) == 0 && len(props) == 0 {
		return
	}
	w.WriteString(" WITH ")
	n := 0
	for _, e := range extra {
		if n > 0 {
			w.WriteString(" AND ")
		}
		w.WriteString(e)
		n++
	}
	for _, p := range props {
		if n > 0 {
			w.WriteString(" AND ")
		}
		w.property(p)
		n++
	}
}

func (w *writer) property(p Property) {
	w.s(QuoteIdent(p.Name), " = ")
	w.term(p.Value)
}

func quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func (w *writer) using(us []UsingParam) {
	if len(us) == 0 {
		return
	}
	w.WriteString(" USING ")
	for i, u := range us {
		if i > 0 {
			w.WriteString(" AND ")
		}
		w.s(u.Kind, " ")
		w.term(u.Value)
	}
}

func (w *writer) where(rs []Relation) {
	if len(rs) == 0 {
		return
	}
	w.WriteString(" WHERE ")
	for i, r := range rs {
		if i > 0 {
			w.WriteString(" AND ")
		}
		w.WriteString(r.String())
	}
}

func (w *writer) ifClause(exists bool, conds []Condition) {
	if exists {
		w.WriteString(" IF EXISTS")
		return
	}
	if len(conds) == 0 {
		return
	}
	w.WriteString(" IF ")
	for i, c := range conds {
		if i > 0 {
			w.WriteString(" AND ")
		}
		w.WriteString(c.String())
	}
}

func (w *writer) primaryKey(pk, clustering []Ident) {
	w.WriteString("PRIMARY KEY (")
	if len(pk) == 1 {
		w.ident(pk[0])
	} else {
		w.WriteByte('(')
		w.idents(pk)
		w.WriteByte(')')
	}
	for _, c := range clustering {
		w.WriteString(", ")
		w.ident(c)
	}
	w.WriteByte(')')
}

func clusteringOrderClause(os []ClusteringOrder) []string {
	if len(os) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("CLUSTERING ORDER BY (")
	for i, o := range os {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(QuoteIdent(o.Column.Name))
		if o.Desc {
			b.WriteString(" DESC")
		} else {
			b.WriteString(" ASC")
		}
	}
	b.WriteByte(')')
	return []string{b.String()}
}

// String renders the column definition: name type [STATIC] [MASKED WITH ...] [PRIMARY KEY].
func (c ColumnDef) String() string {
	var w writer
	w.ident(c.Name)
	w.s(" ", c.Type.String())
	if c.Static {
		w.WriteString(" STATIC")
	}
	if c.Mask != nil {
		w.s(" ", maskString(c.Mask))
	}
	if c.PrimaryKey {
		w.WriteString(" PRIMARY KEY")
	}
	return w.String()
}

func maskString(m *FunctionCall) string {
	if m.Name.Keyspace == nil && m.Name.Name.Name == "default" && len(m.Args) == 0 {
		return "MASKED WITH DEFAULT"
	}
	return "MASKED WITH " + m.String()
}

// String renders the keyspace statement as CQL.
func (s *CreateKeyspace) String() string {
	var w writer
	w.WriteString("CREATE KEYSPACE ")
	w.ifNotExists(s.IfNotExists)
	w.ident(s.Name)
	w.with(nil, s.Options)
	return w.String()
}

// String renders the statement as CQL.
func (s *AlterKeyspace) String() string {
	var w writer
	w.WriteString("ALTER KEYSPACE ")
	w.ifExists(s.IfExists)
	w.ident(s.Name)
	w.with(nil, s.Options)
	return w.String()
}

// String renders the statement as CQL.
func (s *DropKeyspace) String() string {
	var w writer
	w.WriteString("DROP KEYSPACE ")
	w.ifExists(s.IfExists)
	w.ident(s.Name)
	return w.String()
}

// String renders the statement as CQL.
func (s *CreateTable) String() string {
	var w writer
	w.WriteString("CREATE TABLE ")
	w.ifNotExists(s.IfNotExists)
	w.s(s.Name.String(), " (")
	inline := false
	for i, c := range s.Columns {
		if i > 0 {
			w.WriteString(", ")
		}
		w.WriteString(c.String())
		inline = inline || c.PrimaryKey
	}
	if !inline && len(s.PartitionKey) > 0 {
		if len(s.Columns) > 0 {
			w.WriteString(", ")
		}
		w.primaryKey(s.PartitionKey, s.Clustering)
	}
	w.WriteByte(')')
	extra := clusteringOrderClause(s.ClusteringOrder)
	if s.CompactStorage {
		extra = append(extra, "COMPACT STORAGE")
	}
	w.with(extra, s.Options)
	return w.String()
}

// String renders the statement as CQL.
func (s *AlterTable) String() string {
	var w writer
	w.WriteString("ALTER TABLE ")
	w.ifExists(s.IfExists)
	w.WriteString(s.Name.String())
	switch s.Action {
	case AlterTableAdd:
		w.WriteString(" ADD ")
		w.ifNotExists(s.IfColumnNotExists)
		if len(s.Add) == 1 {
			w.WriteString(s.Add[0].String())
		} else {
			w.WriteByte('(')
			for i, c := range s.Add {
				if i > 0 {
					w.WriteString(", ")
				}
				w.WriteString(c.String())
			}
			w.WriteByte(')')
		}
	case AlterTableDrop:
		w.WriteString(" DROP ")
		w.ifExists(s.IfColumnExists)
		if len(s.Drop) == 1 {
			w.ident(s.Drop[0])
		} else {
			w.WriteByte('(')
			w.idents(s.Drop)
			w.WriteByte(')')
		}
		if s.DropTimestamp != nil {
			w.WriteString(" USING TIMESTAMP ")
			w.term(s.DropTimestamp)
		}
	case AlterTableRename:
		w.WriteString(" RENAME ")
		w.ifExists(s.IfColumnExists)
		w.renames(s.Renames)
	case AlterTableWith:
		w.with(nil, s.Options)
	case AlterTableAlterType:
		w.WriteString(" ALTER ")
		w.ident(derefIdent(s.Column))
		w.WriteString(" TYPE ")
		if s.Type != nil {
			w.WriteString(s.Type.String())
		}
	case AlterTableMask:
		w.WriteString(" ALTER ")
		w.ifExists(s.IfColumnExists)
		w.ident(derefIdent(s.Column))
		if s.Mask != nil {
			w.s(" ", maskString(s.Mask))
		}
	case AlterTableDropMask:
		w.WriteString(" ALTER ")
		w.ifExists(s.IfColumnExists)
		w.ident(derefIdent(s.Column))
		w.WriteString(" DROP MASKED")
	case AlterTableDropCompactStorage:
		w.WriteString(" DROP COMPACT STORAGE")
	}
	return w.String()
}

func derefIdent(id *Ident) Ident {
	if id == nil {
		return Ident{}
	}
	return *id
}

func (w *writer) renames(rs []Rename) {
	for i, r := range rs {
		if i > 0 {
			w.WriteString(" AND ")
		}
		w.ident(r.From)
		w.WriteString(" TO ")
		w.ident(r.To)
	}
}

// String renders the statement as CQL.
func (s *DropTable) String() string {
	var w writer
	w.WriteString("DROP TABLE ")
	w.ifExists(s.IfExists)
	w.WriteString(s.Name.String())
	return w.String()
}

// String renders the statement as CQL.
func (s *Truncate) String() string { return "TRUNCATE TABLE " + s.Table.String() }

// String renders the statement as CQL.
func (s *CreateType) String() string {
	var w writer
	w.WriteString("CREATE TYPE ")
	w.ifNotExists(s.IfNotExists)
	w.s(s.Name.String(), " (")
	for i, f := range s.Fields {
		if i > 0 {
			w.WriteString(", ")
		}
		w.ident(f.Name)
		w.s(" ", f.Type.String())
	}
	w.WriteByte(')')
	return w.String()
}

// String renders the statement as CQL.
func (s *AlterType) String() string {
	var w writer
	w.WriteString("ALTER TYPE ")
	w.ifExists(s.IfExists)
	w.WriteString(s.Name.String())
	switch s.Action {
	case AlterTypeAdd:
		w.WriteString(" ADD ")
		w.ifNotExists(s.IfFieldNotExists)
		if s.Field != nil {
			w.ident(s.Field.Name)
			w.s(" ", s.Field.Type.String())
		}
	case AlterTypeRename:
		w.WriteString(" RENAME ")
		w.ifExists(s.IfFieldExists)
		w.renames(s.Renames)
	case AlterTypeAlter:
		if s.Field != nil {
			w.WriteString(" ALTER ")
			w.ident(s.Field.Name)
			w.s(" TYPE ", s.Field.Type.String())
		}
	}
	return w.String()
}

// String renders the statement as CQL.
func (s *DropType) String() string {
	var w writer
	w.WriteString("DROP TYPE ")
	w.ifExists(s.IfExists)
	w.WriteString(s.Name.String())
	return w.String()
}

// String renders the target as it appears inside ON table (...).
func (t IndexTarget) String() string {
	if t.Kind == "" {
		return QuoteIdent(t.Column.Name)
	}
	return strings.ToUpper(t.Kind) + "(" + QuoteIdent(t.Column.Name) + ")"
}

// String renders the statement as CQL.
func (s *CreateIndex) String() string {
	var w writer
	w.WriteString("CREATE ")
	if s.Custom {
		w.WriteString("CUSTOM ")
	}
	w.WriteString("INDEX ")
	w.ifNotExists(s.IfNotExists)
	if s.Name != nil {
		w.ident(*s.Name)
		w.WriteByte(' ')
	}
	w.s("ON ", s.Table.String(), " (")
	for i, t := range s.Targets {
		if i > 0 {
			w.WriteString(", ")
		}
		w.WriteString(t.String())
	}
	w.WriteByte(')')
	if s.Using != "" {
		w.s(" USING ", quoteString(s.Using))
	}
	w.with(nil, s.Options)
	return w.String()
}

// String renders the statement as CQL.
func (s *DropIndex) String() string {
	var w writer
	w.WriteString("DROP INDEX ")
	w.ifExists(s.IfExists)
	w.WriteString(s.Name.String())
	return w.String()
}

// String renders the statement as CQL.
func (s *CreateView) String() string {
	var w writer
	w.WriteString("CREATE MATERIALIZED VIEW ")
	w.ifNotExists(s.IfNotExists)
	w.s(s.Name.String(), " AS SELECT ")
	if len(s.Columns) == 0 {
		w.WriteByte('*')
	} else {
		w.idents(s.Columns)
	}
	w.s(" FROM ", s.Base.String())
	w.where(s.Where)
	w.WriteByte(' ')
	w.primaryKey(s.PartitionKey, s.Clustering)
	w.with(clusteringOrderClause(s.ClusteringOrder), s.Options)
	return w.String()
}

// String renders the statement as CQL.
func (s *AlterView) String() string {
	var w writer
	w.WriteString("ALTER MATERIALIZED VIEW ")
	w.ifExists(s.IfExists)
	w.WriteString(s.Name.String())
	w.with(nil, s.Options)
	return w.String()
}

// String renders the statement as CQL.
func (s *DropView) String() string {
	var w writer
	w.WriteString("DROP MATERIALIZED VIEW ")
	w.ifExists(s.IfExists)
	w.WriteString(s.Name.String())
	return w.String()
}

// functionNameString renders a function name; TOKEN needs no quotes there.
func functionNameString(q QualifiedName) string {
	name := QuoteIdent(q.Name.Name)
	if q.Name.Name == "token" {
		name = "token"
	}
	if q.Keyspace != nil {
		return QuoteIdent(q.Keyspace.Name) + "." + name
	}
	return name
}

// String renders the statement as CQL; the body is written as a $$ string
// unless it contains "$$".
func (s *CreateFunction) String() string {
	var w writer
	w.WriteString("CREATE ")
	if s.OrReplace {
		w.WriteString("OR REPLACE ")
	}
	w.WriteString("FUNCTION ")
	w.ifNotExists(s.IfNotExists)
	w.s(functionNameString(s.Name), " (")
	for i, p := range s.Params {
		if i > 0 {
			w.WriteString(", ")
		}
		w.ident(p.Name)
		w.s(" ", p.Type.String())
	}
	w.WriteString(") ")
	if s.CalledOnNull {
		w.WriteString("CALLED")
	} else {
		w.WriteString("RETURNS NULL")
	}
	w.s(" ON NULL INPUT RETURNS ", s.Returns.String(), " LANGUAGE ", s.Language, " AS ")
	if strings.Contains(s.Body, "$$") {
		w.WriteString(quoteString(s.Body))
	} else {
		w.s("$$", s.Body, "$$")
	}
	return w.String()
}

// String renders the statement as CQL.
func (s *DropFunction) String() string {
	var w writer
	w.WriteString("DROP FUNCTION ")
	w.ifExists(s.IfExists)
	w.WriteString(functionNameString(s.Name))
	if s.HasArgs || len(s.ArgTypes) > 0 {
		w.types(s.ArgTypes)
	}
	return w.String()
}

// String renders the statement as CQL.
func (s *CreateAggregate) String() string {
	var w writer
	w.WriteString("CREATE ")
	if s.OrReplace {
		w.WriteString("OR REPLACE ")
	}
	w.WriteString("AGGREGATE ")
	w.ifNotExists(s.IfNotExists)
	w.WriteString(functionNameString(s.Name))
	w.types(s.ArgTypes)
	w.s(" SFUNC ", functionNameString(QualifiedName{Name: s.SFunc}), " STYPE ", s.SType.String())
	if s.FinalFunc != nil {
		w.s(" FINALFUNC ", functionNameString(QualifiedName{Name: *s.FinalFunc}))
	}
	if s.InitCond != nil {
		w.WriteString(" INITCOND ")
		w.term(s.InitCond)
	}
	return w.String()
}

// String renders the statement as CQL.
func (s *DropAggregate) String() string {
	var w writer
	w.WriteString("DROP AGGREGATE ")
	w.ifExists(s.IfExists)
	w.WriteString(functionNameString(s.Name))
	if s.HasArgs || len(s.ArgTypes) > 0 {
		w.types(s.ArgTypes)
	}
	return w.String()
}

// String renders the statement as CQL.
func (s *CreateTrigger) String() string {
	var w writer
	w.WriteString("CREATE TRIGGER ")
	w.ifNotExists(s.IfNotExists)
	w.ident(s.Name)
	w.s(" ON ", s.Table.String(), " USING ", quoteString(s.Using))
	return w.String()
}

// String renders the statement as CQL.
func (s *DropTrigger) String() string {
	var w writer
	w.WriteString("DROP TRIGGER ")
	w.ifExists(s.IfExists)
	w.ident(s.Name)
	w.s(" ON ", s.Table.String())
	return w.String()
}

func (w *writer) roleOptions(opts []Property) {
	if len(opts) == 0 {
		return
	}
	w.WriteString(" WITH ")
	for i, o := range opts {
		if i > 0 {
			w.WriteString(" AND ")
		}
		w.WriteString(strings.ToUpper(o.Name))
		switch o.Name {
		case RoleOptDatacenters, RoleOptCIDRs:
			w.WriteByte(' ')
			w.term(o.Value)
		case RoleOptGeneratedPassword, RoleOptAllDatacenters, RoleOptAllCIDRs:
		default:
			w.WriteString(" = ")
			w.term(o.Value)
		}
	}
}

// roleString renders a role name: as an identifier, or as a string when it
// is empty (only a string literal can spell that).
func roleString(id Ident) string {
	if id.Name == "" {
		return "''"
	}
	return QuoteIdent(id.Name)
}

// String renders the statement as CQL.
func (s *CreateRole) String() string {
	var w writer
	w.WriteString("CREATE ROLE ")
	w.ifNotExists(s.IfNotExists)
	w.WriteString(roleString(s.Name))
	w.roleOptions(s.Options)
	return w.String()
}

// String renders the statement as CQL.
func (s *AlterRole) String() string {
	var w writer
	w.WriteString("ALTER ROLE ")
	w.ifExists(s.IfExists)
	w.WriteString(roleString(s.Name))
	w.roleOptions(s.Options)
	return w.String()
}

// String renders the statement as CQL.
func (s *DropRole) String() string {
	var w writer
	w.WriteString("DROP ROLE ")
	w.ifExists(s.IfExists)
	w.WriteString(roleString(s.Name))
	return w.String()
}

func (w *writer) userOptions(pw *string, hashed, generated bool, super *bool) {
	switch {
	case generated:
		w.WriteString(" WITH GENERATED PASSWORD")
	case pw != nil && hashed:
		w.s(" WITH HASHED PASSWORD ", quoteString(*pw))
	case pw != nil:
		w.s(" WITH PASSWORD ", quoteString(*pw))
	}
	if super != nil {
		if *super {
			w.WriteString(" SUPERUSER")
		} else {
			w.WriteString(" NOSUPERUSER")
		}
	}
}

// String renders the statement as CQL; the user name is written as a string,
// which keeps its case.
func (s *CreateUser) String() string {
	var w writer
	w.WriteString("CREATE USER ")
	w.ifNotExists(s.IfNotExists)
	w.WriteString(quoteString(s.Name.Name))
	w.userOptions(s.Password, s.Hashed, s.Generated, s.Superuser)
	return w.String()
}

// String renders the statement as CQL.
func (s *AlterUser) String() string {
	var w writer
	w.WriteString("ALTER USER ")
	w.ifExists(s.IfExists)
	w.WriteString(quoteString(s.Name.Name))
	w.userOptions(s.Password, s.Hashed, s.Generated, s.Superuser)
	return w.String()
}

// String renders the statement as CQL.
func (s *DropUser) String() string {
	var w writer
	w.WriteString("DROP USER ")
	w.ifExists(s.IfExists)
	w.WriteString(quoteString(s.Name.Name))
	return w.String()
}

// String renders the resource as it follows ON.
func (r Resource) String() string {
	name := ""
	if r.Name != nil {
		name = r.Name.String()
	}
	switch r.Kind {
	case ResourceKeyspace, ResourceAllTables, ResourceAllFunctionsKeyspace:
		return r.Kind + " " + name
	case ResourceTable:
		return "TABLE " + name
	case ResourceRole:
		if r.Name != nil {
			return "ROLE " + roleString(r.Name.Name)
		}
		return "ROLE " + name
	case ResourceFunction:
		var w writer
		w.WriteString("FUNCTION ")
		if r.Name != nil {
			w.WriteString(functionNameString(*r.Name))
		}
		w.types(r.ArgTypes)
		return w.String()
	case ResourceMBean, ResourceMBeans:
		return r.Kind + " " + quoteString(r.Pattern)
	}
	return r.Kind
}

func permissionsString(ps []string) string {
	if len(ps) == 1 && ps[0] == "ALL" {
		return "ALL PERMISSIONS"
	}
	return strings.Join(ps, ", ")
}

// String renders the statement as CQL.
func (s *Grant) String() string {
	return "GRANT " + permissionsString(s.Permissions) + " ON " + s.Resource.String() + " TO " + roleString(s.Role)
}

// String renders the statement as CQL.
func (s *Revoke) String() string {
	return "REVOKE " + permissionsString(s.Permissions) + " ON " + s.Resource.String() + " FROM " + roleString(s.Role)
}

// String renders the statement as CQL.
func (s *GrantRole) String() string {
	return "GRANT " + roleString(s.Role) + " TO " + roleString(s.Grantee)
}

// String renders the statement as CQL.
func (s *RevokeRole) String() string {
	return "REVOKE " + roleString(s.Role) + " FROM " + roleString(s.Revokee)
}

// String renders the statement as CQL.
func (s *ListRoles) String() string {
	out := "LIST ROLES"
	if s.Of != nil {
		out += " OF " + roleString(*s.Of)
	}
	if s.NoRecursive {
		out += " NORECURSIVE"
	}
	return out
}

// String renders the statement as CQL.
func (s *ListUsers) String() string { return "LIST USERS" }

// String renders the statement as CQL.
func (s *ListPermissions) String() string {
	out := "LIST " + permissionsString(s.Permissions)
	if s.Resource != nil {
		out += " ON " + s.Resource.String()
	}
	if s.Of != nil {
		out += " OF " + roleString(*s.Of)
	}
	if s.NoRecursive {
		out += " NORECURSIVE"
	}
	return out
}

// String renders the statement as CQL.
func (s *AddIdentity) String() string {
	var w writer
	w.WriteString("ADD IDENTITY ")
	w.ifNotExists(s.IfNotExists)
	w.s(quoteString(s.Identity), " TO ROLE ", quoteString(s.Role.Name))
	return w.String()
}

// String renders the statement as CQL.
func (s *DropIdentity) String() string {
	var w writer
	w.WriteString("DROP IDENTITY ")
	w.ifExists(s.IfExists)
	w.WriteString(quoteString(s.Identity))
	return w.String()
}

// String renders the statement as CQL.
func (s *Insert) String() string {
	var w writer
	w.s("INSERT INTO ", s.Table.String())
	if s.JSON != nil {
		w.WriteString(" JSON ")
		w.term(s.JSON)
		if s.Default != "" {
			w.s(" DEFAULT ", s.Default)
		}
	} else {
		w.WriteString(" (")
		w.idents(s.Columns)
		w.WriteString(") VALUES (")
		w.terms(s.Values)
		w.WriteByte(')')
	}
	if s.IfNotExists {
		w.WriteString(" IF NOT EXISTS")
	}
	w.using(s.Using)
	return w.String()
}

// String renders the assignment as it appears after SET.
func (a Assignment) String() string {
	var w writer
	w.columnPart(a.Column, a.Index, a.Field)
	w.s(" ", a.Op, " ")
	w.term(a.Value)
	return w.String()
}

// String renders the statement as CQL.
func (s *Update) String() string {
	var w writer
	w.s("UPDATE ", s.Table.String())
	w.using(s.Using)
	w.WriteString(" SET ")
	for i, a := range s.Assignments {
		if i > 0 {
			w.WriteString(", ")
		}
		w.WriteString(a.String())
	}
	w.where(s.Where)
	w.ifClause(s.IfExists, s.Conditions)
	return w.String()
}

// String renders the selection as it appears between DELETE and FROM.
func (d DeleteSelection) String() string {
	var w writer
	w.columnPart(d.Column, d.Element, d.Field)
	return w.String()
}

// columnPart writes col, col[element] or col.field: the left side of an
// assignment or a condition, or a DELETE selection.
func (w *writer) columnPart(col Ident, element Term, field *Ident) {
	w.ident(col)
	if element != nil {
		w.WriteByte('[')
		w.term(element)
		w.WriteByte(']')
	}
	if field != nil {
		w.WriteByte('.')
		w.ident(*field)
	}
}

// String renders the statement as CQL.
func (s *Delete) String() string {
	var w writer
	w.WriteString("DELETE ")
	for i, c := range s.Columns {
		if i > 0 {
			w.WriteString(", ")
		}
		w.WriteString(c.String())
	}
	if len(s.Columns) > 0 {
		w.WriteByte(' ')
	}
	w.s("FROM ", s.Table.String())
	w.using(s.Using)
	w.where(s.Where)
	w.ifClause(s.IfExists, s.Conditions)
	return w.String()
}

// String renders the statement as CQL, inner statements separated by "; ".
func (s *Batch) String() string {
	var w writer
	w.WriteString("BEGIN ")
	if s.Type != "" {
		w.s(s.Type, " ")
	}
	w.WriteString("BATCH")
	w.using(s.Using)
	for _, st := range s.Statements {
		w.s(" ", st.String(), ";")
	}
	w.WriteString(" APPLY BATCH")
	return w.String()
}

// String renders the statement as CQL.
func (s *Select) String() string {
	var w writer
	w.WriteString("SELECT ")
	if s.JSON {
		w.WriteString("JSON ")
	}
	if s.Distinct {
		w.WriteString("DISTINCT ")
	}
	if len(s.Selectors) == 0 {
		w.WriteByte('*')
	}
	for i, sel := range s.Selectors {
		if i > 0 {
			w.WriteString(", ")
		}
		w.term(sel.Expr)
		if sel.Alias != nil {
			w.WriteString(" AS ")
			w.ident(*sel.Alias)
		}
	}
	w.s(" FROM ", s.Table.String())
	w.where(s.Where)
	if len(s.GroupBy) > 0 {
		w.WriteString(" GROUP BY ")
		w.terms(s.GroupBy)
	}
	if len(s.OrderBy) > 0 {
		w.WriteString(" ORDER BY ")
		for i, o := range s.OrderBy {
			if i > 0 {
				w.WriteString(", ")
			}
			w.ident(o.Column)
			if o.ANN != nil {
				w.WriteString(" ANN OF ")
				w.term(o.ANN)
			}
			if o.Desc {
				w.WriteString(" DESC")
			} else if o.ANN == nil {
				w.WriteString(" ASC")
			}
		}
	}
	if s.PerPartitionLimit != nil {
		w.WriteString(" PER PARTITION LIMIT ")
		w.term(s.PerPartitionLimit)
	}
	if s.Limit != nil {
		w.WriteString(" LIMIT ")
		w.term(s.Limit)
	}
	if s.AllowFiltering {
		w.WriteString(" ALLOW FILTERING")
	}
	return w.String()
}

// String renders the statement as CQL.
func (s *Use) String() string { return "USE " + s.Keyspace.String() }

// String renders the relation as it appears in WHERE.
func (r Relation) String() string {
	var w writer
	if r.Index != nil {
		return "expr(" + r.Index.String() + ", " + termString(r.Value) + ")"
	}
	switch {
	case r.Token:
		w.WriteString("token(")
		w.idents(r.Columns)
		w.WriteByte(')')
	case r.Tuple:
		w.WriteByte('(')
		w.idents(r.Columns)
		w.WriteByte(')')
	default:
		w.idents(r.Columns)
	}
	if r.Element != nil {
		w.WriteByte('[')
		w.term(r.Element)
		w.WriteByte(']')
	}
	w.s(" ", r.Op)
	switch r.Op {
	case "IS NOT NULL":
	case "IN", "NOT IN":
		w.WriteByte(' ')
		inValues(&w, r.Value, r.Values)
	case "BETWEEN":
		if len(r.Values) == 2 {
			w.WriteByte(' ')
			w.term(r.Values[0])
			w.WriteString(" AND ")
			w.term(r.Values[1])
		}
	default:
		w.WriteByte(' ')
		w.term(r.Value)
	}
	return w.String()
}

func inValues(w *writer, v Term, vs []Term) {
	if v != nil {
		w.term(v)
		return
	}
	w.WriteByte('(')
	w.terms(vs)
	w.WriteByte(')')
}

// String renders the condition as it appears after IF.
func (c Condition) String() string {
	var w writer
	w.columnPart(c.Column, c.Element, c.Field)
	w.s(" ", c.Op, " ")
	if c.Op == "IN" {
		inValues(&w, c.Value, c.Values)
	} else {
		w.term(c.Value)
	}
	return w.String()
}

// --- terms ---

// String renders the literal in CQL syntax.
func (t *Literal) String() string {
	switch t.Type {
	case LitString:
		if t.Dollar && !strings.Contains(t.Text, "$$") {
			return "$$" + t.Text + "$$"
		}
		return quoteString(t.Text)
	case LitNull:
		return "null"
	}
	return t.Text
}

// String renders the marker as "?" or ":name".
func (t *BindMarker) String() string {
	if t.Name == "" {
		return "?"
	}
	return ":" + QuoteIdent(t.Name)
}

// String renders the collection literal.
func (t *CollectionLiteral) String() string {
	var w writer
	switch t.Kind {
	case "list":
		w.WriteByte('[')
		w.terms(t.Elements)
		w.WriteByte(']')
	case "set":
		w.WriteByte('{')
		w.terms(t.Elements)
		w.WriteByte('}')
	default:
		w.WriteByte('{')
		for i, e := range t.Entries {
			if i > 0 {
				w.WriteString(", ")
			}
			w.term(e.Key)
			w.WriteString(": ")
			w.term(e.Value)
		}
		w.WriteByte('}')
	}
	return w.String()
}

// String renders the tuple literal.
func (t *TupleLiteral) String() string {
	var w writer
	w.WriteByte('(')
	w.terms(t.Elements)
	w.WriteByte(')')
	return w.String()
}

// String renders the user type literal.
func (t *UDTLiteral) String() string {
	var w writer
	w.WriteByte('{')
	for i, f := range t.Fields {
		if i > 0 {
			w.WriteString(", ")
		}
		w.ident(f.Name)
		w.WriteString(": ")
		w.term(f.Value)
	}
	w.WriteByte('}')
	return w.String()
}

// String renders the call.
func (t *FunctionCall) String() string {
	var w writer
	w.s(functionNameString(t.Name), "(")
	w.terms(t.Args)
	w.WriteByte(')')
	return w.String()
}

// String renders CAST(expr AS type).
func (t *Cast) String() string {
	return "CAST(" + termString(t.Expr) + " AS " + t.Type.String() + ")"
}

// String renders (type) expr; an operation as expr is parenthesised, since
// the hint binds tighter than any operator.
func (t *TypeHint) String() string {
	e := termString(t.Expr)
	if _, ok := t.Expr.(*BinaryOp); ok {
		e = "(" + e + ")"
	}
	return "(" + t.Type.String() + ") " + e
}

// postfixOperand renders the receiver of a field or element selection,
// parenthesised unless it is a simple term.
func postfixOperand(t Term) string {
	switch t.(type) {
	case *BinaryOp, *UnaryOp, *TypeHint:
		return "(" + termString(t) + ")"
	}
	return termString(t)
}

// String renders the operation. Operands that are themselves operations of
// lower precedence are parenthesised (as a tuple of one, which Cassandra
// reads as grouping).
func (t *BinaryOp) String() string {
	l, r := termString(t.Left), termString(t.Right)
	if needsParens(t.Left, t.Op, false) {
		l = "(" + l + ")"
	}
	if needsParens(t.Right, t.Op, true) {
		r = "(" + r + ")"
	}
	return l + " " + t.Op + " " + r
}

func precedence(op string) int {
	if op == "+" || op == "-" {
		return 1
	}
	return 2
}

func needsParens(operand Term, op string, right bool) bool {
	b, ok := operand.(*BinaryOp)
	if !ok {
		return false
	}
	if right {
		return precedence(b.Op) <= precedence(op)
	}
	return precedence(b.Op) < precedence(op)
}

// String renders the negation.
func (t *UnaryOp) String() string {
	s := termString(t.Operand)
	if _, ok := t.Operand.(*BinaryOp); ok {
		s = "(" + s + ")"
	}
	return t.Op + " " + s
}

// String renders the column name.
func (t *ColumnRef) String() string { return QuoteIdent(t.Name.Name) }

// String renders expr.field.
func (t *FieldRef) String() string { return postfixOperand(t.Expr) + "." + QuoteIdent(t.Field.Name) }

// String renders expr[index] or expr[from..to].
func (t *ElementRef) String() string {
	if !t.Slice {
		return postfixOperand(t.Expr) + "[" + termString(t.Index) + "]"
	}
	out := postfixOperand(t.Expr) + "["
	if t.From != nil {
		out += t.From.String()
	}
	out += ".."
	if t.To != nil {
		out += t.To.String()
	}
	return out + "]"
}

// String renders "*".
func (t *Star) String() string { return "*" }

func termString(t Term) string {
	if t == nil {
		return "null"
	}
	return t.String()
}
