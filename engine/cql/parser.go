package cql

import (
	"strings"
	"sync"
)

// Parse parses exactly one statement. A trailing ";" and comments are
// allowed; positions are relative to text (line 1, column 1 at its start).
func Parse(text string) (Stmt, error) {
	return parseAt(text, Pos{Line: 1, Col: 1})
}

// ParseStatement parses a statement produced by Split. The AST positions
// and error positions are those of the file the statement came from.
func ParseStatement(s Statement) (Stmt, error) {
	if !s.Pos.IsValid() { // built by hand: count from the start of Text
		return parseAt(s.Text, Pos{Line: 1, Col: 1})
	}
	return parseAt(s.Text, s.Pos)
}

// ParseScript splits src into statements and parses each one. It stops at
// the first error, a *SyntaxError with file positions.
func ParseScript(src []byte) ([]Stmt, error) {
	var out []Stmt
	p := &parser{}
	_, err := splitTokens(src, func(_ Statement, toks []Token) error {
		st, err := p.parseTokens(toks)
		if err != nil {
			return err
		}
		out = append(out, st)
		return nil
	})
	return out, err
}

// parser is a recursive-descent parser over the tokens of one statement.
// Errors travel as a panic of *SyntaxError, recovered in parseAt, which keeps
// the grammar code close to the grammar.
type parser struct {
	toks    []Token // comments removed; ends with TokEOF
	i       int
	markers int
	depth   int // nesting of terms and types being parsed

	// lits is a slab the parser hands out *Literal from: one allocation
	// for many literals, which is most of the garbage a script makes.
	lits    []Literal
	idents  slab[Ident]
	colls   slab[CollectionLiteral]
	calls   slab[FunctionCall]
	markerz slab[BindMarker]
	cols    slab[ColumnRef]
}

// slab hands out pointers to values allocated many at a time: fewer, larger
// allocations for the small nodes every statement is made of.
type slab[T any] struct{ buf []T }

func (s *slab[T]) new(v T) *T {
	if len(s.buf) == cap(s.buf) {
		// Chunks grow from 4 to 64 values: a single short statement
		// (the test server parses one per query) stays small, a script
		// gets big chunks.
		s.buf = make([]T, 0, min(max(2*cap(s.buf), 4), 64))
	}
	s.buf = append(s.buf, v)
	return &s.buf[len(s.buf)-1]
}

// lit returns a new literal from the slab.
func (p *parser) lit(kind LiteralKind, text string, pos Pos) *Literal {
	if len(p.lits) == cap(p.lits) {
		p.lits = make([]Literal, 0, min(max(2*cap(p.lits), 4), 64))
	}
	p.lits = append(p.lits, Literal{Type: kind, Text: text, Pos: pos})
	return &p.lits[len(p.lits)-1]
}

var tokPool = sync.Pool{New: func() any { s := make([]Token, 0, 256); return &s }}

func parseAt(text string, base Pos) (st Stmt, err error) {
	bufp := tokPool.Get().(*[]Token)
	toks := (*bufp)[:0]
	defer func() {
		*bufp = toks[:0]
		tokPool.Put(bufp)
	}()
	l := newLexer(text, base)
	for {
		t, lerr := l.Next()
		if lerr != nil {
			return nil, lerr
		}
		if t.Kind == TokComment {
			continue
		}
		toks = append(toks, t)
		if t.Kind == TokEOF {
			break
		}
	}
	return (&parser{}).parseTokens(toks)
}

// parseTokens parses one statement from its tokens (no comments, ending
// with TokEOF).
func (p *parser) parseTokens(toks []Token) (st Stmt, err error) {
	p.toks, p.i, p.markers, p.depth = toks, 0, 0, 0
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*SyntaxError)
			if !ok {
				panic(r)
			}
			st, err = nil, se
		}
	}()
	st = p.statement()
	p.acceptOp(";")
	if t := p.peek(); t.Kind != TokEOF {
		msg := "expected end of statement"
		if statementStarts[strings.ToLower(t.Text)] && t.Kind == TokIdent {
			msg += ` (is a ";" missing before ` + strings.ToUpper(t.Text) + `?)`
		}
		p.failAt(t, msg)
	}
	return st, nil
}

// statementStarts are the words a statement can begin with.
var statementStarts = map[string]bool{
	"select": true, "insert": true, "update": true, "delete": true, "begin": true,
	"use": true, "truncate": true, "create": true, "alter": true, "drop": true,
	"grant": true, "revoke": true, "list": true, "add": true,
}

// --- token helpers ---

// peek and peekN return pointers into the token slice: tokens are 64
// bytes, and the parser looks at each one several times.
func (p *parser) peek() *Token { return &p.toks[p.i] }

func (p *parser) peekN(n int) *Token {
	if p.i+n < len(p.toks) {
		return &p.toks[p.i+n]
	}
	return &p.toks[len(p.toks)-1]
}

func (p *parser) next() *Token {
	t := &p.toks[p.i]
	if t.Kind != TokEOF {
		p.i++
	}
	return t
}

func (p *parser) atKw(kw string) bool { return p.toks[p.i].is(kw) }

func (p *parser) acceptKw(kw string) bool {
	if p.toks[p.i].is(kw) {
		p.i++
		return true
	}
	return false
}

// acceptKws accepts the keyword sequence kws only when all of it is there.
func (p *parser) acceptKws(kws ...string) bool {
	for k, kw := range kws {
		if !p.peekN(k).is(kw) {
			return false
		}
	}
	p.i += len(kws)
	return true
}

func (p *parser) atOp(op string) bool { return p.toks[p.i].isOp(op) }

func (p *parser) acceptOp(op string) bool {
	if p.toks[p.i].isOp(op) {
		p.i++
		return true
	}
	return false
}

// expectKw consumes keyword kw or fails with "expected KW <context>".
func (p *parser) expectKw(kw, context string) *Token {
	t := p.peek()
	if !t.is(kw) {
		msg := "expected " + strings.ToUpper(kw)
		if context != "" {
			msg += " " + context
		}
		p.failAt(t, msg)
	}
	p.i++
	return t
}

func (p *parser) expectOp(op, context string) *Token {
	t := p.peek()
	if !t.isOp(op) {
		msg := `expected "` + op + `"`
		if context != "" {
			msg += " " + context
		}
		p.failAt(t, msg)
	}
	p.i++
	return t
}

// failAt aborts parsing with msg at token t.
func (p *parser) failAt(t *Token, msg string) {
	if t.Kind == TokEOF {
		panic(&SyntaxError{Pos: t.Pos, Msg: msg + ", found end of statement"})
	}
	failNear(t.Pos, t.Text, msg)
}

// failNear aborts parsing with msg at pos, where the source reads near: the
// excerpt is cut to 40 bytes, so a long string or name does not swamp the
// message.
func failNear(pos Pos, near, msg string) {
	if len(near) > 40 {
		cut := 40
		for cut > 0 && near[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
			cut--
		}
		near = near[:cut] + "..."
	}
	panic(&SyntaxError{Pos: pos, Msg: msg, Near: near})
}

func (p *parser) ifNotExists() bool { return p.acceptKws("if", "not", "exists") }
func (p *parser) ifExists() bool    { return p.acceptKws("if", "exists") }

// --- names ---

// isIdentTok reports whether t can be an identifier: a quoted name, or an
// unquoted word that is not reserved.
func isIdentTok(t *Token) bool {
	switch t.Kind {
	case TokQuotedIdent:
		return true
	case TokIdent:
		return !IsReserved(strings.ToLower(t.Text))
	}
	return false
}

// ident parses an identifier; what names it for error messages.
func (p *parser) ident(what string) Ident {
	t := p.peek()
	switch t.Kind {
	case TokQuotedIdent:
		p.i++
		return Ident{Name: t.Value(), Quoted: true, Pos: t.Pos}
	case TokIdent:
		low := strings.ToLower(t.Text)
		if IsReserved(low) {
			p.failAt(t, "expected "+what+` (`+strings.ToUpper(low)+` is a reserved keyword; double-quote it to use it as a name)`)
		}
		p.i++
		return Ident{Name: low, Pos: t.Pos}
	}
	p.failAt(t, "expected "+what)
	return Ident{}
}

// qualified parses [keyspace.]name.
func (p *parser) qualified(what string) QualifiedName {
	first := p.ident(what)
	if p.acceptOp(".") {
		return QualifiedName{Keyspace: p.idents.new(first), Name: p.ident(what)}
	}
	return QualifiedName{Name: first}
}

// functionName parses [keyspace.]name where name may also be the reserved
// TOKEN (Cassandra's allowedFunctionName).
func (p *parser) functionName(what string) QualifiedName {
	t := p.peek()
	if t.is("token") {
		p.i++
		return QualifiedName{Name: Ident{Name: "token", Pos: t.Pos}}
	}
	first := p.ident(what)
	if p.acceptOp(".") {
		ks := p.idents.new(first)
		t := p.peek()
		if t.is("token") {
			p.i++
			return QualifiedName{Keyspace: ks, Name: Ident{Name: "token", Pos: t.Pos}}
		}
		return QualifiedName{Keyspace: ks, Name: p.ident(what)}
	}
	return QualifiedName{Name: first}
}

// unqualifiedFunction parses the name of an aggregate's state or final
// function, which Cassandra's grammar takes without a keyspace
// (allowedFunctionName): they live in the aggregate's keyspace.
func (p *parser) unqualifiedFunction(what string) Ident {
	n := p.functionName(what)
	if n.Keyspace != nil {
		failNear(n.Keyspace.Pos, n.Keyspace.Name+".", "expected "+what+" without a keyspace: it is the aggregate's keyspace's")
	}
	return n.Name
}

// reservedTypeNames may not name user types (Cassandra reserves them for
// future native types).
var reservedTypeNames = map[string]bool{
	"byte": true, "complex": true, "enum": true, "date": true, "interval": true,
	"macaddr": true, "bitstring": true,
}

// typeConstructors are the parameterised type names. Cassandra would take
// them bare as user type names, but a user type called list or map is
// unusable in practice and would confuse every consumer of cql.Type, so
// they are refused unless quoted.
var typeConstructors = map[string]bool{
	"list": true, "set": true, "map": true, "frozen": true, "tuple": true, "vector": true,
}

// typeName parses a user-defined type name: [keyspace.]name, where an
// unquoted name may not be a native type.
func (p *parser) typeName() QualifiedName {
	q := p.qualified("type name")
	if !q.Name.Quoted && (nativeTypes[q.Name.Name] || reservedTypeNames[q.Name.Name] || typeConstructors[q.Name.Name]) {
		failNear(q.Name.Pos, q.Name.Name, "invalid user type name: "+q.Name.Name+" is a native or reserved type name")
	}
	return q
}

// roleName parses a role name: an identifier, a quoted name or a string.
func (p *parser) roleName() Ident {
	t := p.peek()
	if t.Kind == TokString {
		p.i++
		return Ident{Name: t.Value(), Quoted: true, Pos: t.Pos}
	}
	return p.ident("role name")
}

// userName parses a user name: an identifier (which keeps its case, as in
// Cassandra) or a string.
func (p *parser) userName() Ident {
	t := p.peek()
	switch {
	case t.Kind == TokString:
		p.i++
		return Ident{Name: t.Value(), Quoted: true, Pos: t.Pos}
	case t.Kind == TokIdent && !IsReserved(strings.ToLower(t.Text)):
		p.i++
		return Ident{Name: t.Text, Pos: t.Pos}
	}
	p.failAt(t, "expected user name (an identifier or a string)")
	return Ident{}
}

func (p *parser) stringLit(what string) (string, *Token) {
	t := p.peek()
	if t.Kind != TokString && t.Kind != TokDollarString {
		p.failAt(t, "expected "+what+" as a string")
	}
	p.i++
	return t.Value(), t
}

// --- types ---

// typ parses a CQL data type.
func (p *parser) typ() Type {
	p.enter(p.peek())
	t := p.typ0()
	p.depth--
	return t
}

func (p *parser) typ0() Type {
	t := p.peek()
	switch t.Kind {
	case TokString:
		p.i++
		return Type{Name: "custom", Custom: t.Value()}
	case TokQuotedIdent:
		q := p.qualified("type")
		return userType(q)
	case TokIdent:
	default:
		p.failAt(t, "expected a type")
	}
	low := strings.ToLower(t.Text)
	if nativeTypes[low] {
		p.i++
		return Type{Name: low}
	}
	switch low {
	case "list", "set", "frozen":
		if p.peekN(1).isOp("<") {
			p.i += 2
			arg := p.typ()
			p.expectOp(">", "to close "+low+"<...>")
			return Type{Name: low, Args: []Type{arg}}
		}
	case "map":
		if p.peekN(1).isOp("<") {
			p.i += 2
			k := p.typ()
			p.expectOp(",", "between map key and value types")
			v := p.typ()
			p.expectOp(">", "to close map<...>")
			return Type{Name: "map", Args: []Type{k, v}}
		}
	case "tuple":
		if p.peekN(1).isOp("<") {
			p.i += 2
			args := []Type{p.typ()}
			for p.acceptOp(",") {
				args = append(args, p.typ())
			}
			p.expectOp(">", "to close tuple<...>")
			return Type{Name: "tuple", Args: args}
		}
	case "vector":
		if p.peekN(1).isOp("<") {
			p.i += 2
			elem := p.typ()
			p.expectOp(",", "between vector element type and dimension")
			d := p.peek()
			if d.Kind != TokInteger || d.Text[0] == '-' {
				p.failAt(d, "expected vector dimension (a positive integer)")
			}
			p.i++
			n := 0
			for _, c := range []byte(d.Text) {
				n = n*10 + int(c-'0')
				if n > 1<<30 {
					p.failAt(d, "vector dimension too large")
				}
			}
			p.expectOp(">", "to close vector<...>")
			return Type{Name: "vector", Args: []Type{elem}, Dim: n}
		}
	}
	if IsReserved(low) {
		p.failAt(t, "expected a type")
	}
	if typeConstructors[low] && !p.peekN(1).isOp(".") {
		p.failAt(p.peekN(1), `expected "<" after `+low)
	}
	q := p.qualified("type")
	if !q.Name.Quoted && (typeConstructors[q.Name.Name] || nativeTypes[q.Name.Name]) {
		failNear(q.Name.Pos, q.Name.Name, "expected a user type name, not the type name "+q.Name.Name)
	}
	return userType(q)
}

func userType(q QualifiedName) Type {
	t := Type{Name: q.Name.Name, UserQuoted: q.Name.Quoted}
	if q.Keyspace != nil {
		t.Keyspace = q.Keyspace.Name
	}
	return t
}

// typeList parses "(" [type {, type}] ")".
func (p *parser) typeList(context string) []Type {
	p.expectOp("(", context)
	types := []Type{}
	if p.acceptOp(")") {
		return types
	}
	for {
		types = append(types, p.typ())
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectOp(")", "to close the argument types")
	return types
}

// --- statements ---

func (p *parser) statement() Stmt {
	t := p.peek()
	switch {
	case t.is("select"):
		return p.selectStmt()
	case t.is("insert"):
		return p.insert()
	case t.is("update"):
		return p.update()
	case t.is("delete"):
		return p.delete()
	case t.is("begin"):
		return p.batch()
	case t.is("use"):
		p.i++
		return &Use{Keyspace: p.ident("keyspace name"), Pos: t.Pos}
	case t.is("truncate"):
		p.i++
		if !p.acceptKw("table") {
			p.acceptKw("columnfamily")
		}
		return &Truncate{Table: p.qualified("table name"), Pos: t.Pos}
	case t.is("create"):
		return p.create()
	case t.is("alter"):
		return p.alter()
	case t.is("drop"):
		return p.drop()
	case t.is("grant"):
		return p.grant()
	case t.is("revoke"):
		return p.revoke()
	case t.is("list"):
		return p.list()
	case t.is("add"):
		return p.addIdentity()
	}
	p.failAt(t, "expected a statement (SELECT, INSERT, UPDATE, DELETE, BEGIN BATCH, CREATE, ALTER, DROP, TRUNCATE, USE, GRANT, REVOKE, LIST, ADD IDENTITY)")
	return nil
}

func (p *parser) create() Stmt {
	start := p.next()
	orReplace := p.acceptKws("or", "replace")
	t := p.peek()
	switch {
	case orReplace && !t.is("function") && !t.is("aggregate"):
		p.failAt(t, "expected FUNCTION or AGGREGATE after CREATE OR REPLACE")
	case t.is("keyspace"), t.is("schema"):
		p.i++
		s := &CreateKeyspace{Pos: start.Pos}
		s.IfNotExists = p.ifNotExists()
		s.Name = p.ident("keyspace name")
		p.expectKw("with", "after keyspace name (replication is required)")
		s.Options = p.properties()
		return s
	case t.is("table"), t.is("columnfamily"):
		p.i++
		return p.createTable(start)
	case t.is("type"):
		p.i++
		return p.createType(start)
	case t.is("index"), t.is("custom"):
		return p.createIndex(start)
	case t.is("materialized"):
		p.i++
		p.expectKw("view", "after MATERIALIZED")
		return p.createView(start)
	case t.is("function"):
		p.i++
		return p.createFunction(start, orReplace)
	case t.is("aggregate"):
		p.i++
		return p.createAggregate(start, orReplace)
	case t.is("trigger"):
		p.i++
		s := &CreateTrigger{Pos: start.Pos}
		s.IfNotExists = p.ifNotExists()
		s.Name = p.ident("trigger name")
		p.expectKw("on", "after trigger name")
		s.Table = p.qualified("table name")
		p.expectKw("using", "after table name")
		s.Using, _ = p.stringLit("trigger class")
		return s
	case t.is("role"):
		p.i++
		s := &CreateRole{Pos: start.Pos}
		s.IfNotExists = p.ifNotExists()
		s.Name = p.roleName()
		if p.acceptKw("with") {
			s.Options = p.roleOptions()
		}
		return s
	case t.is("user"):
		p.i++
		s := &CreateUser{Pos: start.Pos}
		s.IfNotExists = p.ifNotExists()
		s.Name = p.userName()
		s.Password, s.Hashed, s.Generated, s.Superuser = p.userOptions()
		return s
	}
	p.failAt(t, "expected KEYSPACE, TABLE, TYPE, INDEX, MATERIALIZED VIEW, FUNCTION, AGGREGATE, TRIGGER, ROLE or USER after CREATE")
	return nil
}

func (p *parser) createTable(start *Token) Stmt {
	s := &CreateTable{Pos: start.Pos}
	s.IfNotExists = p.ifNotExists()
	s.Name = p.qualified("table name")
	p.expectOp("(", "after table name")
	s.Columns = make([]ColumnDef, 0, p.countItems())
	havePK, lastPK := false, false
	for {
		lastPK = p.atKw("primary")
		if lastPK {
			pk := p.next()
			p.expectKw("key", "after PRIMARY")
			if havePK {
				p.failAt(pk, "multiple primary keys: PRIMARY KEY given twice")
			}
			havePK = true
			p.expectOp("(", "after PRIMARY KEY")
			s.PartitionKey, s.Clustering = p.primaryKey()
		} else {
			col := p.columnDef(true)
			if col.PrimaryKey {
				if havePK {
					failNear(col.Name.Pos, col.Name.Name, "multiple primary keys: PRIMARY KEY given twice")
				}
				havePK = true
				s.PartitionKey = []Ident{col.Name}
			}
			s.Columns = append(s.Columns, col)
		}
		if p.acceptOp(",") {
			if p.atOp(")") { // Cassandra accepts a trailing comma
				break
			}
			continue
		}
		if !p.atOp(")") {
			what := "the primary key"
			if !lastPK {
				what = "column " + s.Columns[len(s.Columns)-1].Name.Name
			}
			p.failAt(p.peek(), `expected "," or ")" after `+what)
		}
		break
	}
	p.expectOp(")", "to close the column list")
	if p.acceptKw("with") {
		for {
			switch {
			case p.acceptKws("compact", "storage"):
				s.CompactStorage = true
			case p.atKw("clustering") && p.peekN(1).is("order"):
				s.ClusteringOrder = p.clusteringOrder()
			default:
				s.Options = append(s.Options, p.property())
			}
			if !p.acceptKw("and") {
				break
			}
		}
	}
	return s
}

// countItems counts the comma-separated items from the current token to the
// ")" that closes the list just opened, so the slice for them is allocated
// once at the right size.
func (p *parser) countItems() int {
	n, depth := 1, 0
	for _, t := range p.toks[p.i:] {
		if t.Kind != TokOp {
			continue
		}
		switch t.Text {
		case "(", "<", "[", "{":
			depth++
		case ">", "]", "}":
			depth--
		case ")":
			if depth == 0 {
				return n
			}
			depth--
		case ",":
			if depth == 0 {
				n++
			}
		}
	}
	return n
}

// primaryKey parses the inside of PRIMARY KEY ( ... ) after the "(".
func (p *parser) primaryKey() (partition, clustering []Ident) {
	if p.acceptOp("(") {
		for {
			partition = append(partition, p.ident("partition key column"))
			if !p.acceptOp(",") {
				break
			}
		}
		p.expectOp(")", "to close the partition key")
	} else {
		partition = []Ident{p.ident("partition key column")}
	}
	for p.acceptOp(",") {
		clustering = append(clustering, p.ident("clustering column"))
	}
	p.expectOp(")", "to close PRIMARY KEY")
	return partition, clustering
}

// columnDef parses name type [STATIC] [MASKED WITH ...] [PRIMARY KEY].
func (p *parser) columnDef(allowPK bool) ColumnDef {
	c := ColumnDef{Name: p.ident("column name")}
	if t := p.peek(); t.isOp(",") || t.isOp(")") || t.Kind == TokEOF {
		p.failAt(t, "expected a type after column name "+c.Name.Name)
	}
	c.Type = p.typ()
	c.Static = p.acceptKw("static")
	if p.atKw("masked") {
		c.Mask = p.mask()
	}
	if allowPK && p.atKw("primary") {
		p.i++
		p.expectKw("key", "after PRIMARY")
		c.PrimaryKey = true
	}
	return c
}

// mask parses MASKED WITH DEFAULT | MASKED WITH fn(args).
func (p *parser) mask() *FunctionCall {
	p.expectKw("masked", "")
	p.expectKw("with", "after MASKED")
	if t := p.peek(); t.is("default") && !p.peekN(1).isOp("(") && !p.peekN(1).isOp(".") {
		p.i++
		return p.calls.new(FunctionCall{Name: QualifiedName{Name: Ident{Name: "default", Pos: t.Pos}}, Args: []Term{}, Pos: t.Pos})
	}
	pos := p.peek().Pos
	name := p.functionName("masking function name")
	p.expectOp("(", "after masking function name")
	return p.calls.new(FunctionCall{Name: name, Args: p.args(false), Pos: pos})
}

func (p *parser) clusteringOrder() []ClusteringOrder {
	p.expectKw("clustering", "")
	p.expectKw("order", "after CLUSTERING")
	p.expectKw("by", "after CLUSTERING ORDER")
	p.expectOp("(", "after CLUSTERING ORDER BY")
	var out []ClusteringOrder
	for {
		o := ClusteringOrder{Column: p.ident("clustering column")}
		switch {
		case p.acceptKw("asc"):
		case p.acceptKw("desc"):
			o.Desc = true
		default:
			p.failAt(p.peek(), "expected ASC or DESC after clustering column "+o.Column.Name)
		}
		out = append(out, o)
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectOp(")", "to close CLUSTERING ORDER BY")
	return out
}

// properties parses name = value {AND name = value}.
func (p *parser) properties() []Property {
	props := make([]Property, 0, 4)
	for {
		props = append(props, p.property())
		if !p.acceptKw("and") {
			return props
		}
	}
}

func (p *parser) property() Property {
	name := p.ident("option name")
	p.expectOp("=", "after option name "+name.Name)
	return Property{Name: name.Name, Value: p.propertyValue(), Pos: name.Pos}
}

// propertyValue parses a constant, a map literal, or an unreserved keyword
// (kept as a string literal, as Cassandra keeps its raw text).
func (p *parser) propertyValue() Term {
	t := p.peek()
	switch {
	case t.isOp("{"):
		v := p.braces(false)
		if c, ok := v.(*CollectionLiteral); ok && c.Kind == "map" {
			// Cassandra's convertPropertyMap refuses a key given twice
			// ("Multiple definition for property"); keys are compared
			// as written.
			seen := make(map[string]bool, len(c.Entries))
			for _, e := range c.Entries {
				if k, ok := e.Key.(*Literal); ok {
					if seen[k.Text] {
						failNear(k.Pos, k.Text, "multiple definition for property "+k.Text)
					}
					seen[k.Text] = true
				}
			}
		}
		return v
	case t.Kind == TokIdent && !IsReserved(strings.ToLower(t.Text)) &&
		!t.is("nan") && !t.is("infinity"):
		p.i++
		return p.lit(LitString, t.Text, t.Pos)
	}
	v := p.unary(false)
	if _, ok := v.(*Literal); !ok {
		failNear(v.Position(), "", "expected an option value (a constant or a map)")
	}
	return v
}

func (p *parser) createType(start *Token) Stmt {
	s := &CreateType{Pos: start.Pos}
	s.IfNotExists = p.ifNotExists()
	s.Name = p.typeName()
	p.expectOp("(", "after type name")
	for {
		f := FieldDef{Name: p.ident("field name")}
		f.Type = p.typ()
		s.Fields = append(s.Fields, f)
		if !p.acceptOp(",") || p.atOp(")") {
			break
		}
	}
	p.expectOp(")", "to close the field list")
	return s
}

func (p *parser) createIndex(start *Token) Stmt {
	s := &CreateIndex{Pos: start.Pos}
	s.Custom = p.acceptKw("custom")
	p.expectKw("index", "after CREATE CUSTOM")
	s.IfNotExists = p.ifNotExists()
	if !p.atKw("on") {
		n := p.ident("index name")
		s.Name = &n
	}
	p.expectKw("on", "after index name")
	s.Table = p.qualified("table name")
	p.expectOp("(", "after table name")
	s.Targets = make([]IndexTarget, 0, 1)
	if !p.atOp(")") {
		for {
			s.Targets = append(s.Targets, p.indexTarget())
			if !p.acceptOp(",") {
				break
			}
		}
	}
	p.expectOp(")", "to close the index target")
	if p.acceptKw("using") {
		s.Using, _ = p.stringLit("index class")
	}
	if p.acceptKw("with") {
		s.Options = p.properties()
	}
	return s
}

func (p *parser) indexTarget() IndexTarget {
	t := p.peek()
	for _, k := range [...]string{"keys", "values", "entries", "full"} {
		if t.is(k) && p.peekN(1).isOp("(") {
			p.i += 2
			c := p.ident("column name")
			p.expectOp(")", "after "+k+"(column")
			return IndexTarget{Column: c, Kind: k}
		}
	}
	return IndexTarget{Column: p.ident("indexed column")}
}

func (p *parser) createView(start *Token) Stmt {
	s := &CreateView{Pos: start.Pos}
	s.IfNotExists = p.ifNotExists()
	s.Name = p.qualified("view name")
	p.expectKw("as", "after view name")
	p.expectKw("select", "after AS")
	if !p.acceptOp("*") {
		for {
			s.Columns = append(s.Columns, p.ident("column name"))
			if !p.acceptOp(",") {
				break
			}
		}
	}
	p.expectKw("from", "after the selected columns")
	s.Base = p.qualified("base table name")
	if p.acceptKw("where") {
		s.Where = p.where()
	}
	p.expectKw("primary", "(a view needs PRIMARY KEY (...))")
	p.expectKw("key", "after PRIMARY")
	p.expectOp("(", "after PRIMARY KEY")
	s.PartitionKey, s.Clustering = p.primaryKey()
	if p.acceptKw("with") {
		for {
			switch {
			case p.atKw("compact") && p.peekN(1).is("storage"):
				p.failAt(p.peek(), "COMPACT STORAGE is not allowed on materialized views")
			case p.atKw("clustering") && p.peekN(1).is("order"):
				s.ClusteringOrder = p.clusteringOrder()
			default:
				s.Options = append(s.Options, p.property())
			}
			if !p.acceptKw("and") {
				break
			}
		}
	}
	return s
}

func (p *parser) createFunction(start *Token, orReplace bool) Stmt {
	s := &CreateFunction{Pos: start.Pos, OrReplace: orReplace}
	s.IfNotExists = p.ifNotExists()
	s.Name = p.functionName("function name")
	p.expectOp("(", "after function name")
	s.Params = []Param{}
	if !p.atOp(")") {
		for {
			pr := Param{Name: p.ident("parameter name")}
			pr.Type = p.typ()
			s.Params = append(s.Params, pr)
			if !p.acceptOp(",") {
				break
			}
		}
	}
	p.expectOp(")", "to close the parameter list")
	switch {
	case p.acceptKw("called"):
		s.CalledOnNull = true
	case p.acceptKw("returns"):
		p.expectKw("null", "after RETURNS (RETURNS NULL ON NULL INPUT)")
	default:
		p.failAt(p.peek(), "expected CALLED ON NULL INPUT or RETURNS NULL ON NULL INPUT")
	}
	p.expectKw("on", "(CALLED|RETURNS NULL) ON NULL INPUT")
	p.expectKw("null", "after ON")
	p.expectKw("input", "after ON NULL")
	p.expectKw("returns", "before the return type")
	s.Returns = p.typ()
	p.expectKw("language", "after the return type")
	lang := p.peek()
	if lang.Kind != TokIdent {
		p.failAt(lang, "expected language name")
	}
	p.i++
	s.Language = strings.ToLower(lang.Text)
	p.expectKw("as", "before the function body")
	s.Body, _ = p.stringLit("function body")
	return s
}

func (p *parser) createAggregate(start *Token, orReplace bool) Stmt {
	s := &CreateAggregate{Pos: start.Pos, OrReplace: orReplace}
	s.IfNotExists = p.ifNotExists()
	s.Name = p.functionName("aggregate name")
	s.ArgTypes = p.typeList("after aggregate name")
	p.expectKw("sfunc", "after the argument types")
	s.SFunc = p.unqualifiedFunction("state function name")
	p.expectKw("stype", "after SFUNC")
	s.SType = p.typ()
	if p.acceptKw("finalfunc") {
		f := p.unqualifiedFunction("final function name")
		s.FinalFunc = &f
	}
	if p.acceptKw("initcond") {
		s.InitCond = p.expr(false)
	}
	return s
}

// roleOptions parses the options after CREATE/ALTER ROLE ... WITH.
func (p *parser) roleOptions() []Property {
	var out []Property
	for {
		t := p.peek()
		prop := Property{Pos: t.Pos}
		switch {
		case p.acceptKw("password"):
			prop.Name = RoleOptPassword
			p.expectOp("=", "after PASSWORD")
			v, vt := p.stringLit("password")
			prop.Value = p.lit(LitString, v, vt.Pos)
		case p.acceptKws("hashed", "password"):
			prop.Name = RoleOptHashedPassword
			p.expectOp("=", "after HASHED PASSWORD")
			v, vt := p.stringLit("hashed password")
			prop.Value = p.lit(LitString, v, vt.Pos)
		case p.acceptKws("generated", "password"):
			prop.Name = RoleOptGeneratedPassword
		case p.acceptKw("login"), p.acceptKw("superuser"):
			prop.Name = strings.ToLower(t.Text)
			p.expectOp("=", "after "+strings.ToUpper(prop.Name))
			b := p.peek()
			if b.Kind != TokBoolean {
				p.failAt(b, "expected true or false")
			}
			p.i++
			prop.Value = p.lit(LitBoolean, b.Value(), b.Pos)
		case p.acceptKw("options"):
			prop.Name = RoleOptOptions
			p.expectOp("=", "after OPTIONS")
			if !p.atOp("{") {
				p.failAt(p.peek(), "expected a map after OPTIONS =")
			}
			prop.Value = p.braces(false)
		case p.acceptKws("access", "to", "all", "datacenters"):
			prop.Name = RoleOptAllDatacenters
		case p.acceptKws("access", "to", "datacenters"):
			prop.Name = RoleOptDatacenters
			prop.Value = p.stringSet("datacenter name")
		case p.acceptKws("access", "from", "all", "cidrs"):
			prop.Name = RoleOptAllCIDRs
		case p.acceptKws("access", "from", "cidrs"):
			prop.Name = RoleOptCIDRs
			prop.Value = p.stringSet("CIDR group name")
		default:
			p.failAt(t, "expected a role option (PASSWORD, HASHED PASSWORD, GENERATED PASSWORD, LOGIN, SUPERUSER, OPTIONS, ACCESS TO ..., ACCESS FROM ...)")
		}
		out = append(out, prop)
		if !p.acceptKw("and") {
			return out
		}
	}
}

// stringSet parses { 'a', 'b' } as a set literal of strings.
func (p *parser) stringSet(what string) Term {
	open := p.expectOp("{", "before the "+what+"s")
	c := p.colls.new(CollectionLiteral{Kind: "set", Pos: open.Pos})
	for {
		v, t := p.stringLit(what)
		c.Elements = append(c.Elements, p.lit(LitString, v, t.Pos))
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectOp("}", "to close the set")
	return c
}

// userOptions parses [WITH [HASHED] PASSWORD 'p' | WITH GENERATED PASSWORD]
// [SUPERUSER | NOSUPERUSER].
func (p *parser) userOptions() (pw *string, hashed, generated bool, super *bool) {
	if p.acceptKw("with") {
		switch {
		case p.acceptKw("password"):
			v, _ := p.stringLit("password")
			pw = &v
		case p.acceptKws("hashed", "password"):
			v, _ := p.stringLit("hashed password")
			pw, hashed = &v, true
		case p.acceptKws("generated", "password"):
			generated = true
		default:
			p.failAt(p.peek(), "expected PASSWORD, HASHED PASSWORD or GENERATED PASSWORD after WITH")
		}
	}
	switch {
	case p.acceptKw("superuser"):
		b := true
		super = &b
	case p.acceptKw("nosuperuser"):
		b := false
		super = &b
	}
	return
}

func (p *parser) alter() Stmt {
	start := p.next()
	t := p.peek()
	switch {
	case t.is("keyspace"), t.is("schema"):
		p.i++
		s := &AlterKeyspace{Pos: start.Pos}
		s.IfExists = p.ifExists()
		s.Name = p.ident("keyspace name")
		p.expectKw("with", "after keyspace name")
		s.Options = p.properties()
		return s
	case t.is("table"), t.is("columnfamily"):
		p.i++
		return p.alterTable(start)
	case t.is("type"):
		p.i++
		return p.alterType(start)
	case t.is("materialized"):
		p.i++
		p.expectKw("view", "after MATERIALIZED")
		s := &AlterView{Pos: start.Pos}
		s.IfExists = p.ifExists()
		s.Name = p.qualified("view name")
		p.expectKw("with", "after view name")
		s.Options = p.properties()
		return s
	case t.is("role"):
		p.i++
		s := &AlterRole{Pos: start.Pos}
		s.IfExists = p.ifExists()
		s.Name = p.roleName()
		if p.acceptKw("with") {
			s.Options = p.roleOptions()
		}
		return s
	case t.is("user"):
		p.i++
		s := &AlterUser{Pos: start.Pos}
		s.IfExists = p.ifExists()
		s.Name = p.userName()
		s.Password, s.Hashed, s.Generated, s.Superuser = p.userOptions()
		return s
	}
	p.failAt(t, "expected KEYSPACE, TABLE, TYPE, MATERIALIZED VIEW, ROLE or USER after ALTER")
	return nil
}

func (p *parser) alterTable(start *Token) Stmt {
	s := &AlterTable{Pos: start.Pos}
	s.IfExists = p.ifExists()
	s.Name = p.qualified("table name")
	t := p.peek()
	switch {
	case p.acceptKw("alter"):
		s.IfColumnExists = p.ifExists()
		c := p.ident("column name")
		s.Column = &c
		switch {
		case p.atKw("type") && s.IfColumnExists:
			p.failAt(p.peek(), "ALTER ... TYPE does not take IF EXISTS; expected MASKED WITH or DROP MASKED")
		case p.atKw("type"):
			p.i++
			s.Action = AlterTableAlterType
			ty := p.typ()
			s.Type = &ty
		case p.atKw("masked"):
			s.Action = AlterTableMask
			s.Mask = p.mask()
		case p.acceptKws("drop", "masked"):
			s.Action = AlterTableDropMask
		default:
			p.failAt(p.peek(), "expected TYPE, MASKED WITH or DROP MASKED after ALTER "+c.Name)
		}
	case p.acceptKw("add"):
		s.Action = AlterTableAdd
		s.IfColumnNotExists = p.ifNotExists()
		if p.acceptOp("(") {
			for {
				s.Add = append(s.Add, p.columnDef(false))
				if !p.acceptOp(",") {
					break
				}
			}
			p.expectOp(")", "to close the column list")
		} else {
			s.Add = []ColumnDef{p.columnDef(false)}
		}
	case p.atKw("drop") && p.peekN(1).is("compact") && p.peekN(2).is("storage"):
		p.i += 3
		s.Action = AlterTableDropCompactStorage
	case p.acceptKw("drop"):
		s.Action = AlterTableDrop
		s.IfColumnExists = p.ifExists()
		if p.atOp("(") {
			s.Drop = p.identTuple("")
		} else {
			s.Drop = []Ident{p.ident("column name")}
		}
		if p.acceptKw("using") {
			p.expectKw("timestamp", "after USING")
			ts := p.peek()
			if ts.Kind != TokInteger {
				p.failAt(ts, "expected an integer timestamp")
			}
			p.i++
			s.DropTimestamp = p.lit(LitInteger, ts.Text, ts.Pos)
		}
	case p.acceptKw("rename"):
		s.Action = AlterTableRename
		s.IfColumnExists = p.ifExists()
		s.Renames = p.renames("column name")
	case p.acceptKw("with"):
		s.Action = AlterTableWith
		s.Options = p.properties()
	default:
		p.failAt(t, "expected ADD, DROP, ALTER, RENAME or WITH after table name")
	}
	return s
}

func (p *parser) renames(what string) []Rename {
	var out []Rename
	for {
		r := Rename{From: p.ident(what)}
		p.expectKw("to", "after "+r.From.Name)
		r.To = p.ident("new " + what)
		out = append(out, r)
		if !p.acceptKw("and") {
			return out
		}
	}
}

func (p *parser) alterType(start *Token) Stmt {
	s := &AlterType{Pos: start.Pos}
	s.IfExists = p.ifExists()
	s.Name = p.typeName()
	t := p.peek()
	switch {
	case p.acceptKw("alter"):
		s.Action = AlterTypeAlter
		f := FieldDef{Name: p.ident("field name")}
		p.expectKw("type", "after field name")
		f.Type = p.typ()
		s.Field = &f
	case p.acceptKw("add"):
		s.Action = AlterTypeAdd
		s.IfFieldNotExists = p.ifNotExists()
		f := FieldDef{Name: p.ident("field name")}
		f.Type = p.typ()
		s.Field = &f
	case p.acceptKw("rename"):
		s.Action = AlterTypeRename
		s.IfFieldExists = p.ifExists()
		s.Renames = p.renames("field name")
	default:
		p.failAt(t, "expected ADD, RENAME or ALTER after type name")
	}
	return s
}

func (p *parser) drop() Stmt {
	start := p.next()
	t := p.peek()
	switch {
	case t.is("keyspace"), t.is("schema"):
		p.i++
		s := &DropKeyspace{Pos: start.Pos}
		s.IfExists = p.ifExists()
		s.Name = p.ident("keyspace name")
		return s
	case t.is("table"), t.is("columnfamily"):
		p.i++
		s := &DropTable{Pos: start.Pos}
		s.IfExists = p.ifExists()
		s.Name = p.qualified("table name")
		return s
	case t.is("type"):
		p.i++
		s := &DropType{Pos: start.Pos}
		s.IfExists = p.ifExists()
		s.Name = p.typeName()
		return s
	case t.is("index"):
		p.i++
		s := &DropIndex{Pos: start.Pos}
		s.IfExists = p.ifExists()
		s.Name = p.qualified("index name")
		return s
	case t.is("materialized"):
		p.i++
		p.expectKw("view", "after MATERIALIZED")
		s := &DropView{Pos: start.Pos}
		s.IfExists = p.ifExists()
		s.Name = p.qualified("view name")
		return s
	case t.is("function"):
		p.i++
		s := &DropFunction{Pos: start.Pos}
		s.IfExists = p.ifExists()
		s.Name = p.functionName("function name")
		if p.atOp("(") {
			s.HasArgs = true
			s.ArgTypes = p.typeList("")
		}
		return s
	case t.is("aggregate"):
		p.i++
		s := &DropAggregate{Pos: start.Pos}
		s.IfExists = p.ifExists()
		s.Name = p.functionName("aggregate name")
		if p.atOp("(") {
			s.HasArgs = true
			s.ArgTypes = p.typeList("")
		}
		return s
	case t.is("trigger"):
		p.i++
		s := &DropTrigger{Pos: start.Pos}
		s.IfExists = p.ifExists()
		s.Name = p.ident("trigger name")
		p.expectKw("on", "after trigger name")
		s.Table = p.qualified("table name")
		return s
	case t.is("role"):
		p.i++
		s := &DropRole{Pos: start.Pos}
		s.IfExists = p.ifExists()
		s.Name = p.roleName()
		return s
	case t.is("user"):
		p.i++
		s := &DropUser{Pos: start.Pos}
		s.IfExists = p.ifExists()
		s.Name = p.userName()
		return s
	case t.is("identity"):
		p.i++
		s := &DropIdentity{Pos: start.Pos}
		s.IfExists = p.ifExists()
		s.Identity = p.identity()
		return s
	}
	p.failAt(t, "expected KEYSPACE, TABLE, TYPE, INDEX, MATERIALIZED VIEW, FUNCTION, AGGREGATE, TRIGGER, ROLE, USER or IDENTITY after DROP")
	return nil
}

// identity parses an mTLS identity: a string or an identifier (as written).
func (p *parser) identity() string {
	t := p.peek()
	switch t.Kind {
	case TokString:
		p.i++
		return t.Value()
	case TokIdent:
		p.i++
		return t.Text
	}
	p.failAt(t, "expected an identity string")
	return ""
}

func (p *parser) addIdentity() Stmt {
	start := p.next()
	p.expectKw("identity", "after ADD")
	s := &AddIdentity{Pos: start.Pos}
	s.IfNotExists = p.ifNotExists()
	s.Identity = p.identity()
	p.expectKw("to", "after the identity")
	p.expectKw("role", "after TO")
	t := p.peek()
	s.Role = Ident{Name: p.identity(), Quoted: t.Kind == TokString, Pos: t.Pos}
	return s
}

// --- permissions ---

var permissionNames = map[string]bool{
	"create": true, "alter": true, "drop": true, "select": true, "modify": true,
	"authorize": true, "describe": true, "execute": true, "unmask": true,
	"select_masked": true,
}

// atPermissions reports whether a permission list starts here (rather than a
// role name, for GRANT role TO role).
func (p *parser) atPermissions() bool {
	t := p.peek()
	if t.Kind != TokIdent {
		return false
	}
	if permissionNames[strings.ToLower(t.Text)] {
		return true
	}
	return t.is("all") && (p.peekN(1).is("permissions") || p.peekN(1).is("on"))
}

func (p *parser) permissions() []string {
	if p.acceptKw("all") {
		p.acceptKw("permissions")
		return []string{"ALL"}
	}
	var out []string
	for {
		t := p.peek()
		if t.Kind != TokIdent || !permissionNames[strings.ToLower(t.Text)] {
			p.failAt(t, "expected a permission (CREATE, ALTER, DROP, SELECT, MODIFY, AUTHORIZE, DESCRIBE, EXECUTE, UNMASK, SELECT_MASKED or ALL)")
		}
		p.i++
		out = append(out, strings.ToUpper(t.Text))
		p.acceptKw("permission")
		if !p.acceptOp(",") {
			return out
		}
	}
}

func (p *parser) resource() Resource {
	t := p.peek()
	switch {
	case p.acceptKws("all", "keyspaces"):
		return Resource{Kind: ResourceAllKeyspaces}
	case p.acceptKws("all", "tables", "in", "keyspace"):
		ks := p.ident("keyspace name")
		return Resource{Kind: ResourceAllTables, Name: &QualifiedName{Name: ks}}
	case p.acceptKws("all", "roles"):
		return Resource{Kind: ResourceAllRoles}
	case p.acceptKws("all", "functions", "in", "keyspace"):
		ks := p.ident("keyspace name")
		return Resource{Kind: ResourceAllFunctionsKeyspace, Name: &QualifiedName{Name: ks}}
	case p.acceptKws("all", "functions"):
		return Resource{Kind: ResourceAllFunctions}
	case p.acceptKws("all", "mbeans"):
		return Resource{Kind: ResourceAllMBeans}
	case p.acceptKw("keyspace"):
		ks := p.ident("keyspace name")
		return Resource{Kind: ResourceKeyspace, Name: &QualifiedName{Name: ks}}
	case p.acceptKw("role"):
		r := p.roleName()
		return Resource{Kind: ResourceRole, Name: &QualifiedName{Name: r}}
	case t.is("function") && !p.peekN(1).isOp("."):
		p.i++
		fn := p.functionName("function name")
		return Resource{Kind: ResourceFunction, Name: &fn, ArgTypes: p.typeList("after function name (argument types are required)")}
	case t.is("mbean") && p.peekN(1).Kind == TokString:
		p.i++
		v, _ := p.stringLit("MBean name")
		return Resource{Kind: ResourceMBean, Pattern: v}
	case t.is("mbeans") && p.peekN(1).Kind == TokString:
		p.i++
		v, _ := p.stringLit("MBean pattern")
		return Resource{Kind: ResourceMBeans, Pattern: v}
	}
	if !p.acceptKw("table") {
		p.acceptKw("columnfamily")
	}
	q := p.qualified("resource (table, KEYSPACE ks, ALL KEYSPACES, ROLE r, FUNCTION f(...), ...)")
	return Resource{Kind: ResourceTable, Name: &q}
}

func (p *parser) grant() Stmt {
	start := p.next()
	if p.atPermissions() {
		s := &Grant{Pos: start.Pos, Permissions: p.permissions()}
		p.expectKw("on", "after the permissions")
		s.Resource = p.resource()
		p.expectKw("to", "after the resource")
		s.Role = p.roleName()
		return s
	}
	s := &GrantRole{Pos: start.Pos, Role: p.roleName()}
	p.expectKw("to", "after the role name")
	s.Grantee = p.roleName()
	return s
}

func (p *parser) revoke() Stmt {
	start := p.next()
	if p.atPermissions() {
		s := &Revoke{Pos: start.Pos, Permissions: p.permissions()}
		p.expectKw("on", "after the permissions")
		s.Resource = p.resource()
		p.expectKw("from", "after the resource")
		s.Role = p.roleName()
		return s
	}
	s := &RevokeRole{Pos: start.Pos, Role: p.roleName()}
	p.expectKw("from", "after the role name")
	s.Revokee = p.roleName()
	return s
}

func (p *parser) list() Stmt {
	start := p.next()
	switch {
	case p.acceptKw("roles"):
		s := &ListRoles{Pos: start.Pos}
		if p.acceptKw("of") {
			r := p.roleName()
			s.Of = &r
		}
		s.NoRecursive = p.acceptKw("norecursive")
		return s
	case p.acceptKw("users"):
		return &ListUsers{Pos: start.Pos}
	}
	if !p.atPermissions() && !p.atKw("all") {
		p.failAt(p.peek(), "expected ROLES, USERS or permissions after LIST")
	}
	s := &ListPermissions{Pos: start.Pos, Permissions: p.permissions()}
	if p.acceptKw("on") {
		r := p.resource()
		s.Resource = &r
	}
	if p.acceptKw("of") {
		r := p.roleName()
		s.Of = &r
	}
	s.NoRecursive = p.acceptKw("norecursive")
	return s
}

// --- DML ---

func (p *parser) using() []UsingParam {
	var out []UsingParam
	for {
		t := p.peek()
		var kind string
		switch {
		case p.acceptKw("ttl"):
			kind = "TTL"
		case p.acceptKw("timestamp"):
			kind = "TIMESTAMP"
		default:
			p.failAt(t, "expected TTL or TIMESTAMP after USING")
		}
		out = append(out, UsingParam{Kind: kind, Value: p.intValue(kind)})
		if !p.acceptKw("and") {
			return out
		}
	}
}

// intValue parses an integer literal or a bind marker.
func (p *parser) intValue(what string) Term {
	t := p.peek()
	if t.Kind == TokInteger {
		p.i++
		return p.lit(LitInteger, t.Text, t.Pos)
	}
	if t.isOp("?") || t.isOp(":") {
		return p.primary(false)
	}
	p.failAt(t, "expected an integer or a bind marker for "+what)
	return nil
}

func (p *parser) insert() Stmt {
	start := p.next()
	p.expectKw("into", "after INSERT")
	s := &Insert{Pos: start.Pos}
	s.Table = p.qualified("table name")
	if p.acceptKw("json") {
		t := p.peek()
		switch {
		case t.Kind == TokString:
			p.i++
			s.JSON = p.lit(LitString, t.Value(), t.Pos)
		case t.isOp("?") || t.isOp(":"):
			s.JSON = p.primary(false)
		default:
			p.failAt(t, "expected a JSON string or a bind marker after JSON")
		}
		if p.acceptKw("default") {
			switch {
			case p.acceptKw("null"):
				s.Default = "NULL"
			case p.acceptKw("unset"):
				s.Default = "UNSET"
			default:
				p.failAt(p.peek(), "expected NULL or UNSET after DEFAULT")
			}
		}
	} else {
		s.Columns = p.identTuple("after table name (or JSON)")
		s.Values = make([]Term, 0, len(s.Columns))
		p.expectKw("values", "after the column list")
		p.expectOp("(", "after VALUES")
		for {
			s.Values = append(s.Values, p.expr(false))
			if !p.acceptOp(",") {
				break
			}
		}
		p.expectOp(")", "to close the values")
	}
	s.IfNotExists = p.ifNotExists()
	if p.acceptKw("using") {
		s.Using = p.using()
	}
	return s
}

func (p *parser) update() Stmt {
	start := p.next()
	s := &Update{Pos: start.Pos}
	s.Table = p.qualified("table name")
	if p.acceptKw("using") {
		s.Using = p.using()
	}
	p.expectKw("set", "after table name")
	for {
		s.Assignments = append(s.Assignments, p.assignment())
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectKw("where", "after the assignments")
	s.Where = p.where()
	s.IfExists, s.Conditions = p.ifClause()
	return s
}

func (p *parser) assignment() Assignment {
	a := Assignment{Column: p.ident("column name")}
	a.Index, a.Field = p.elementOrField("to close the element index")
	t := p.peek()
	switch {
	case t.isOp("=") || (a.Index == nil && a.Field == nil && (t.isOp("+=") || t.isOp("-="))):
		p.i++
		a.Op = t.Text
	default:
		p.failAt(t, `expected "=", "+=" or "-=" in the assignment to `+a.Column.Name)
	}
	a.Value = p.expr(true)
	return a
}

// elementOrField parses what may follow the column name of an assignment,
// an IF condition or a DELETE selection: "[" term "]" (closing names the
// "]" in the error) or "." field, or nothing.
func (p *parser) elementOrField(closing string) (Term, *Ident) {
	switch {
	case p.acceptOp("["):
		e := p.expr(false)
		p.expectOp("]", closing)
		return e, nil
	case p.acceptOp("."):
		f := p.ident("field name")
		return nil, &f
	}
	return nil, nil
}

func (p *parser) ifClause() (exists bool, conds []Condition) {
	if !p.acceptKw("if") {
		return false, nil
	}
	if p.atKw("exists") {
		n := p.peekN(1)
		if !(isRelOp(n) || n.is("in") || n.is("contains") || n.isOp("[") || n.isOp(".")) {
			p.i++
			return true, nil
		}
	}
	for {
		conds = append(conds, p.condition())
		if !p.acceptKw("and") {
			return false, conds
		}
	}
}

func (p *parser) condition() Condition {
	c := Condition{Column: p.ident("column name in IF condition")}
	c.Element, c.Field = p.elementOrField("to close the element")
	t := p.peek()
	switch {
	case isRelOp(t):
		p.i++
		c.Op = t.Text
		c.Value = p.expr(false)
	case p.acceptKw("in"):
		c.Op = "IN"
		c.Value, c.Values = p.inValues()
	case c.Element == nil && c.Field == nil && p.acceptKw("contains"):
		c.Op = "CONTAINS"
		if p.acceptKw("key") {
			c.Op = "CONTAINS KEY"
		}
		c.Value = p.expr(false)
	default:
		p.failAt(t, "expected an operator (=, !=, <, <=, >, >=, IN, CONTAINS) in IF condition on "+c.Column.Name)
	}
	return c
}

func isRelOp(t *Token) bool {
	if t.Kind != TokOp {
		return false
	}
	switch t.Text {
	case "=", "!=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

// inValues parses the right side of IN: "(" [terms] ")" or a bind marker.
func (p *parser) inValues() (Term, []Term) {
	t := p.peek()
	if t.isOp("?") || t.isOp(":") {
		return p.primary(false), nil
	}
	p.expectOp("(", "after IN")
	vals := []Term{}
	if p.acceptOp(")") {
		return nil, vals
	}
	for {
		vals = append(vals, p.expr(false))
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectOp(")", "to close the IN list")
	return nil, vals
}

func (p *parser) delete() Stmt {
	start := p.next()
	s := &Delete{Pos: start.Pos}
	if !p.atKw("from") {
		for {
			d := DeleteSelection{Column: p.ident("column name")}
			d.Element, d.Field = p.elementOrField("to close the element")
			s.Columns = append(s.Columns, d)
			if !p.acceptOp(",") {
				break
			}
		}
	}
	p.expectKw("from", "after DELETE")
	s.Table = p.qualified("table name")
	if p.acceptKw("using") {
		p.expectKw("timestamp", "after USING (DELETE accepts only USING TIMESTAMP)")
		s.Using = []UsingParam{{Kind: "TIMESTAMP", Value: p.intValue("TIMESTAMP")}}
	}
	p.expectKw("where", "after table name")
	s.Where = p.where()
	s.IfExists, s.Conditions = p.ifClause()
	return s
}

func (p *parser) batch() Stmt {
	start := p.next()
	s := &Batch{Pos: start.Pos}
	switch {
	case p.acceptKw("unlogged"):
		s.Type = "UNLOGGED"
	case p.acceptKw("counter"):
		s.Type = "COUNTER"
	}
	p.expectKw("batch", "after BEGIN")
	if p.acceptKw("using") {
		s.Using = p.using()
	}
	s.Statements = []Stmt{}
	for {
		t := p.peek()
		switch {
		case t.is("insert"):
			s.Statements = append(s.Statements, p.insert())
		case t.is("update"):
			s.Statements = append(s.Statements, p.update())
		case t.is("delete"):
			s.Statements = append(s.Statements, p.delete())
		case p.acceptKws("apply", "batch"):
			return s
		default:
			p.failAt(t, "expected INSERT, UPDATE, DELETE or APPLY BATCH in batch")
		}
		p.acceptOp(";")
	}
}

func (p *parser) selectStmt() Stmt {
	start := p.next()
	s := &Select{Pos: start.Pos}
	if p.atKw("json") && p.startsSelectClause(1) {
		p.i++
		s.JSON = true
	}
	if p.atKw("distinct") && p.startsSelectClause(1) {
		p.i++
		s.Distinct = true
	}
	if !p.acceptOp("*") {
		for {
			sel := Selector{Expr: p.expr(true)}
			if p.acceptKw("as") {
				a := p.ident("alias")
				sel.Alias = &a
			}
			s.Selectors = append(s.Selectors, sel)
			if !p.acceptOp(",") {
				break
			}
		}
	}
	p.expectKw("from", "after the selected columns")
	s.Table = p.qualified("table name")
	if p.acceptKw("where") {
		s.Where = p.where()
	}
	if p.acceptKws("group", "by") {
		for {
			s.GroupBy = append(s.GroupBy, p.expr(true))
			if !p.acceptOp(",") {
				break
			}
		}
	}
	if p.acceptKws("order", "by") {
		for {
			o := Ordering{Column: p.ident("column name")}
			if p.acceptKws("ann", "of") {
				o.ANN = p.expr(false)
			}
			if !p.acceptKw("asc") && p.acceptKw("desc") {
				o.Desc = true
			}
			s.OrderBy = append(s.OrderBy, o)
			if !p.acceptOp(",") {
				break
			}
		}
	}
	if p.acceptKws("per", "partition", "limit") {
		s.PerPartitionLimit = p.intValue("PER PARTITION LIMIT")
	}
	if p.acceptKw("limit") {
		s.Limit = p.intValue("LIMIT")
	}
	if p.acceptKws("allow", "filtering") {
		s.AllowFiltering = true
	}
	return s
}

// startsSelectClause reports whether the token n ahead can start a select
// clause, which tells the keywords JSON and DISTINCT from columns of that name.
func (p *parser) startsSelectClause(n int) bool {
	t := p.peekN(n)
	switch t.Kind {
	case TokEOF:
		return false
	case TokIdent:
		return !t.is("from") && !t.is("as")
	case TokOp:
		switch t.Text {
		case "*", "(", "[", "{", "?", ":", "-":
			return true
		}
		return false
	}
	return true
}

func (p *parser) where() []Relation {
	out := make([]Relation, 0, 4)
	for {
		out = append(out, p.relation())
		if !p.acceptKw("and") {
			return out
		}
	}
}

func (p *parser) relation() Relation {
	t := p.peek()
	r := Relation{Pos: t.Pos}
	switch {
	case t.isOp("("):
		n1, n2 := p.peekN(1), p.peekN(2)
		if isIdentTok(n1) && (n2.isOp(",") || n2.isOp(")")) {
			r.Tuple = true
			r.Columns = p.identTuple("")
			p.relationRHS(&r, true)
			return r
		}
		p.enter(t)
		p.i++
		inner := p.relation()
		p.expectOp(")", "to close the parenthesised relation")
		p.depth--
		return inner
	case t.is("expr") && p.peekN(1).isOp("("):
		// A custom (SASI, SAI) index expression: expr(index_name, 'query').
		p.i += 2
		idx := p.qualified("index name")
		r.Index = &idx
		p.expectOp(",", "after the index name in expr(...)")
		r.Op = "EXPR"
		r.Value = p.expr(false)
		p.expectOp(")", "to close expr(...)")
		return r
	case t.is("token") && p.peekN(1).isOp("("):
		p.i++
		r.Token = true
		r.Columns = p.identTuple("")
		op := p.peek()
		switch {
		case isRelOp(op):
			p.i++
			r.Op = op.Text
			r.Value = p.expr(false)
		case p.acceptKw("between"):
			r.Op = "BETWEEN"
			r.Values = p.between()
		default:
			p.failAt(op, "expected a comparison operator after token(...)")
		}
		return r
	}
	r.Columns = []Ident{p.ident("column name in WHERE")}
	if p.acceptOp("[") {
		r.Element = p.expr(false)
		p.expectOp("]", "to close the map key")
		op := p.peek()
		if !isRelOp(op) {
			p.failAt(op, "expected a comparison operator after the map element")
		}
		p.i++
		r.Op = op.Text
		r.Value = p.expr(false)
		return r
	}
	p.relationRHS(&r, false)
	return r
}

// relationRHS parses the operator and value(s) of a relation.
func (p *parser) relationRHS(r *Relation, tuple bool) {
	t := p.peek()
	switch {
	case isRelOp(t):
		p.i++
		r.Op = t.Text
		r.Value = p.expr(false)
	case p.acceptKw("in"):
		r.Op = "IN"
		r.Value, r.Values = p.inValues()
	case p.acceptKws("not", "in"):
		r.Op = "NOT IN"
		r.Value, r.Values = p.inValues()
	case p.acceptKw("between"):
		r.Op = "BETWEEN"
		r.Values = p.between()
	case !tuple && p.acceptKw("like"):
		r.Op = "LIKE"
		r.Value = p.expr(false)
	case !tuple && p.acceptKws("is", "not", "null"):
		r.Op = "IS NOT NULL"
	case !tuple && p.acceptKw("contains"):
		r.Op = "CONTAINS"
		if p.acceptKw("key") {
			r.Op = "CONTAINS KEY"
		}
		r.Value = p.expr(false)
	case !tuple && p.acceptKws("not", "contains"):
		r.Op = "NOT CONTAINS"
		if p.acceptKw("key") {
			r.Op = "NOT CONTAINS KEY"
		}
		r.Value = p.expr(false)
	default:
		p.failAt(t, "expected an operator (=, !=, <, <=, >, >=, IN, CONTAINS, LIKE, BETWEEN, IS NOT NULL) in WHERE")
	}
}

func (p *parser) between() []Term {
	lo := p.expr(false)
	p.expectKw("and", "between the BETWEEN bounds")
	return []Term{lo, p.expr(false)}
}

// identTuple parses "(" column {, column} ")": the columns of INSERT, of a
// multi-column relation or of ALTER TABLE ... DROP (...). context is for
// the error when the "(" is missing.
func (p *parser) identTuple(context string) []Ident {
	p.expectOp("(", context)
	ids := make([]Ident, 0, p.countItems())
	for {
		ids = append(ids, p.ident("column name"))
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectOp(")", "to close the column list")
	return ids
}

// --- terms ---

// expr parses a term. With sel set it parses a selector: column names,
// field and element selection are allowed.
func (p *parser) expr(sel bool) Term {
	left := p.mulTail(sel, p.unary(sel))
	for {
		t := p.peek()
		switch {
		case t.isOp("+") || t.isOp("-"):
			p.i++
			right := p.mulTail(sel, p.unary(sel))
			left = &BinaryOp{Op: t.Text, Left: left, Right: right, Pos: left.Position()}
		case (t.Kind == TokInteger || t.Kind == TokFloat || t.Kind == TokDuration) && t.Text[0] == '-':
			// "x -1" lexes as x and -1, as in Cassandra: it is a subtraction.
			p.i++
			pos := t.Pos
			pos.Offset++
			pos.Col++
			right := p.mulTail(sel, p.lit(literalKinds[t.Kind], t.Text[1:], pos))
			left = &BinaryOp{Op: "-", Left: left, Right: right, Pos: left.Position()}
		default:
			return left
		}
	}
}

func (p *parser) mulTail(sel bool, left Term) Term {
	for {
		t := p.peek()
		if !(t.isOp("*") || t.isOp("/") || t.isOp("%")) {
			return left
		}
		p.i++
		right := p.unary(sel)
		left = &BinaryOp{Op: t.Text, Left: left, Right: right, Pos: left.Position()}
	}
}

func (p *parser) unary(sel bool) Term {
	t := p.peek()
	if t.isOp("-") {
		p.i++
		n := p.peek()
		if n.is("nan") || n.is("infinity") {
			p.i++
			return p.lit(literalKindOfWord(n.Text), "-"+n.Text, t.Pos)
		}
		p.enter(t)
		operand := p.unary(sel)
		p.depth--
		return &UnaryOp{Op: "-", Operand: operand, Pos: t.Pos}
	}
	return p.postfix(sel)
}

func literalKindOfWord(w string) LiteralKind {
	if equalFoldASCII(w, "nan") {
		return LitNaN
	}
	return LitInfinity
}

func (p *parser) postfix(sel bool) Term {
	x := p.primary(sel)
	if !sel {
		return x
	}
	for {
		t := p.peek()
		switch {
		case t.isOp("."):
			p.i++
			x = &FieldRef{Expr: x, Field: p.ident("field name"), Pos: x.Position()}
		case t.isOp("["):
			p.i++
			e := &ElementRef{Expr: x, Pos: x.Position()}
			if p.acceptOp("..") {
				e.Slice = true
				e.To = p.expr(false)
			} else {
				first := p.expr(false)
				if p.acceptOp("..") {
					e.Slice = true
					e.From = first
					if !p.atOp("]") {
						e.To = p.expr(false)
					}
				} else {
					e.Index = first
				}
			}
			p.expectOp("]", "to close the element selection")
			x = e
		default:
			return x
		}
	}
}

var literalKinds = [...]LiteralKind{
	TokString: LitString, TokDollarString: LitString, TokInteger: LitInteger,
	TokFloat: LitFloat, TokBoolean: LitBoolean, TokUUID: LitUUID, TokBlob: LitBlob,
	TokDuration: LitDuration,
}

// maxDepth bounds the nesting of terms and types, so that a pathological
// input ("[[[[...") is a syntax error rather than a huge stack.
const maxDepth = 200

func (p *parser) enter(t *Token) {
	p.depth++
	if p.depth > maxDepth {
		p.failAt(t, "nested too deeply")
	}
}

// primary parses a term without operators. The depth is not restored when
// parsing fails: the whole statement is abandoned then.
func (p *parser) primary(sel bool) Term {
	p.enter(p.peek())
	x := p.primary0(sel)
	p.depth--
	return x
}

func (p *parser) primary0(sel bool) Term {
	t := p.peek()
	switch t.Kind {
	case TokString, TokDollarString, TokInteger, TokFloat, TokBoolean, TokUUID, TokBlob, TokDuration:
		p.i++
		lit := p.lit(literalKinds[t.Kind], t.Text, t.Pos)
		switch t.Kind {
		case TokString, TokBoolean:
			lit.Text = t.Value()
		case TokDollarString:
			lit.Text, lit.Dollar = t.Value(), true
		}
		return lit
	case TokOp:
		switch t.Text {
		case "?":
			p.i++
			m := p.markerz.new(BindMarker{Index: p.markers, Pos: t.Pos})
			p.markers++
			return m
		case ":":
			p.i++
			id := p.ident("bind marker name")
			m := p.markerz.new(BindMarker{Name: id.Name, Index: p.markers, Pos: t.Pos})
			p.markers++
			return m
		case "[":
			p.i++
			c := p.colls.new(CollectionLiteral{Kind: "list", Pos: t.Pos, Elements: make([]Term, 0, 4)})
			if !p.acceptOp("]") {
				for {
					c.Elements = append(c.Elements, p.expr(sel))
					if !p.acceptOp(",") {
						break
					}
				}
				p.expectOp("]", "to close the list")
			}
			return c
		case "{":
			return p.braces(sel)
		case "(":
			return p.paren(sel)
		}
	case TokIdent:
		low := strings.ToLower(t.Text)
		switch low {
		case "null":
			p.i++
			return p.lit(LitNull, "null", t.Pos)
		case "nan", "infinity":
			p.i++
			return p.lit(literalKindOfWord(low), t.Text, t.Pos)
		case "cast":
			if p.peekN(1).isOp("(") {
				p.i += 2
				x := p.expr(sel)
				p.expectKw("as", "in CAST(... AS type)")
				ty := p.typ()
				p.expectOp(")", "to close CAST")
				return &Cast{Expr: x, Type: ty, Pos: t.Pos}
			}
		}
		if p.atCall() {
			return p.call(sel, t.Pos)
		}
		if sel && !IsReserved(low) {
			p.i++
			return p.cols.new(ColumnRef{Name: Ident{Name: low, Pos: t.Pos}, Pos: t.Pos})
		}
	case TokQuotedIdent:
		if p.atCall() {
			return p.call(sel, t.Pos)
		}
		if sel {
			p.i++
			return p.cols.new(ColumnRef{Name: Ident{Name: t.Value(), Quoted: true, Pos: t.Pos}, Pos: t.Pos})
		}
	}
	if sel {
		p.failAt(t, "expected a column, a value or a function call")
	}
	if t.Kind == TokQuotedIdent {
		p.failAt(t, "expected a value; double quotes make an identifier, strings take single quotes")
	}
	p.failAt(t, "expected a value (a constant, a bind marker, a collection or a function call)")
	return nil
}

// atCall reports whether the name at the current token starts a function
// call: f( or ks.f(.
func (p *parser) atCall() bool {
	return p.peekN(1).isOp("(") || (p.peekN(1).isOp(".") && p.peekN(3).isOp("("))
}

// call parses a function call from its name; pos is where the name starts.
func (p *parser) call(sel bool, pos Pos) Term {
	name := p.functionName("function name")
	p.expectOp("(", "after function name")
	return p.calls.new(FunctionCall{Name: name, Args: p.args(sel), Pos: pos})
}

// args parses function arguments after "(" up to and including ")".
func (p *parser) args(sel bool) []Term {
	args := make([]Term, 0, 4)
	if p.acceptOp(")") {
		return args
	}
	if t := p.peek(); t.isOp("*") && p.peekN(1).isOp(")") {
		p.i += 2
		return append(args, &Star{Pos: t.Pos})
	}
	for {
		args = append(args, p.expr(sel))
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectOp(")", "to close the function arguments")
	return args
}

// braces parses "{...}": an empty map, a map, a set or a user type literal.
func (p *parser) braces(sel bool) Term {
	open := p.expectOp("{", "")
	if p.acceptOp("}") {
		return p.colls.new(CollectionLiteral{Kind: "map", Pos: open.Pos})
	}
	if t := p.peek(); isIdentTok(t) && p.peekN(1).isOp(":") && !t.is("nan") && !t.is("infinity") {
		u := &UDTLiteral{Pos: open.Pos, Fields: make([]UDTField, 0, 4)}
		for {
			f := UDTField{Name: p.ident("field name")}
			p.expectOp(":", "after field name")
			f.Value = p.expr(sel)
			u.Fields = append(u.Fields, f)
			if !p.acceptOp(",") {
				break
			}
		}
		p.expectOp("}", "to close the user type literal")
		return u
	}
	first := p.expr(sel)
	if p.acceptOp(":") {
		c := p.colls.new(CollectionLiteral{Kind: "map", Pos: open.Pos, Entries: make([]MapEntry, 0, 4)})
		c.Entries = append(c.Entries, MapEntry{Key: first, Value: p.expr(sel)})
		for p.acceptOp(",") {
			k := p.expr(sel)
			p.expectOp(":", "between map key and value")
			c.Entries = append(c.Entries, MapEntry{Key: k, Value: p.expr(sel)})
		}
		p.expectOp("}", "to close the map")
		return c
	}
	c := p.colls.new(CollectionLiteral{Kind: "set", Pos: open.Pos, Elements: append(make([]Term, 0, 4), first)})
	for p.acceptOp(",") {
		c.Elements = append(c.Elements, p.expr(sel))
	}
	p.expectOp("}", "to close the set")
	return c
}

// paren parses "(" ...: a type hint "(type) term" or a tuple.
func (p *parser) paren(sel bool) Term {
	open := p.next()
	save, saveMarkers, saveDepth := p.i, p.markers, p.depth
	if ty, ok := p.tryTypeHint(); ok {
		return &TypeHint{Type: ty, Expr: p.unary(sel), Pos: open.Pos}
	}
	p.i, p.markers, p.depth = save, saveMarkers, saveDepth
	tup := &TupleLiteral{Pos: open.Pos, Elements: make([]Term, 0, 4)}
	for {
		tup.Elements = append(tup.Elements, p.expr(sel))
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectOp(")", "to close the tuple")
	if len(tup.Elements) == 1 {
		// "(a + b)" groups an operation; Cassandra has no one-element
		// tuple of an arithmetic result, so this loses nothing.
		if b, ok := tup.Elements[0].(*BinaryOp); ok {
			return b
		}
	}
	return tup
}

// tryTypeHint parses "type )" followed by the start of a term, or reports
// false leaving the position to be restored by the caller.
func (p *parser) tryTypeHint() (ty Type, ok bool) {
	t := p.peek()
	if t.Kind != TokIdent && t.Kind != TokQuotedIdent && t.Kind != TokString {
		return Type{}, false
	}
	defer func() {
		if r := recover(); r != nil {
			if _, isSyntax := r.(*SyntaxError); !isSyntax {
				panic(r)
			}
			ok = false
		}
	}()
	ty = p.typ()
	if !p.acceptOp(")") {
		return Type{}, false
	}
	n := p.peek()
	switch n.Kind {
	case TokString, TokDollarString, TokFloat, TokBoolean, TokUUID, TokBlob, TokDuration, TokInteger:
		if n.Text[0] == '-' && ty.IsUser() {
			return Type{}, false // "(a) -1" is a subtraction
		}
		return ty, true
	case TokQuotedIdent:
		return ty, true
	case TokIdent:
		low := strings.ToLower(n.Text)
		return ty, low != "as" && (!IsReserved(low) || low == "null" || low == "nan" || low == "infinity" || low == "token")
	case TokOp:
		switch n.Text {
		case "?", ":", "(", "[", "{":
			return ty, true
		}
	}
	return Type{}, false
}
