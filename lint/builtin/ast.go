package builtin

import (
	"strconv"
	"strings"

	"github.com/cqltrack/cqltrack/internal/cqlident"
	"github.com/cqltrack/cqltrack/lint/sdk"
	"github.com/cqltrack/cqltrack/plugins/abi"
)

// Helpers that read engine/cql's AST as JSON (docs/cql-support.md gives the
// shapes). sdk.Value lookups never fail, so a missing member reads as "".

// qualified renders a QualifiedName object as "ks.name" or "name", each
// part quoted when CQL needs it ("Shop".events), so a message names the
// object as it must be written.
func qualified(v sdk.Value) string {
	name := quoteIdent(v.Path("name", "name").Str())
	if ks := v.Path("keyspace", "name").Str(); ks != "" {
		return quoteIdent(ks) + "." + name
	}
	return name
}

// quoteIdent renders an identifier (as the AST holds it, case folded
// unless quoted) so that CQL reads it back as the same name.
func quoteIdent(name string) string { return cqlident.QuoteIdent(name) }

// pos reads a Pos object.
func pos(v sdk.Value) sdk.Pos {
	off, _ := v.Get("offset").Int()
	line, _ := v.Get("line").Int()
	col, _ := v.Get("column").Int()
	return sdk.Pos{Offset: int(off), Line: int(line), Column: int(col)}
}

// identPos is where an Ident object is, or the zero Pos.
func identPos(v sdk.Value) sdk.Pos { return pos(v.Get("pos")) }

// property finds a WITH option by name in an array of Property objects and
// returns it (null when absent).
func property(options sdk.Value, name string) sdk.Value {
	for _, p := range options.Items() {
		if strings.EqualFold(p.Get("name").Str(), name) {
			return p
		}
	}
	return sdk.Value{}
}

// mapLiteral reads a map literal term of string keys, as replication and
// compaction options are written, into key -> literal text. Keys stay as
// written: Cassandra looks option names ("class", "replication_factor") up
// exactly, and datacenter names are case-sensitive.
func mapLiteral(term sdk.Value) map[string]string {
	out := map[string]string{}
	for _, e := range term.Get("entries").Items() {
		out[e.Path("key", "text").Str()] = e.Path("value", "text").Str()
	}
	return out
}

// literalInt reads an integer literal term.
func literalInt(term sdk.Value) (int64, bool) {
	if term.Get("node").Str() != "literal" {
		return 0, false
	}
	n, err := strconv.ParseInt(term.Get("text").Str(), 10, 64)
	return n, err == nil
}

// shortClass strips the package of a Java class name as system_schema
// stores it: org.apache.cassandra.locator.SimpleStrategy -> SimpleStrategy.
func shortClass(class string) string {
	if i := strings.LastIndexByte(class, '.'); i >= 0 {
		return class[i+1:]
	}
	return class
}

// column finds a column of the table before the statement, or nil.
func column(t *sdk.Table, name string) *sdk.Column {
	if t == nil {
		return nil
	}
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// ddlKinds are the kinds a CREATE ... IF NOT EXISTS / DROP ... IF EXISTS
// rule looks at, by verb.
var (
	createKinds = []string{"CREATE KEYSPACE", "CREATE TABLE", "CREATE TYPE", "CREATE INDEX",
		"CREATE MATERIALIZED VIEW", "CREATE FUNCTION", "CREATE AGGREGATE", "CREATE TRIGGER",
		"CREATE ROLE", "CREATE USER"}
	dropKinds = []string{"DROP KEYSPACE", "DROP TABLE", "DROP TYPE", "DROP INDEX",
		"DROP MATERIALIZED VIEW", "DROP FUNCTION", "DROP AGGREGATE", "DROP TRIGGER",
		"DROP ROLE", "DROP USER"}
)

// objectName is the name a CREATE or DROP statement gives its object:
// "ks.t", "ks", "idx ON ks.t".
func objectName(ast sdk.Value) string {
	name := ast.Get("name")
	if name.Get("name").Kind() == abi.Object {
		return qualified(name) // a QualifiedName
	}
	if n := name.Get("name").Str(); n != "" {
		if t := ast.Get("table"); t.Has("name") {
			return quoteIdent(n) + " ON " + qualified(t)
		}
		return quoteIdent(n) // an Ident
	}
	if t := ast.Get("table"); t.Has("name") {
		return "ON " + qualified(t) // an index without a name
	}
	return ""
}

// astOf returns the AST of the pass's statement. Rules look up a few of
// its members each, over and over; the SDK decodes each AST with an index
// of its values and member names, so a lookup compares the names of one
// object's members and scans no JSON text (which, without the index, was
// most of the cost of linting inside the wasm guest).
func astOf(p *sdk.Pass) sdk.Value { return p.Statement.AST() }

// createdInUp reports whether the up section of the pass's file has a
// statement of kind create that names the same object as name (a
// QualifiedName, or an Ident for a keyspace): a DROP in the down section
// then undoes it. A name without a keyspace matches either way.
func createdInUp(p *sdk.Pass, create string, name sdk.Value) bool {
	ks, n := name.Path("keyspace", "name").Str(), name.Path("name", "name").Str()
	if name.Get("name").Kind() != abi.Object {
		ks, n = "", name.Get("name").Str() // an Ident
	}
	for _, s := range p.Statements {
		if s.Section != sdk.Up || s.Kind != create {
			continue
		}
		other := s.AST().Get("name")
		oks, on := other.Path("keyspace", "name").Str(), other.Path("name", "name").Str()
		if other.Get("name").Kind() != abi.Object {
			oks, on = "", other.Get("name").Str()
		}
		if on == n && (ks == oks || ks == "" || oks == "") {
			return true
		}
	}
	return false
}

// tableBefore is the table the pass's statement changes, as it was before,
// or nil.
func tableBefore(p *sdk.Pass) *sdk.Table {
	if p.Before == nil {
		return nil
	}
	return p.Before.Table
}

// addedInUp reports whether the up section of the pass's file has an
// ALTER TABLE of table (a QualifiedName) that ADDs column: a DROP of it in
// the down section then undoes it. A name without a keyspace matches
// either way.
func addedInUp(p *sdk.Pass, table sdk.Value, column string) bool {
	ks, n := table.Path("keyspace", "name").Str(), table.Path("name", "name").Str()
	for _, s := range p.Statements {
		if s.Section != sdk.Up || s.Kind != "ALTER TABLE" {
			continue
		}
		ast := s.AST()
		if ast.Get("action").Str() != "ADD" {
			continue
		}
		oks, on := ast.Path("name", "keyspace", "name").Str(), ast.Path("name", "name", "name").Str()
		if on != n || (ks != oks && ks != "" && oks != "") {
			continue
		}
		for _, c := range ast.Get("add").Items() {
			if c.Path("name", "name").Str() == column {
				return true
			}
		}
	}
	return false
}
