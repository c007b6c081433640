package abi

import (
	"slices"
	"strconv"
)

// ValueKind is the JSON type of a Value.
type ValueKind uint8

// The JSON types.
const (
	Null ValueKind = iota
	Bool
	Number
	String
	Array
	Object
)

// Value is a decoded JSON value of any shape: rule options, table options,
// and the statement AST travel as Values so that guests need no reflection
// to read them. The zero Value is null. Lookups on a missing member or on a
// value of the wrong type return the zero Value, so a path can be followed
// without checking each step: v.Get("table").Get("name").Str().
type Value struct {
	kind    ValueKind
	b       bool
	s       string // string contents, or the text of a number
	items   []Value
	members []Member
}

// Member is one name/value pair of an object, in document order.
type Member struct {
	Key   string
	Value Value
}

// StringValue returns a string Value.
func StringValue(s string) Value { return Value{kind: String, s: s} }

// IntValue returns a number Value holding v.
func IntValue(v int64) Value { return Value{kind: Number, s: strconv.FormatInt(v, 10)} }

// BoolValue returns a boolean Value.
func BoolValue(v bool) Value { return Value{kind: Bool, b: v} }

// ArrayValue returns an array Value of the given items.
func ArrayValue(items ...Value) Value { return Value{kind: Array, items: items} }

// ObjectValue returns an object Value of the given members, in order.
func ObjectValue(members ...Member) Value { return Value{kind: Object, members: members} }

// ParseValue decodes a JSON document into a Value.
func ParseValue(data []byte) (Value, error) {
	r := NewReader(data)
	v := r.Value()
	if err := r.Finish(); err != nil {
		return Value{}, err
	}
	return v, nil
}

// Value reads the next value whatever its shape.
func (r *Reader) Value() Value {
	if r.err != nil {
		return Value{}
	}
	switch c := r.peek(); {
	case c == '{':
		v := Value{kind: Object, members: []Member{}}
		for it := r.Object(); it.Next(); {
			k := it.Key()
			v.members = append(v.members, Member{Key: k, Value: r.Value()})
		}
		return v
	case c == '[':
		v := Value{kind: Array, items: []Value{}}
		for it := r.Array(); it.Next(); {
			v.items = append(v.items, r.Value())
		}
		return v
	case c == '"':
		return Value{kind: String, s: r.str()}
	case c == 't' || c == 'f':
		return Value{kind: Bool, b: r.Bool()}
	case c == 'n':
		r.literal("null")
		return Value{}
	case c == '-' || (c >= '0' && c <= '9'):
		return Value{kind: Number, s: string(r.number())}
	}
	r.Skip() // reports the error
	return Value{}
}

// Write writes v as the next value.
func (w *Writer) Value(v Value) {
	switch v.kind {
	case Null:
		w.Null()
	case Bool:
		w.Bool(v.b)
	case Number:
		w.sep()
		w.B = append(w.B, v.s...)
	case String:
		w.String(v.s)
	case Array:
		w.BeginArray()
		for _, it := range v.items {
			w.Value(it)
		}
		w.EndArray()
	case Object:
		w.BeginObject()
		for _, m := range v.members {
			w.Key(m.Key)
			w.Value(m.Value)
		}
		w.EndObject()
	}
}

// JSON returns v encoded as JSON text.
func (v Value) JSON() []byte {
	var w Writer
	w.Value(v)
	return w.B
}

// Kind returns the JSON type of v.
func (v Value) Kind() ValueKind { return v.kind }

// IsNull reports whether v is null (or absent).
func (v Value) IsNull() bool { return v.kind == Null }

// Get returns the member named key of an object, or null.
func (v Value) Get(key string) Value {
	for i := range v.members {
		if v.members[i].Key == key {
			return v.members[i].Value
		}
	}
	return Value{}
}

// Has reports whether v is an object with a member named key.
func (v Value) Has(key string) bool {
	for i := range v.members {
		if v.members[i].Key == key {
			return true
		}
	}
	return false
}

// Path follows a chain of member names.
func (v Value) Path(keys ...string) Value {
	for _, k := range keys {
		v = v.Get(k)
	}
	return v
}

// Index returns element i of an array, or null when out of range.
func (v Value) Index(i int) Value {
	if i < 0 || i >= len(v.items) {
		return Value{}
	}
	return v.items[i]
}

// Len returns the number of elements of an array or members of an object.
func (v Value) Len() int {
	if v.kind == Object {
		return len(v.members)
	}
	return len(v.items)
}

// Items returns the elements of an array (nil otherwise). The slice is
// shared: do not modify it.
func (v Value) Items() []Value { return v.items }

// Members returns the members of an object in document order (nil
// otherwise). The slice is shared: do not modify it.
func (v Value) Members() []Member { return v.members }

// Str returns the contents of a string value, the text of a number, or "".
func (v Value) Str() string {
	if v.kind == String || v.kind == Number {
		return v.s
	}
	return ""
}

// Int returns a number (or a string holding a number, as Cassandra's
// options often are) as an integer, and whether it was one.
func (v Value) Int() (int64, bool) {
	if v.kind != Number && v.kind != String {
		return 0, false
	}
	if n, err := strconv.ParseInt(v.s, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(v.s, 64)
	if err != nil || f != float64(int64(f)) {
		return 0, false
	}
	return int64(f), true
}

// Float returns a number (or a numeric string) as float64, and whether it
// was one.
func (v Value) Float() (float64, bool) {
	if v.kind != Number && v.kind != String {
		return 0, false
	}
	f, err := strconv.ParseFloat(v.s, 64)
	return f, err == nil
}

// Bool returns a boolean value, and whether v was one.
func (v Value) Bool() (bool, bool) { return v.b, v.kind == Bool }

// Equal reports whether two values are the same JSON (object members
// compared by name regardless of order; numbers compared by value).
func (v Value) Equal(u Value) bool {
	if v.kind != u.kind {
		return false
	}
	switch v.kind {
	case Null:
		return true
	case Bool:
		return v.b == u.b
	case String:
		return v.s == u.s
	case Number:
		if v.s == u.s {
			return true
		}
		a, _ := v.Float()
		b, _ := u.Float()
		return a == b
	case Array:
		return slices.EqualFunc(v.items, u.items, Value.Equal)
	}
	if len(v.members) != len(u.members) {
		return false
	}
	for _, m := range v.members {
		if !u.Has(m.Key) || !m.Value.Equal(u.Get(m.Key)) {
			return false
		}
	}
	return true
}
