package cql

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// AppendJSON appends the JSON document of s (the shape described in json.go
// and docs/cql-support.md) to dst and returns the extended buffer. The
// bytes are the ones encoding/json writes for the struct definitions plus
// the "kind" and "node" members: member order and names from the json
// tags, omitempty, strings escaped as encoding/json escapes them (<, >, &,
// U+2028 and U+2029 as \u003c and so on, invalid UTF-8 as \ufffd). A nil s
// appends null.
//
// It exists because json.Marshal was slow on this tree: every node has a
// MarshalJSON method, and encoding/json validates and copies the output of
// each one again in its parent, so the bytes of a nested term are scanned
// once for every node around it. AppendJSON writes each byte once, guided
// by a plan per type built from the struct tags on first use, so a field
// added to an AST struct is encoded without touching this file. The
// MarshalJSON methods call it, so there is one encoder.
func AppendJSON(dst []byte, s Stmt) []byte {
	if s == nil {
		return append(dst, "null"...)
	}
	v := reflect.ValueOf(s)
	return encoderOf(v.Type()).append(dst, v)
}

// marshalNode is the body of every MarshalJSON method in json.go; p is a
// pointer to a statement or term struct.
func marshalNode(p any) ([]byte, error) {
	v := reflect.ValueOf(p)
	return encoderOf(v.Type()).append(nil, v), nil
}

// termNodes names the "node" member of each term struct.
var termNodes = map[reflect.Type]string{
	reflect.TypeFor[Literal]():           TermNodeLiteral,
	reflect.TypeFor[BindMarker]():        TermNodeBindMarker,
	reflect.TypeFor[CollectionLiteral](): TermNodeCollectionLiteral,
	reflect.TypeFor[TupleLiteral]():      TermNodeTupleLiteral,
	reflect.TypeFor[UDTLiteral]():        TermNodeUDTLiteral,
	reflect.TypeFor[FunctionCall]():      TermNodeFunctionCall,
	reflect.TypeFor[Cast]():              TermNodeCast,
	reflect.TypeFor[TypeHint]():          TermNodeTypeHint,
	reflect.TypeFor[BinaryOp]():          TermNodeBinaryOp,
	reflect.TypeFor[UnaryOp]():           TermNodeUnaryOp,
	reflect.TypeFor[ColumnRef]():         TermNodeColumnRef,
	reflect.TypeFor[FieldRef]():          TermNodeFieldRef,
	reflect.TypeFor[ElementRef]():        TermNodeElementRef,
	reflect.TypeFor[Star]():              TermNodeStar,
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// encKind is how an encoder writes its values.
type encKind uint8

const (
	encBool encKind = iota
	encInt
	encUint
	encString
	encPointer
	encSlice
	encStruct
	encInterface
)

// encoder is the plan for one Go type. Plans of types that contain
// themselves (Type holds []Type) point at each other, so they are built
// completely before anyone else can see them (encoderOf).
type encoder struct {
	kind   encKind
	elem   *encoder       // encPointer, encSlice
	fields []fieldEncoder // encStruct
	stmt   bool           // encStruct: a statement, led by its "kind"
	node   string         // encStruct: `{"node":"..."` for a term
}

type fieldEncoder struct {
	index     int
	key       string // `"name":`, escaped as encoding/json escapes names
	omitEmpty bool
	omitZero  bool
	enc       *encoder
}

var (
	encMu    sync.Mutex // serializes building plans
	encCache sync.Map   // reflect.Type -> *encoder, complete plans only
)

// encoderOf returns the plan for t, building it (and the plans of the
// types t contains) on first use.
func encoderOf(t reflect.Type) *encoder {
	if e, ok := encCache.Load(t); ok {
		return e.(*encoder)
	}
	encMu.Lock()
	defer encMu.Unlock()
	building := map[reflect.Type]*encoder{}
	e := buildEncoder(t, t.String(), building)
	for t, e := range building {
		encCache.Store(t, e)
	}
	return e
}

// buildEncoder panics on what the AST does not use (floats, maps, embedded
// structs, types with their own MarshalJSON, ...): those would need code
// here to match encoding/json, and the tests encode every AST type, so a
// new field of such a type fails them rather than a user's lint run.
//
// where names the value for those messages, e.g. "cql.Select.Where".
func buildEncoder(t reflect.Type, where string, building map[reflect.Type]*encoder) *encoder {
	if e, ok := encCache.Load(t); ok {
		return e.(*encoder)
	}
	if e, ok := building[t]; ok {
		return e
	}
	e := &encoder{}
	building[t] = e
	if !isNode(t) && !(t.Kind() == reflect.Pointer && isNode(t.Elem())) &&
		(implements(t, jsonMarshaler) || implements(t, textMarshaler)) {
		panic(fmt.Sprintf("cql: AppendJSON cannot encode %s (%s): it has its own JSON or text encoding", where, t))
	}
	switch t.Kind() {
	case reflect.Bool:
		e.kind = encBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.kind = encInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.kind = encUint
	case reflect.String:
		e.kind = encString
	case reflect.Interface:
		e.kind = encInterface
	case reflect.Pointer:
		e.kind = encPointer
		e.elem = buildEncoder(t.Elem(), where, building)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			panic(fmt.Sprintf("cql: AppendJSON cannot encode %s (%s): encoding/json writes it as base64", where, t))
		}
		e.kind = encSlice
		e.elem = buildEncoder(t.Elem(), where+"[]", building)
	case reflect.Struct:
		e.kind = encStruct
		buildStruct(e, t, building)
	default:
		panic(fmt.Sprintf("cql: AppendJSON cannot encode %s (%s)", where, t))
	}
	return e
}

func buildStruct(e *encoder, t reflect.Type, building map[reflect.Type]*encoder) {
	member := ""
	switch ptr := reflect.PointerTo(t); {
	case ptr.Implements(stmtIface):
		e.stmt, member = true, "kind"
	case ptr.Implements(termIface):
		node, ok := termNodes[t]
		if !ok {
			panic(fmt.Sprintf("cql: term type %s has no entry in termNodes", t))
		}
		e.node, member = `{"node":`+string(appendString(nil, node)), "node"
	}
	seen := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" || (!sf.IsExported() && !sf.Anonymous) {
			continue
		}
		if sf.Anonymous {
			panic(fmt.Sprintf("cql: AppendJSON cannot encode %s: embedded field %s", t, sf.Name))
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		f := fieldEncoder{index: i}
		for opt := range strings.SplitSeq(opts, ",") {
			switch opt {
			case "omitempty":
				f.omitEmpty = true
			case "omitzero":
				if implements(sf.Type, reflect.TypeFor[interface{ IsZero() bool }]()) {
					panic(fmt.Sprintf("cql: AppendJSON cannot encode %s.%s: omitzero with an IsZero method", t, sf.Name))
				}
				f.omitZero = true
			case "string":
				panic(fmt.Sprintf("cql: AppendJSON cannot encode %s.%s: the string option", t, sf.Name))
			}
		}
		// encoding/json would fall back to the Go name for other names,
		// or drop both fields of a duplicate, or let the added member
		// hide a field: none is meant to happen in the AST.
		if !simpleName(name) || seen[name] || name == member {
			panic(fmt.Sprintf("cql: AppendJSON cannot encode %s.%s: json name %q is invalid, repeated or hidden by %q", t, sf.Name, name, member))
		}
		seen[name] = true
		f.key = string(appendString(nil, name)) + ":"
		f.enc = buildEncoder(sf.Type, t.String()+"."+sf.Name, building)
		e.fields = append(e.fields, f)
	}
}

// isNode reports whether t is a statement or term struct, the types that
// add a "kind" or "node" member.
func isNode(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	ptr := reflect.PointerTo(t)
	return ptr.Implements(stmtIface) || ptr.Implements(termIface)
}

// implements reports whether values of t, or addressable ones, have the
// methods of iface: encoding/json uses pointer methods of addressable
// values, and every value AppendJSON reaches is addressable.
func implements(t, iface reflect.Type) bool {
	return t.Implements(iface) || (t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(iface))
}

func simpleName(name string) bool {
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			return false
		}
	}
	return name != ""
}

func (e *encoder) append(dst []byte, v reflect.Value) []byte {
	switch e.kind {
	case encBool:
		return strconv.AppendBool(dst, v.Bool())
	case encInt:
		return strconv.AppendInt(dst, v.Int(), 10)
	case encUint:
		return strconv.AppendUint(dst, v.Uint(), 10)
	case encString:
		return appendString(dst, v.String())
	case encPointer:
		if v.IsNil() {
			return append(dst, "null"...)
		}
		return e.elem.append(dst, v.Elem())
	case encInterface:
		if v.IsNil() {
			return append(dst, "null"...)
		}
		v = v.Elem()
		return encoderOf(v.Type()).append(dst, v)
	case encSlice:
		if v.IsNil() {
			return append(dst, "null"...)
		}
		dst = append(dst, '[')
		for i, n := 0, v.Len(); i < n; i++ {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = e.elem.append(dst, v.Index(i))
		}
		return append(dst, ']')
	}
	return e.appendStruct(dst, v)
}

func (e *encoder) appendStruct(dst []byte, v reflect.Value) []byte {
	// encoding/json calls the pointer-receiver MarshalJSON (which adds
	// the member) only on addressable values; everything reached from a
	// statement pointer is, but not a struct value stored in an interface.
	added := v.CanAddr()
	first := true
	switch {
	case e.stmt && added:
		dst = append(dst, `{"kind":`...)
		dst = appendString(dst, string(v.Addr().Interface().(Stmt).Kind()))
		first = false
	case e.node != "" && added:
		dst = append(dst, e.node...)
		first = false
	}
	for i := range e.fields {
		f := &e.fields[i]
		fv := v.Field(f.index)
		if (f.omitEmpty && isEmpty(fv)) || (f.omitZero && fv.IsZero()) {
			continue
		}
		if first {
			dst = append(dst, '{')
			first = false
		} else {
			dst = append(dst, ',')
		}
		dst = append(dst, f.key...)
		dst = f.enc.append(dst, fv)
	}
	if first {
		dst = append(dst, '{')
	}
	return append(dst, '}')
}

// isEmpty is encoding/json's test for omitempty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String, reflect.Slice, reflect.Map, reflect.Array:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}

// appendString writes s as a JSON string the way encoding/json does with
// HTML escaping on (its default, and what json.Marshal uses).
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if jsonSafe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				// Other control characters, and <, > and & so that the
				// document can be embedded in HTML.
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			// Valid JSON but not valid JavaScript (JSONP).
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// jsonSafe marks the ASCII bytes a JSON string holds as they are.
var jsonSafe = func() (safe [utf8.RuneSelf]bool) {
	for b := ' '; b < utf8.RuneSelf; b++ {
		switch b {
		case '"', '\\', '<', '>', '&':
		default:
			safe[b] = true
		}
	}
	return safe
}()
