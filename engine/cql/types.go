package cql

import (
	"strconv"
	"strings"

	"github.com/cqltrack/cqltrack/internal/cqlident"
)

// Pos is a position in a source file: a 0-based byte offset and a 1-based
// line and column. Columns count Unicode code points, as editors show them.
type Pos struct {
	Offset int `json:"offset"`
	Line   int `json:"line"`
	Col    int `json:"column"`
}

// IsValid reports whether p was set (lines start at 1).
func (p Pos) IsValid() bool { return p.Line > 0 }

// String renders p as "line:col".
func (p Pos) String() string { return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col) }

// Ident is an identifier as Cassandra resolves it: an unquoted identifier is
// folded to lower case, a double-quoted one keeps its case exactly. Two
// identifiers name the same object when their Name fields are equal.
type Ident struct {
	Name   string `json:"name"`
	Quoted bool   `json:"quoted,omitempty"`
	Pos    Pos    `json:"pos"`
}

// String renders the identifier so that parsing it again yields the same
// Name: quoted when it would not survive unquoted (upper case, leading digit,
// punctuation, or a reserved keyword).
func (id Ident) String() string { return QuoteIdent(id.Name) }

// QuoteIdent renders name as a CQL identifier, adding double quotes (and
// doubling inner ones) only when the bare form would be read differently.
func QuoteIdent(name string) string { return cqlident.QuoteIdent(name) }

func needsQuotes(name string) bool { return cqlident.NeedsQuotes(name) }

// QualifiedName is an optionally keyspace-qualified object name such as
// ks.table, ks.type or a bare table.
type QualifiedName struct {
	Keyspace *Ident `json:"keyspace,omitempty"`
	Name     Ident  `json:"name"`
}

// String renders the name as CQL, keyspace first when present.
func (q QualifiedName) String() string {
	if q.Keyspace != nil {
		return q.Keyspace.String() + "." + q.Name.String()
	}
	return q.Name.String()
}

// KeyspaceOr returns the keyspace of q, or def when q is not qualified.
func (q QualifiedName) KeyspaceOr(def string) string {
	if q.Keyspace != nil {
		return q.Keyspace.Name
	}
	return def
}

// Type is a CQL data type.
//
// Name is the lower-case native type name ("int", "text", "timeuuid", ...),
// one of the constructors "list", "set", "map", "tuple", "frozen", "vector",
// the name of a user-defined type (folded like an identifier), or "custom"
// for a quoted Java class name kept in Custom. Args holds the element types
// (list, set, frozen: 1; map: 2; tuple: n; vector: 1). Dim is the dimension
// of a vector. Keyspace qualifies a user type when the source did.
type Type struct {
	Name     string `json:"name"`
	Keyspace string `json:"keyspace,omitempty"`
	Args     []Type `json:"args,omitempty"`
	Dim      int    `json:"dim,omitempty"`
	Custom   string `json:"custom,omitempty"`
	// UserQuoted records that a user type name was written in double quotes,
	// so that rendering can keep it distinguishable from a native type name.
	UserQuoted bool `json:"user_quoted,omitempty"`
}

// nativeTypes are the CQL native type names of Cassandra 5.0.
var nativeTypes = map[string]bool{
	"ascii": true, "bigint": true, "blob": true, "boolean": true, "counter": true,
	"date": true, "decimal": true, "double": true, "duration": true, "float": true,
	"inet": true, "int": true, "smallint": true, "text": true, "time": true,
	"timestamp": true, "timeuuid": true, "tinyint": true, "uuid": true,
	"varchar": true, "varint": true,
}

// IsNativeTypeName reports whether name is a CQL native type.
func IsNativeTypeName(name string) bool { return nativeTypes[name] }

// IsNative reports whether t is a native (non-collection, non-user) type.
func (t Type) IsNative() bool { return !t.UserQuoted && nativeTypes[t.Name] }

// IsCollection reports whether t is a list, set or map (frozen or not: look
// through Frozen with Unfrozen first when that matters).
func (t Type) IsCollection() bool {
	return t.Name == "list" || t.Name == "set" || t.Name == "map"
}

// IsFrozen reports whether t is wrapped in frozen<...>.
func (t Type) IsFrozen() bool { return t.Name == "frozen" }

// Unfrozen returns the type inside frozen<...>, or t itself.
func (t Type) Unfrozen() Type {
	if t.Name == "frozen" && len(t.Args) == 1 {
		return t.Args[0]
	}
	return t
}

// IsUser reports whether t names a user-defined type.
func (t Type) IsUser() bool {
	switch t.Name {
	case "list", "set", "map", "tuple", "frozen", "vector", "custom":
		return false
	}
	return t.UserQuoted || !nativeTypes[t.Name]
}

// String renders the type in CQL syntax, e.g. frozen<map<text, list<int>>>.
func (t Type) String() string {
	var b strings.Builder
	t.write(&b)
	return b.String()
}

func (t Type) write(b *strings.Builder) {
	switch {
	case t.Name == "custom":
		b.WriteString(quoteString(t.Custom))
		return
	case t.Name == "vector" && len(t.Args) == 1:
		b.WriteString("vector<")
		t.Args[0].write(b)
		b.WriteString(", ")
		b.WriteString(strconv.Itoa(t.Dim))
		b.WriteString(">")
		return
	case t.IsUser():
		if t.Keyspace != "" {
			b.WriteString(QuoteIdent(t.Keyspace))
			b.WriteByte('.')
		}
		if t.UserQuoted || needsQuotes(t.Name) {
			b.WriteString(`"` + strings.ReplaceAll(t.Name, `"`, `""`) + `"`)
		} else {
			b.WriteString(t.Name)
		}
		return
	}
	b.WriteString(t.Name)
	if len(t.Args) > 0 {
		b.WriteByte('<')
		for i, a := range t.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			a.write(b)
		}
		b.WriteByte('>')
	}
}

// Equal reports whether two types are the same CQL type. varchar and text
// are the same type in Cassandra and compare equal.
func (t Type) Equal(u Type) bool {
	if canonicalName(t.Name) != canonicalName(u.Name) || t.Keyspace != u.Keyspace ||
		t.Dim != u.Dim || t.Custom != u.Custom || len(t.Args) != len(u.Args) {
		return false
	}
	for i := range t.Args {
		if !t.Args[i].Equal(u.Args[i]) {
			return false
		}
	}
	return true
}

func canonicalName(n string) string {
	if n == "varchar" {
		return "text"
	}
	return n
}
