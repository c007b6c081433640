package cqltest

import (
	"sort"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/cqltest/store"
	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// varSpec is what a bind marker stands for: a name, as Cassandra names
// bound variables ("k", "in(k)", "[limit]", "value(m)" ...), and a type.
type varSpec struct {
	name string
	typ  cql.Type
	// pk is the position in the partition key of the column this marker
	// binds with "=", or -1.
	pk int
}

// binder walks a statement and records the spec of each bind marker.
type binder struct {
	cat   *schema.Catalog
	table *schema.Table
	specs map[int]varSpec
}

// fieldType is the type of a user type field of column c, or blob when the
// column is not of a known user type (the store rejects the statement).
func (b *binder) fieldType(c *schema.Column, field string) cql.Type {
	u := c.Type.Unfrozen()
	ksName := u.Keyspace
	if ksName == "" {
		ksName = b.table.Keyspace
	}
	if ks := b.cat.Keyspace(ksName); ks != nil {
		if ut := ks.Types[u.Name]; ut != nil {
			for i, f := range ut.FieldNames {
				if f == field {
					return ut.FieldTypes[i]
				}
			}
		}
	}
	return cql.Type{Name: "blob"}
}

func (b *binder) mark(term cql.Term, name string, t cql.Type, pk int) {
	switch x := term.(type) {
	case *cql.BindMarker:
		if x.Name != "" {
			name = x.Name
		}
		b.specs[x.Index] = varSpec{name: name, typ: t, pk: pk}
	case *cql.TypeHint:
		b.mark(x.Expr, name, x.Type, pk)
	case *cql.CollectionLiteral:
		u := t.Unfrozen()
		switch {
		case x.Kind == "map" && u.Name == "map" && len(u.Args) == 2:
			for _, e := range x.Entries {
				b.mark(e.Key, name, u.Args[0], -1)
				b.mark(e.Value, name, u.Args[1], -1)
			}
		case len(u.Args) >= 1:
			for _, e := range x.Elements {
				b.mark(e, name, u.Args[0], -1)
			}
		}
	case *cql.TupleLiteral:
		u := t.Unfrozen()
		for i, e := range x.Elements {
			if i < len(u.Args) {
				b.mark(e, name, u.Args[i], -1)
			}
		}
	case *cql.BinaryOp:
		// col = col + ? and col = ? + col: the marker has the column's type.
		b.mark(x.Left, name, t, -1)
		b.mark(x.Right, name, t, -1)
	case *cql.FunctionCall:
		for _, a := range x.Args {
			b.markAny(a)
		}
	}
}

// markAny records markers in a context whose type is unknown to the server
// (function arguments): Cassandra would infer them; blob is the neutral
// choice drivers accept.
func (b *binder) markAny(term cql.Term) {
	if m, ok := term.(*cql.BindMarker); ok {
		b.specs[m.Index] = varSpec{name: m.Name, typ: cql.Type{Name: "blob"}, pk: -1}
		return
	}
	b.mark(term, "", cql.Type{Name: "blob"}, -1)
}

func (b *binder) column(id cql.Ident) *schema.Column { return b.table.Columns[id.Name] }

func pkPos(c *schema.Column) int {
	if c.Kind == schema.PartitionKey {
		return c.Position
	}
	return -1
}

func (b *binder) using(params []cql.UsingParam) {
	for _, u := range params {
		switch u.Kind {
		case "TTL":
			b.mark(u.Value, "[ttl]", cql.Type{Name: "int"}, -1)
		case "TIMESTAMP":
			b.mark(u.Value, "[timestamp]", cql.Type{Name: "bigint"}, -1)
		}
	}
}

func elemType(t cql.Type) cql.Type {
	u := t.Unfrozen()
	switch {
	case u.Name == "map" && len(u.Args) == 2:
		return u.Args[1]
	case len(u.Args) >= 1:
		return u.Args[0]
	}
	return t
}

func keyType(t cql.Type) cql.Type {
	u := t.Unfrozen()
	switch {
	case u.Name == "map" && len(u.Args) == 2:
		return u.Args[0]
	case u.Name == "list":
		return cql.Type{Name: "int"}
	}
	return elemType(t)
}

func (b *binder) relations(rels []cql.Relation) {
	for _, r := range rels {
		if r.Token {
			b.mark(r.Value, "partition key token", cql.Type{Name: "bigint"}, -1)
			for _, v := range r.Values {
				b.mark(v, "partition key token", cql.Type{Name: "bigint"}, -1)
			}
			continue
		}
		var cols []*schema.Column
		for _, id := range r.Columns {
			if c := b.column(id); c != nil {
				cols = append(cols, c)
			}
		}
		if len(cols) != len(r.Columns) || len(cols) == 0 {
			continue
		}
		c := cols[0]
		if r.Tuple {
			tuple := cql.Type{Name: "tuple"}
			for _, c := range cols {
				tuple.Args = append(tuple.Args, c.Type)
			}
			name := "("
			for i, c := range cols {
				if i > 0 {
					name += ","
				}
				name += c.Name
			}
			name += ")"
			switch r.Op {
			case "IN", "NOT IN":
				b.mark(r.Value, "in"+name, cql.Type{Name: "list", Args: []cql.Type{tuple}}, -1)
				for _, v := range r.Values {
					b.mark(v, name, tuple, -1)
				}
			default:
				b.mark(r.Value, name, tuple, -1)
				for _, v := range r.Values {
					b.mark(v, name, tuple, -1)
				}
			}
			continue
		}
		if r.Element != nil {
			b.mark(r.Element, "key("+c.Name+")", keyType(c.Type), -1)
			b.mark(r.Value, "value("+c.Name+")", elemType(c.Type), -1)
			continue
		}
		switch r.Op {
		case "=":
			b.mark(r.Value, c.Name, c.Type, pkPos(c))
		case "IN", "NOT IN":
			b.mark(r.Value, "in("+c.Name+")", cql.Type{Name: "list", Args: []cql.Type{c.Type}}, -1)
			for _, v := range r.Values {
				b.mark(v, c.Name, c.Type, -1)
			}
		case "CONTAINS", "NOT CONTAINS":
			b.mark(r.Value, c.Name, elemType(c.Type), -1)
		case "CONTAINS KEY", "NOT CONTAINS KEY":
			b.mark(r.Value, c.Name, keyType(c.Type), -1)
		default:
			b.mark(r.Value, c.Name, c.Type, -1)
			for _, v := range r.Values {
				b.mark(v, c.Name, c.Type, -1)
			}
		}
	}
}

func (b *binder) conditions(conds []cql.Condition) {
	for _, cd := range conds {
		c := b.column(cd.Column)
		if c == nil {
			continue
		}
		t, name := c.Type, c.Name
		switch {
		case cd.Element != nil:
			b.mark(cd.Element, "key("+c.Name+")", keyType(c.Type), -1)
			t, name = elemType(c.Type), "value("+c.Name+")"
		case cd.Field != nil:
			t, name = b.fieldType(c, cd.Field.Name), c.Name+"."+cd.Field.Name
		}
		switch cd.Op {
		case "IN":
			b.mark(cd.Value, "in("+name+")", cql.Type{Name: "list", Args: []cql.Type{t}}, -1)
			for _, v := range cd.Values {
				b.mark(v, name, t, -1)
			}
		case "CONTAINS":
			b.mark(cd.Value, name, elemType(t), -1)
		case "CONTAINS KEY":
			b.mark(cd.Value, name, keyType(t), -1)
		default:
			b.mark(cd.Value, name, t, -1)
		}
	}
}

func (b *binder) assignments(as []cql.Assignment) {
	for _, a := range as {
		c := b.column(a.Column)
		if c == nil {
			continue
		}
		switch {
		case a.Index != nil:
			b.mark(a.Index, "key("+c.Name+")", keyType(c.Type), -1)
			b.mark(a.Value, "value("+c.Name+")", elemType(c.Type), -1)
		case a.Field != nil:
			b.mark(a.Value, c.Name+"."+a.Field.Name, b.fieldType(c, a.Field.Name), -1)
		case a.Op == "-=" && c.Type.Unfrozen().Name == "map":
			b.mark(a.Value, c.Name, cql.Type{Name: "set", Args: []cql.Type{keyType(c.Type)}}, -1)
		case c.Type.Name == "counter":
			b.mark(a.Value, c.Name, cql.Type{Name: "bigint"}, -1)
		default:
			b.mark(a.Value, c.Name, c.Type, -1)
		}
	}
}

// bindVariables describes the bind markers of a statement, in marker order,
// with the indexes of the markers that bind the whole partition key (empty
// unless every partition key column is bound by "= ?").
func bindVariables(cat *schema.Catalog, stmt cql.Stmt, sessionKeyspace string) ([]wire.Column, []uint16, error) {
	var (
		name cql.QualifiedName
		run  func(b *binder)
	)
	switch s := stmt.(type) {
	case *cql.Select:
		name = s.Table
		run = func(b *binder) {
			b.relations(s.Where)
			if s.PerPartitionLimit != nil {
				b.mark(s.PerPartitionLimit, "[per_partition_limit]", cql.Type{Name: "int"}, -1)
			}
			if s.Limit != nil {
				b.mark(s.Limit, "[limit]", cql.Type{Name: "int"}, -1)
			}
		}
	case *cql.Insert:
		name = s.Table
		run = func(b *binder) {
			for i, id := range s.Columns {
				if c := b.column(id); c != nil && i < len(s.Values) {
					b.mark(s.Values[i], c.Name, c.Type, pkPos(c))
				}
			}
			if s.JSON != nil {
				b.mark(s.JSON, "[json]", cql.Type{Name: "text"}, -1)
			}
			b.using(s.Using)
		}
	case *cql.Update:
		name = s.Table
		run = func(b *binder) {
			b.using(s.Using)
			b.assignments(s.Assignments)
			b.relations(s.Where)
			b.conditions(s.Conditions)
		}
	case *cql.Delete:
		name = s.Table
		run = func(b *binder) {
			for _, d := range s.Columns {
				if c := b.column(d.Column); c != nil && d.Element != nil {
					b.mark(d.Element, "key("+c.Name+")", keyType(c.Type), -1)
				}
			}
			b.using(s.Using)
			b.relations(s.Where)
			b.conditions(s.Conditions)
		}
	default:
		return nil, nil, nil
	}
	t, err := lookupTable(cat, name, sessionKeyspace, stmt.Kind() == cql.KindSelect)
	if err != nil {
		return nil, nil, err
	}
	b := &binder{cat: cat, table: t, specs: map[int]varSpec{}}
	run(b)
	idx := make([]int, 0, len(b.specs))
	for i := range b.specs {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	resolve := wireResolver(cat)
	vars := make([]wire.Column, 0, len(idx))
	pkVar := map[int]uint16{}
	for _, i := range idx {
		// A marker the walk could not type is described as blob rather
		// than shifting every later marker.
		for len(vars) < i {
			vars = append(vars, wire.Column{Keyspace: t.Keyspace, Table: t.Name, Name: "?", Type: wire.Option{ID: wire.TypeBlob}})
		}
		s := b.specs[i]
		opt, err := wire.OptionOf(s.typ, t.Keyspace, resolve)
		if err != nil {
			return nil, nil, err
		}
		if s.pk >= 0 {
			if _, dup := pkVar[s.pk]; !dup {
				pkVar[s.pk] = uint16(len(vars))
			}
		}
		vars = append(vars, wire.Column{Keyspace: t.Keyspace, Table: t.Name, Name: s.name, Type: opt})
	}
	pk := t.PartitionKey()
	var pkIdx []uint16
	if len(pkVar) == len(pk) {
		for i := range pk {
			pkIdx = append(pkIdx, pkVar[i])
		}
	}
	return vars, pkIdx, nil
}

// resultColumns predicts the columns a SELECT returns, when it can: for *,
// plain columns (aliased or not), count(*), writetime() and ttl(). ok is
// false for anything else; the statement is then prepared without result
// metadata and every answer carries its own.
func resultColumns(t *schema.Table, s *cql.Select) (cols []store.ColumnSpec, ok bool) {
	spec := func(name string, typ cql.Type) store.ColumnSpec {
		return store.ColumnSpec{Keyspace: t.Keyspace, Table: t.Name, Name: name, Type: typ}
	}
	if s.JSON {
		return []store.ColumnSpec{spec("[json]", cql.Type{Name: "text"})}, true
	}
	if len(s.Selectors) == 0 {
		for _, c := range t.OrderedColumns() {
			cols = append(cols, spec(c.Name, c.Type))
		}
		return cols, true
	}
	for _, sel := range s.Selectors {
		var cs store.ColumnSpec
		switch x := sel.Expr.(type) {
		case *cql.ColumnRef:
			c := t.Columns[x.Name.Name]
			if c == nil {
				return nil, false
			}
			cs = spec(c.Name, c.Type)
		case *cql.FunctionCall:
			if x.Name.Keyspace != nil || len(x.Args) != 1 {
				return nil, false
			}
			switch fn := x.Name.Name.Name; fn {
			case "count":
				if _, star := x.Args[0].(*cql.Star); !star {
					return nil, false
				}
				cs = spec("count", cql.Type{Name: "bigint"})
			case "writetime", "ttl":
				ref, isRef := x.Args[0].(*cql.ColumnRef)
				if !isRef {
					return nil, false
				}
				typ := cql.Type{Name: "bigint"}
				if fn == "ttl" {
					typ = cql.Type{Name: "int"}
				}
				cs = spec(fn+"("+ref.Name.Name+")", typ)
			default:
				return nil, false
			}
		default:
			return nil, false
		}
		if sel.Alias != nil {
			cs.Name = sel.Alias.Name
		}
		cols = append(cols, cs)
	}
	return cols, true
}

// prepareMetadata builds the Prepared result of a statement on a node.
func (c *Cluster) prepareMetadata(n *Node, stmt cql.Stmt, sessionKeyspace string) (wire.Prepared, error) {
	cat := n.currentCatalog()
	vars, pk, err := bindVariables(cat, stmt, sessionKeyspace)
	if err != nil {
		return wire.Prepared{}, err
	}
	p := wire.Prepared{Variables: vars, PKIndexes: pk}
	s, ok := stmt.(*cql.Select)
	if !ok {
		return p, nil
	}
	t, err := resolveReadable(cat, s.Table, sessionKeyspace)
	if err != nil {
		return wire.Prepared{}, err
	}
	cols, ok := resultColumns(t, s)
	if !ok {
		return p, nil
	}
	resolve := wireResolver(cat)
	for _, cs := range cols {
		opt, err := wire.OptionOf(cs.Type, t.Keyspace, resolve)
		if err != nil {
			return wire.Prepared{}, err
		}
		p.Result.Columns = append(p.Result.Columns, wire.Column{Keyspace: cs.Keyspace, Table: cs.Table, Name: cs.Name, Type: opt})
	}
	return p, nil
}
