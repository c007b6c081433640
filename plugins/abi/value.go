package abi

import (
	"math/bits"
	"slices"
	"strconv"
	"unsafe"
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

// Value is a JSON value of any shape: rule options, table options and the
// statement AST travel as Values so that guests need no reflection to read
// them. A Value holds the JSON text itself, validated once, and answers
// lookups by scanning it: following a path costs no allocation and no
// tree is built for the parts a rule never looks at. A Value from
// Reader.IndexedValue, and every value reached from it, also carries an
// index of where each value inside it starts and ends and of the member
// names, and lookups read that instead of scanning.
//
// The zero Value is null. Lookups on a missing member or on a value of the
// wrong type return the zero Value, so a path can be followed without
// checking each step: v.Get("table").Get("name").Str().
type Value struct {
	raw []byte // valid JSON text without surrounding white space; nil is null
	// slots points at the first of nslots slots of a structural index
	// (see IndexedValue), of which raw is slot n; nil without one. Only
	// objects and arrays carry it.
	slots  *slot
	nslots int32
	n      int32
}

// Member is one name/value pair of an object, in document order.
type Member struct {
	Key   string
	Value Value
}

// StringValue returns a string Value.
func StringValue(s string) Value { return Value{raw: AppendString(nil, s)} }

// IntValue returns a number Value holding v.
func IntValue(v int64) Value { return Value{raw: strconv.AppendInt(nil, v, 10)} }

// BoolValue returns a boolean Value.
func BoolValue(v bool) Value { return Value{raw: strconv.AppendBool(nil, v)} }

// ArrayValue returns an array Value of the given items.
func ArrayValue(items ...Value) Value {
	var w Writer
	w.BeginArray()
	for _, it := range items {
		w.Value(it)
	}
	w.EndArray()
	return Value{raw: w.B}
}

// ObjectValue returns an object Value of the given members, in order.
func ObjectValue(members ...Member) Value {
	var w Writer
	w.BeginObject()
	for _, m := range members {
		w.Key(m.Key)
		w.Value(m.Value)
	}
	w.EndObject()
	return Value{raw: w.B}
}

// RawValue wraps JSON text as a Value without validating it, for text
// from a trusted producer (in a guest, the host's request). Lookups on
// invalid text never fail or panic, but their results mean nothing.
func RawValue(text []byte) Value {
	i := skipWS(text, 0)
	end := skipValue(text, i)
	if i >= end || string(text[i:end]) == "null" {
		return Value{}
	}
	return Value{raw: text[i:end:end]}
}

// ParseValue validates a JSON document and returns it as a Value, sharing
// memory with data (which must then not be modified).
func ParseValue(data []byte) (Value, error) {
	r := NewReader(data)
	v := r.Value()
	if err := r.Finish(); err != nil {
		return Value{}, err
	}
	return v, nil
}

// Value reads the next value whatever its shape, sharing memory with the
// Reader's input.
func (r *Reader) Value() Value {
	raw := r.Raw()
	if r.err != nil || (len(raw) == 4 && string(raw) == "null") {
		return Value{}
	}
	return Value{raw: raw}
}

// Value writes v as the next value.
func (w *Writer) Value(v Value) { w.Raw(v.raw) }

// JSON returns v as JSON text ("null" for null). The slice is shared: do
// not modify it.
func (v Value) JSON() []byte {
	if v.raw == nil {
		return []byte("null")
	}
	return v.raw
}

// Kind returns the JSON type of v.
func (v Value) Kind() ValueKind {
	if len(v.raw) == 0 {
		return Null
	}
	switch v.raw[0] {
	case '{':
		return Object
	case '[':
		return Array
	case '"':
		return String
	case 't', 'f':
		return Bool
	case 'n':
		return Null
	}
	return Number
}

// IsNull reports whether v is null (or absent).
func (v Value) IsNull() bool { return v.Kind() == Null }

// The scanners below work on text validated by the Reader; they never
// index out of bounds on any input, but only valid JSON gives meaning.

func skipWS(b []byte, i int) int {
	if i >= len(b) || b[i] > ' ' {
		return i
	}
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i] == '"',
// or len(b) when it does not end.
func skipString(b []byte, i int) int {
	if end, _ := scanString(b, i); end >= 0 {
		return end
	}
	return len(b)
}

// structMask marks with 0x80 each of the 8 bytes of x that matters when
// crossing an object or array: a quote, a backslash, or a bracket or
// brace ('[' and '{', ']' and '}' differ only in bit 0x20). The lowest
// marked byte is always a true one.
func structMask(x uint64) uint64 {
	q := x ^ (lo8 * '"')
	e := x ^ (lo8 * '\\')
	y := x | (lo8 * 0x20)
	o := y ^ (lo8 * '{')
	c := y ^ (lo8 * '}')
	return ((q-lo8)&^q | (e-lo8)&^e | (o-lo8)&^o | (c-lo8)&^c) & hi8
}

// skipValue returns the index after the value starting at b[i]. Objects
// and arrays are crossed by jumping from one quote, bracket or brace to
// the next, 8 bytes per step.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			for ; i+8 <= len(b); i += 8 {
				if m := structMask(le64(b[i:])); m != 0 {
					i += bits.TrailingZeros64(m) >> 3
					break
				}
			}
			if i >= len(b) {
				break
			}
			switch b[i] {
			case '"':
				i = skipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(b)
	}
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\n', '\t', '\r':
			return i
		}
		i++
	}
	return i
}

// members walks the members of an object or the elements of an array of
// a Value without an index, scanning its text. It is a value, not a
// closure, so that a lookup costs no indirect call per member, which a
// wasm guest pays dearly for.
type members struct {
	b   []byte
	i   int  // offset of the next member or element in b
	obj bool // members have names
}

// walk starts walking v (nothing when v is neither object nor array).
func (v Value) walk() members {
	b := v.raw
	if len(b) == 0 || (b[0] != '{' && b[0] != '[') {
		return members{}
	}
	return members{b: b, i: skipWS(b, 1), obj: b[0] == '{'}
}

// step returns the next member (key is the raw text between the quotes)
// or element (key nil), and false after the last.
func (m *members) step() (key []byte, val Value, ok bool) {
	key, start, end, ok := m.next()
	if ok && string(m.b[start:end]) != "null" {
		val = Value{raw: m.b[start:end:end]}
	}
	return key, val, ok
}

// next moves past the next member or element and returns its name (nil
// in an array) and where its value starts and ends, or false after the
// last.
func (m *members) next() (key []byte, start, end int, ok bool) {
	b, i := m.b, m.i
	if i >= len(b) || b[i] == '}' || b[i] == ']' {
		return nil, 0, 0, false
	}
	if m.obj {
		end := skipString(b, i)
		key = b[min(i+1, end):max(i+1, end-1)]
		i = skipWS(b, end)
		if i < len(b) && b[i] == ':' {
			i++
		}
		i = skipWS(b, i)
	}
	start, end = i, skipValue(b, i)
	i = skipWS(b, end)
	if i < len(b) && b[i] == ',' {
		i = skipWS(b, i+1)
	}
	m.i = i
	return key, start, end, true
}

// keyEquals compares a raw member name with name, unescaping only when
// the raw text has escapes.
func keyEquals(raw []byte, name string) bool {
	if slices.Contains(raw, '\\') {
		return unquote(raw) == name
	}
	return string(raw) == name
}

func unquote(raw []byte) string {
	quoted := make([]byte, 0, len(raw)+2)
	quoted = append(append(append(quoted, '"'), raw...), '"')
	return NewReader(quoted).String()
}

// Get returns the member named key of an object, or null.
func (v Value) Get(key string) Value {
	slots, s := v.index()
	if s == nil || v.raw[0] != '{' {
		return v.getScan(key)
	}
	// find, written out, with the name's first word built in line: Get is
	// what rules call most, and calls are dear in a wasm guest.
	var kw uint64
	for i := min(len(key), 8) - 1; i >= 0; i-- {
		kw = kw<<8 | uint64(key[i])
	}
	base := s.start
	for c := v.n + 1; c < s.skip; c = slots[c].skip {
		m := &slots[c]
		if m.kw == kw && !m.esc && int(m.keyEnd-m.key) == len(key) &&
			(len(key) <= 8 || string(v.raw[m.key-base+8:m.keyEnd-base]) == key[8:]) ||
			m.esc && unquote(v.raw[m.key-base:m.keyEnd-base]) == key {
			return v.at(m, c, base)
		}
	}
	return Value{}
}

// getScan is Get without an index: it crosses the members before the one
// named key, building nothing for them.
func (v Value) getScan(key string) Value {
	b := v.raw
	if len(b) == 0 || b[0] != '{' {
		return Value{}
	}
	for i := skipWS(b, 1); i < len(b) && b[i] != '}' && b[i] != ']'; {
		end := skipString(b, i)
		k := b[min(i+1, end):max(i+1, end-1)]
		if i = skipWS(b, end); i < len(b) && b[i] == ':' {
			i++
		}
		i = skipWS(b, i)
		end = skipValue(b, i)
		if keyEquals(k, key) {
			if string(b[i:end]) == "null" {
				return Value{}
			}
			return Value{raw: b[i:end:end]}
		}
		if i = skipWS(b, end); i < len(b) && b[i] == ',' {
			i = skipWS(b, i+1)
		}
	}
	return Value{}
}

// Has reports whether v is an object with a member named key.
func (v Value) Has(key string) bool {
	if v.Kind() != Object {
		return false
	}
	if slots, s := v.index(); s != nil {
		return v.find(slots, s, key) >= 0
	}
	for m := v.walk(); ; {
		k, _, _, ok := m.next()
		if !ok {
			return false
		}
		if keyEquals(k, key) {
			return true
		}
	}
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
	if v.Kind() != Array || i < 0 {
		return Value{}
	}
	if slots, s := v.index(); s != nil {
		for c := v.n + 1; c < s.skip; c = slots[c].skip {
			if i == 0 {
				return v.at(&slots[c], c, s.start)
			}
			i--
		}
		return Value{}
	}
	for m := v.walk(); ; i-- {
		_, val, ok := m.step()
		if !ok {
			return Value{}
		}
		if i == 0 {
			return val
		}
	}
}

// Len returns the number of elements of an array or members of an object.
func (v Value) Len() int {
	if slots, s := v.index(); s != nil {
		n := 0
		for c := v.n + 1; c < s.skip; c = slots[c].skip {
			n++
		}
		return n
	}
	n := 0
	for m := v.walk(); ; n++ {
		if _, _, _, ok := m.next(); !ok {
			return n
		}
	}
}

// smallLen is how many items or members Items and Members gather on the
// stack before they allocate: most arrays and objects of an AST are that
// small, and the result is then allocated once at its size.
const smallLen = 8

// Items returns the elements of an array (nil otherwise).
func (v Value) Items() []Value {
	if v.Kind() != Array {
		return nil
	}
	if slots, s := v.index(); s != nil {
		items := make([]Value, v.Len())
		for k, c := 0, v.n+1; k < len(items); k, c = k+1, slots[c].skip {
			items[k] = v.at(&slots[c], c, s.start)
		}
		return items
	}
	var buf [smallLen]Value
	items := buf[:0]
	for m := v.walk(); ; {
		_, val, ok := m.step()
		if !ok {
			break
		}
		items = append(items, val)
	}
	return append(make([]Value, 0, len(items)), items...)
}

// Members returns the members of an object in document order (nil
// otherwise).
func (v Value) Members() []Member {
	if v.Kind() != Object {
		return nil
	}
	if slots, s := v.index(); s != nil {
		members := make([]Member, v.Len())
		for k, c := 0, v.n+1; k < len(members); k, c = k+1, slots[c].skip {
			key, esc, val := v.member(slots, s, c)
			name := unsafe.String(unsafe.SliceData(key), len(key))
			if esc {
				name = unquote(key)
			}
			members[k] = Member{Key: name, Value: val}
		}
		return members
	}
	var buf [smallLen]Member
	members := buf[:0]
	for m := v.walk(); ; {
		k, val, ok := m.step()
		if !ok {
			break
		}
		name := unsafe.String(unsafe.SliceData(k), len(k))
		if slices.Contains(k, '\\') {
			name = unquote(k)
		}
		members = append(members, Member{Key: name, Value: val})
	}
	return append(make([]Member, 0, len(members)), members...)
}

// Str returns the contents of a string value, the text of a number, or "".
func (v Value) Str() string {
	switch v.Kind() {
	case String:
		if len(v.raw) < 2 {
			return ""
		}
		raw := v.raw[1 : len(v.raw)-1]
		if slices.Contains(raw, '\\') {
			return unquote(raw)
		}
		return unsafe.String(unsafe.SliceData(raw), len(raw))
	case Number:
		return unsafe.String(unsafe.SliceData(v.raw), len(v.raw))
	}
	return ""
}

// Int returns a number (or a string holding a number, as Cassandra's
// options often are) as an integer, and whether it was one.
func (v Value) Int() (int64, bool) {
	k := v.Kind()
	if k != Number && k != String {
		return 0, false
	}
	s := v.Str()
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) {
		return 0, false
	}
	return int64(f), true
}

// Float returns a number (or a numeric string) as float64, and whether it
// was one.
func (v Value) Float() (float64, bool) {
	k := v.Kind()
	if k != Number && k != String {
		return 0, false
	}
	f, err := strconv.ParseFloat(v.Str(), 64)
	return f, err == nil
}

// Bool returns a boolean value, and whether v was one.
func (v Value) Bool() (bool, bool) {
	if v.Kind() != Bool {
		return false, false
	}
	return v.raw[0] == 't', true
}

// Equal reports whether two values are the same JSON (object members
// compared by name regardless of order; numbers compared by value).
func (v Value) Equal(u Value) bool {
	k := v.Kind()
	if k != u.Kind() {
		return false
	}
	switch k {
	case Null:
		return true
	case Bool:
		return v.raw[0] == u.raw[0]
	case String:
		return v.Str() == u.Str()
	case Number:
		if string(v.raw) == string(u.raw) {
			return true
		}
		a, _ := v.Float()
		b, _ := u.Float()
		return a == b
	case Array:
		return slices.EqualFunc(v.Items(), u.Items(), Value.Equal)
	}
	vm, um := v.Members(), u.Members()
	if len(vm) != len(um) {
		return false
	}
	for _, m := range vm {
		if !u.Has(m.Key) || !m.Value.Equal(u.Get(m.Key)) {
			return false
		}
	}
	return true
}
