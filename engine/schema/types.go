package schema

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// typeText renders a canonical type the way system_schema stores it and
// DESCRIBE prints it: no keyspace on user types, nested types frozen.
func typeText(t cql.Type) string { return t.String() }

// isComplex reports whether t is a collection, tuple, user type or vector
// of them: the types that must be frozen when nested in another one.
func isComplex(t cql.Type) bool {
	switch t.Name {
	case "list", "set", "map", "tuple", "frozen":
		return true
	}
	return t.IsUser()
}

// isMultiCell reports whether a canonical top-level type is stored cell by
// cell: a non-frozen collection or a non-frozen user type.
func isMultiCell(t cql.Type) bool { return t.IsCollection() || t.IsUser() }

func frozen(t cql.Type) cql.Type {
	if t.Name == "frozen" {
		return t
	}
	return cql.Type{Name: "frozen", Args: []cql.Type{t}}
}

// userQuoted decides whether a user type name needs quotes to stay a user
// type name when rendered (a type called "text" must be written "text").
func userQuoted(name string) bool {
	switch name {
	case "list", "set", "map", "tuple", "frozen", "vector", "custom":
		return true
	}
	return cql.IsNativeTypeName(name)
}

// typeResolver canonicalises types written in a statement on keyspace ks:
// varchar becomes text, tuples and nested complex types become frozen,
// user types are checked to exist and lose their keyspace qualifier.
type typeResolver struct {
	ks    string
	types map[string]*UserType // the keyspace's types
	// version, when set, rejects types the release does not have.
	version Version
}

func (r *typeResolver) resolve(t cql.Type) (cql.Type, error) {
	return r.canon(t, false, false, t)
}

// canon canonicalises t; nested is true inside another type, inFrozen
// inside frozen<...> (where everything is implicitly frozen).
func (r *typeResolver) canon(t cql.Type, nested, inFrozen bool, top cql.Type) (cql.Type, error) {
	switch {
	case t.Name == "custom":
		return cql.Type{Name: "custom", Custom: t.Custom}, nil
	case t.IsUser():
		if t.Keyspace != "" && t.Keyspace != r.ks {
			return t, invalidf("Statement on keyspace %s cannot refer to a user type in keyspace %s; user types can only be used in the keyspace they are defined in", r.ks, t.Keyspace)
		}
		if r.types[t.Name] == nil {
			return t, invalidf("Unknown type %s.%s", r.ks, cql.QuoteIdent(t.Name))
		}
		u := cql.Type{Name: t.Name, UserQuoted: userQuoted(t.Name)}
		if nested && !inFrozen {
			return u, invalidf("Non-frozen UDTs are not allowed inside collections: %s", typeText(top))
		}
		if inFrozen && nested {
			return frozen(u), nil
		}
		return u, nil
	case t.IsNative():
		if t.Name == "counter" && nested {
			return t, invalidf("Counters are not allowed inside collections: %s", typeText(top))
		}
		if t.Name == "varchar" {
			return cql.Type{Name: "text"}, nil
		}
		return cql.Type{Name: t.Name}, nil
	}
	switch t.Name {
	case "frozen":
		if len(t.Args) != 1 {
			return t, invalidf("frozen<> takes exactly one type")
		}
		inner := t.Args[0]
		if inner.Name == "frozen" {
			return r.canon(inner, nested, inFrozen, top)
		}
		if !isComplex(inner) {
			return t, invalidf("frozen<> is only allowed on collections, tuples, and user-defined types (got %s)", typeText(inner))
		}
		if inner.IsUser() {
			u, err := r.canon(inner, false, false, top)
			if err != nil {
				return u, err
			}
			return frozen(u), nil
		}
		c, err := r.canonBody(inner, true, top)
		if err != nil {
			return c, err
		}
		return frozen(c), nil
	case "tuple":
		c, err := r.canonBody(t, true, top)
		if err != nil {
			return c, err
		}
		return frozen(c), nil
	case "list", "set", "map":
		if nested && !inFrozen {
			return t, invalidf("Non-frozen collections are not allowed inside collections: %s", typeText(top))
		}
		c, err := r.canonBody(t, inFrozen, top)
		if err != nil {
			return c, err
		}
		if nested {
			return frozen(c), nil
		}
		return c, nil
	case "vector":
		if r.version != 0 && r.version < V5_0 {
			return t, syntaxf("vector types require Cassandra 5.0 (got %s)", t.String())
		}
		if t.Dim <= 0 {
			return t, invalidf("vectors may only have positive dimensions; given %d", t.Dim)
		}
		c, err := r.canonBody(t, true, top)
		return c, err
	}
	return t, invalidf("Unknown type %s", t.Name)
}

// canonBody canonicalises the arguments of a constructor type.
func (r *typeResolver) canonBody(t cql.Type, inFrozen bool, top cql.Type) (cql.Type, error) {
	want := map[string]int{"list": 1, "set": 1, "map": 2, "vector": 1}
	if n, ok := want[t.Name]; ok && len(t.Args) != n {
		return t, invalidf("Invalid type %s", typeText(top))
	}
	out := cql.Type{Name: t.Name, Dim: t.Dim}
	for _, a := range t.Args {
		if a.Name == "counter" {
			return t, invalidf("Counters are not allowed inside collections: %s", typeText(top))
		}
		c, err := r.canon(a, true, inFrozen, top)
		if err != nil {
			return c, err
		}
		out.Args = append(out.Args, c)
	}
	return out, nil
}

// referencesUserType reports whether t mentions the user type name.
func referencesUserType(t cql.Type, name string) bool {
	if t.IsUser() && t.Name == name {
		return true
	}
	for _, a := range t.Args {
		if referencesUserType(a, name) {
			return true
		}
	}
	return false
}

// referencesDuration reports whether t is or contains duration.
func referencesDuration(t cql.Type) bool {
	if t.Name == "duration" {
		return true
	}
	for _, a := range t.Args {
		if referencesDuration(a) {
			return true
		}
	}
	return false
}

// serializationCompatible reports whether values written as old can be
// read as new, Cassandra's test for re-adding a dropped column.
func serializationCompatible(newT, oldT cql.Type) bool {
	if newT.Equal(oldT) {
		return true
	}
	switch {
	case newT.Name == "text" && oldT.Name == "ascii":
		return true
	case newT.Name == "blob" && len(oldT.Args) == 0 && oldT.IsNative():
		return true
	case newT.Name == "uuid" && oldT.Name == "timeuuid":
		return true
	}
	return false
}

// ParseType reads a type as system_schema stores it, e.g.
// "frozen<map<text, frozen<list<int>>>>", "vector<float, 3>", a quoted user
// type name or a quoted custom class name.
func ParseType(s string) (cql.Type, error) {
	p := &typeParser{s: s}
	t, err := p.parse()
	if err != nil {
		return t, fmt.Errorf("parse type %q: %w", s, err)
	}
	p.space()
	if p.i != len(p.s) {
		return t, fmt.Errorf("parse type %q: unexpected %q", s, p.s[p.i:])
	}
	return t, nil
}

type typeParser struct {
	s string
	i int
}

func (p *typeParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n') {
		p.i++
	}
}

func (p *typeParser) word() (string, byte, error) {
	p.space()
	if p.i >= len(p.s) {
		return "", 0, fmt.Errorf("unexpected end")
	}
	switch p.s[p.i] {
	case '"', '\'':
		q := p.s[p.i]
		p.i++
		var b strings.Builder
		for p.i < len(p.s) {
			c := p.s[p.i]
			p.i++
			if c == q {
				if p.i < len(p.s) && p.s[p.i] == q {
					b.WriteByte(q)
					p.i++
					continue
				}
				return b.String(), q, nil
			}
			b.WriteByte(c)
		}
		return "", 0, fmt.Errorf("unterminated quote")
	}
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '<' || c == '>' || c == ',' || c == ' ' {
			break
		}
		p.i++
	}
	if start == p.i {
		return "", 0, fmt.Errorf("expected a type at %q", p.s[p.i:])
	}
	return p.s[start:p.i], 0, nil
}

func (p *typeParser) parse() (cql.Type, error) {
	w, quote, err := p.word()
	if err != nil {
		return cql.Type{}, err
	}
	switch quote {
	case '\'':
		return cql.Type{Name: "custom", Custom: w}, nil
	case '"':
		return cql.Type{Name: w, UserQuoted: userQuoted(w)}, nil
	}
	lw := strings.ToLower(w)
	if _, name, ok := strings.Cut(w, "."); ok {
		return cql.Type{Name: name, UserQuoted: userQuoted(name)}, nil
	}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '<' {
		p.i++
		t := cql.Type{Name: lw}
		for {
			if lw == "vector" && len(t.Args) == 1 {
				dw, _, err := p.word()
				if err != nil {
					return t, err
				}
				n, err := strconv.Atoi(dw)
				if err != nil {
					return t, fmt.Errorf("vector dimension %q", dw)
				}
				t.Dim = n
			} else {
				a, err := p.parse()
				if err != nil {
					return t, err
				}
				t.Args = append(t.Args, a)
			}
			p.space()
			if p.i >= len(p.s) {
				return t, fmt.Errorf("unexpected end")
			}
			c := p.s[p.i]
			p.i++
			if c == '>' {
				return t, nil
			}
			if c != ',' {
				return t, fmt.Errorf("unexpected %q", c)
			}
		}
	}
	if cql.IsNativeTypeName(lw) {
		if lw == "varchar" {
			lw = "text"
		}
		return cql.Type{Name: lw}, nil
	}
	return cql.Type{Name: w, UserQuoted: userQuoted(w)}, nil
}
