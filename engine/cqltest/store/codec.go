package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net"
	"net/netip"
	"reflect"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// ErrNoUserTypes is returned when a user-defined type must be encoded or
// decoded by a Codec that has no TypeResolver.
var ErrNoUserTypes = errors.New("no resolver for user-defined types")

// Codec converts between Go values and the native protocol v4 [bytes]
// encodings of CQL values. Types resolves user-defined types; the zero Codec
// handles every other type.
//
// The Go values are: string (ascii, text, varchar), int32 (int), int64
// (bigint, counter), int16 (smallint), int8 (tinyint), bool, float32, float64,
// Decimal, *big.Int (varint), [16]byte (uuid, timeuuid), time.Time
// (timestamp, millisecond precision), Date, Time, Duration, []byte (blob),
// net.IP (inet), []any (list, set in set order, tuple, vector, user type
// fields in declaration order) and []MapEntry (map, ordered by key). nil is
// null. Encode also accepts the other Go integer and float kinds, strings for
// uuids and inets, map[string]string and other Go maps, []string and other
// slices, and map[string]any for user types.
type Codec struct {
	Types TypeResolver
}

// Encode encodes v as type t with the zero Codec (no user types).
func Encode(t cql.Type, v any) ([]byte, error) { return Codec{}.Encode(t, v) }

// Decode decodes b as type t with the zero Codec (no user types).
func Decode(t cql.Type, b []byte) (any, error) { return Codec{}.Decode(t, b) }

// Compare orders two Go values of type t as Cassandra orders them, with the
// zero Codec (no user types).
func Compare(t cql.Type, a, b any) int { return Codec{}.Compare(t, a, b) }

// Encode returns the protocol encoding of v as type t; nil encodes as null
// (a nil slice).
func (c Codec) Encode(t cql.Type, v any) ([]byte, error) {
	if isNil(v) {
		return nil, nil
	}
	b, err := c.encode(nil, t, v)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", t, err)
	}
	if b == nil {
		b = []byte{}
	}
	return b, nil
}

func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// Kind names, resolved once per call: varchar is text.
func typeKind(t cql.Type) string {
	t = t.Unfrozen()
	if t.IsUser() {
		return "udt"
	}
	if t.Name == "varchar" {
		return "text"
	}
	return t.Name
}

func (c Codec) encode(dst []byte, t cql.Type, v any) ([]byte, error) {
	t = t.Unfrozen()
	switch typeKind(t) {
	case "ascii", "text":
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case []byte:
			s = string(x)
		default:
			return nil, typeErr(t, v)
		}
		if t.Name == "ascii" {
			for i := 0; i < len(s); i++ {
				if s[i] >= 0x80 {
					return nil, fmt.Errorf("invalid ascii character at %d", i)
				}
			}
		} else if !utf8.ValidString(s) {
			return nil, errors.New("invalid utf-8 string")
		}
		return append(dst, s...), nil
	case "int":
		n, err := intIn(t, v, math.MinInt32, math.MaxInt32)
		if err != nil {
			return nil, err
		}
		return binary.BigEndian.AppendUint32(dst, uint32(int32(n))), nil
	case "bigint", "counter":
		n, err := intIn(t, v, math.MinInt64, math.MaxInt64)
		if err != nil {
			return nil, err
		}
		return binary.BigEndian.AppendUint64(dst, uint64(n)), nil
	case "smallint":
		n, err := intIn(t, v, math.MinInt16, math.MaxInt16)
		if err != nil {
			return nil, err
		}
		return binary.BigEndian.AppendUint16(dst, uint16(int16(n))), nil
	case "tinyint":
		n, err := intIn(t, v, math.MinInt8, math.MaxInt8)
		if err != nil {
			return nil, err
		}
		return append(dst, byte(int8(n))), nil
	case "boolean":
		b, ok := v.(bool)
		if !ok {
			return nil, typeErr(t, v)
		}
		if b {
			return append(dst, 1), nil
		}
		return append(dst, 0), nil
	case "float":
		f, ok := toFloat(v)
		if !ok {
			return nil, typeErr(t, v)
		}
		return binary.BigEndian.AppendUint32(dst, math.Float32bits(float32(f))), nil
	case "double":
		f, ok := toFloat(v)
		if !ok {
			return nil, typeErr(t, v)
		}
		return binary.BigEndian.AppendUint64(dst, math.Float64bits(f)), nil
	case "decimal":
		var d Decimal
		switch x := v.(type) {
		case Decimal:
			d = x
		case *Decimal:
			d = *x
		case string:
			var err error
			if d, err = ParseDecimal(x); err != nil {
				return nil, err
			}
		default:
			n, ok := toBig(v)
			if !ok {
				return nil, typeErr(t, v)
			}
			d = Decimal{Unscaled: n}
		}
		dst = binary.BigEndian.AppendUint32(dst, uint32(d.Scale))
		u := d.Unscaled
		if u == nil {
			u = new(big.Int)
		}
		return appendVarint(dst, u), nil
	case "varint":
		n, ok := toBig(v)
		if !ok {
			return nil, typeErr(t, v)
		}
		return appendVarint(dst, n), nil
	case "uuid", "timeuuid":
		u, err := toUUID(v)
		if err != nil {
			return nil, err
		}
		if t.Name == "timeuuid" && u[6]>>4 != 1 {
			return nil, errors.New("timeuuid must be a version 1 uuid")
		}
		return append(dst, u[:]...), nil
	case "timestamp":
		switch x := v.(type) {
		case time.Time:
			return binary.BigEndian.AppendUint64(dst, uint64(x.UnixMilli())), nil
		default:
			n, err := intIn(t, v, math.MinInt64, math.MaxInt64)
			if err != nil {
				return nil, err
			}
			return binary.BigEndian.AppendUint64(dst, uint64(n)), nil
		}
	case "date":
		switch x := v.(type) {
		case Date:
			return binary.BigEndian.AppendUint32(dst, uint32(x)), nil
		case time.Time:
			return binary.BigEndian.AppendUint32(dst, uint32(DateOf(x))), nil
		default:
			n, err := intIn(t, v, 0, math.MaxUint32)
			if err != nil {
				return nil, err
			}
			return binary.BigEndian.AppendUint32(dst, uint32(n)), nil
		}
	case "time":
		var ns int64
		switch x := v.(type) {
		case Time:
			ns = int64(x)
		case time.Duration:
			ns = int64(x)
		default:
			n, err := intIn(t, v, math.MinInt64, math.MaxInt64)
			if err != nil {
				return nil, err
			}
			ns = n
		}
		if ns < 0 || ns >= 86400e9 {
			return nil, fmt.Errorf("time %d out of range [0, 86400e9)", ns)
		}
		return binary.BigEndian.AppendUint64(dst, uint64(ns)), nil
	case "duration":
		var d Duration
		switch x := v.(type) {
		case Duration:
			d = x
		case time.Duration:
			d = Duration{Nanos: int64(x)}
		default:
			return nil, typeErr(t, v)
		}
		dst = appendVint(dst, zigzag(int64(d.Months)))
		dst = appendVint(dst, zigzag(int64(d.Days)))
		return appendVint(dst, zigzag(d.Nanos)), nil
	case "blob", "custom":
		switch x := v.(type) {
		case []byte:
			return append(dst, x...), nil
		case string:
			return append(dst, x...), nil
		}
		return nil, typeErr(t, v)
	case "inet":
		ip, err := toIP(v)
		if err != nil {
			return nil, err
		}
		return append(dst, ip...), nil
	case "list", "set":
		if len(t.Args) != 1 {
			return nil, fmt.Errorf("malformed type %s", t)
		}
		elems, err := toSlice(v)
		if err != nil {
			return nil, typeErr(t, v)
		}
		if t.Name == "set" {
			elems = c.sortSet(t.Args[0], elems)
		}
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(elems)))
		for i, e := range elems {
			if isNil(e) {
				return nil, fmt.Errorf("null element %d in %s", i, t.Name)
			}
			if dst, err = c.appendBytes(dst, t.Args[0], e); err != nil {
				return nil, fmt.Errorf("element %d: %w", i, err)
			}
		}
		return dst, nil
	case "map":
		if len(t.Args) != 2 {
			return nil, fmt.Errorf("malformed type %s", t)
		}
		entries, err := c.toEntries(t, v)
		if err != nil {
			return nil, err
		}
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(entries)))
		for _, e := range entries {
			if isNil(e.Key) || isNil(e.Value) {
				return nil, errors.New("null key or value in map")
			}
			if dst, err = c.appendBytes(dst, t.Args[0], e.Key); err != nil {
				return nil, fmt.Errorf("map key: %w", err)
			}
			if dst, err = c.appendBytes(dst, t.Args[1], e.Value); err != nil {
				return nil, fmt.Errorf("map value: %w", err)
			}
		}
		return dst, nil
	case "tuple":
		elems, err := toSlice(v)
		if err != nil {
			return nil, typeErr(t, v)
		}
		if len(elems) > len(t.Args) {
			return nil, fmt.Errorf("tuple of %d elements for %d types", len(elems), len(t.Args))
		}
		for i, e := range elems {
			if dst, err = c.appendBytes(dst, t.Args[i], e); err != nil {
				return nil, fmt.Errorf("tuple element %d: %w", i, err)
			}
		}
		return dst, nil
	case "udt":
		ut, err := c.userType(t)
		if err != nil {
			return nil, err
		}
		fields, err := udtFields(ut, v)
		if err != nil {
			return nil, err
		}
		for i, f := range fields {
			if dst, err = c.appendBytes(dst, ut.FieldTypes[i], f); err != nil {
				return nil, fmt.Errorf("field %s: %w", ut.FieldNames[i], err)
			}
		}
		return dst, nil
	case "vector":
		if len(t.Args) != 1 || t.Dim <= 0 {
			return nil, fmt.Errorf("malformed type %s", t)
		}
		elems, err := toSlice(v)
		if err != nil {
			return nil, typeErr(t, v)
		}
		if len(elems) != t.Dim {
			return nil, fmt.Errorf("expected vector with %d dimensions, got %d", t.Dim, len(elems))
		}
		fixed := fixedLength(t.Args[0]) > 0
		for i, e := range elems {
			if isNil(e) {
				return nil, fmt.Errorf("null element %d in vector", i)
			}
			b, err := c.encode(nil, t.Args[0], e)
			if err != nil {
				return nil, fmt.Errorf("vector element %d: %w", i, err)
			}
			if !fixed {
				dst = appendVint(dst, uint64(len(b)))
			}
			dst = append(dst, b...)
		}
		return dst, nil
	}
	return nil, fmt.Errorf("unsupported type %s", t)
}

// appendBytes appends v as a protocol [bytes]: an int length (-1 for null)
// and the value.
func (c Codec) appendBytes(dst []byte, t cql.Type, v any) ([]byte, error) {
	if isNil(v) {
		return binary.BigEndian.AppendUint32(dst, math.MaxUint32), nil
	}
	at := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	dst, err := c.encode(dst, t, v)
	if err != nil {
		return nil, err
	}
	binary.BigEndian.PutUint32(dst[at:], uint32(len(dst)-at-4))
	return dst, nil
}

// fixedLength is the length of every value of t when Cassandra treats it as
// fixed-length (which decides the vector layout), or 0.
func fixedLength(t cql.Type) int {
	t = t.Unfrozen()
	switch typeKind(t) {
	case "boolean":
		return 1
	case "int", "float":
		return 4
	case "bigint", "double", "timestamp", "counter":
		return 8
	case "uuid", "timeuuid":
		return 16
	case "vector":
		if len(t.Args) != 1 {
			return 0
		}
		if n := fixedLength(t.Args[0]); n > 0 {
			return n * t.Dim
		}
	}
	return 0
}

func typeErr(t cql.Type, v any) error {
	return fmt.Errorf("cannot encode %T as %s", v, t)
}

func intIn(t cql.Type, v any, lo, hi int64) (int64, error) {
	var n int64
	switch x := v.(type) {
	case int:
		n = int64(x)
	case int8:
		n = int64(x)
	case int16:
		n = int64(x)
	case int32:
		n = int64(x)
	case int64:
		n = x
	case uint8:
		n = int64(x)
	case uint16:
		n = int64(x)
	case uint32:
		n = int64(x)
	case uint:
		if uint64(x) > math.MaxInt64 {
			return 0, fmt.Errorf("value %d out of range for %s", x, t)
		}
		n = int64(x)
	case uint64:
		if x > math.MaxInt64 {
			return 0, fmt.Errorf("value %d out of range for %s", x, t)
		}
		n = int64(x)
	case *big.Int:
		if !x.IsInt64() {
			return 0, fmt.Errorf("value %s out of range for %s", x, t)
		}
		n = x.Int64()
	default:
		return 0, typeErr(t, v)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("value %d out of range for %s", n, t)
	}
	return n, nil
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float32:
		return float64(x), true
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

func toBig(v any) (*big.Int, bool) {
	switch x := v.(type) {
	case *big.Int:
		return x, true
	case big.Int:
		return &x, true
	}
	n, err := intIn(cql.Type{Name: "varint"}, v, math.MinInt64, math.MaxInt64)
	if err != nil {
		return nil, false
	}
	return big.NewInt(n), true
}

// appendVarint appends n in minimal big-endian two's complement.
func appendVarint(dst []byte, n *big.Int) []byte {
	switch n.Sign() {
	case 0:
		return append(dst, 0)
	case 1:
		b := n.Bytes()
		if b[0]&0x80 != 0 {
			dst = append(dst, 0)
		}
		return append(dst, b...)
	}
	// -n-1 has the bits of n inverted.
	m := new(big.Int).Neg(n)
	m.Sub(m, big.NewInt(1))
	b := m.Bytes()
	for i := range b {
		b[i] = ^b[i]
	}
	if len(b) == 0 || b[0]&0x80 == 0 {
		dst = append(dst, 0xff)
	}
	return append(dst, b...)
}

func decodeVarint(b []byte) *big.Int {
	n := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return n
}

// zigzag maps signed to unsigned so that small magnitudes stay small.
func zigzag(n int64) uint64 { return uint64(n<<1) ^ uint64(n>>63) }

func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

// appendVint appends Cassandra's unsigned vint: the number of leading one
// bits of the first byte is the number of extra bytes that follow.
func appendVint(dst []byte, v uint64) []byte {
	extra := vintExtra(v)
	if extra == 0 {
		return append(dst, byte(v))
	}
	buf := make([]byte, extra+1)
	x := v
	for i := extra; i >= 0; i-- {
		buf[i] = byte(x)
		x >>= 8
	}
	if extra < 8 {
		buf[0] |= ^byte(0xff >> uint(extra))
	} else {
		buf[0] = 0xff
	}
	return append(dst, buf...)
}

// vintExtra is the number of bytes after the first for v: a first byte with
// k leading ones carries 8-k-1 value bits, followed by k full bytes.
func vintExtra(v uint64) int {
	for k := 0; k < 8; k++ {
		bitsAvail := uint(7-k) + 8*uint(k)
		if v < uint64(1)<<bitsAvail {
			return k
		}
	}
	return 8
}

func readVint(b []byte) (uint64, int, error) {
	if len(b) == 0 {
		return 0, 0, errors.New("unexpected end of vint")
	}
	first := b[0]
	extra := 0
	for extra < 8 && first&(0x80>>uint(extra)) != 0 {
		extra++
	}
	if len(b) < extra+1 {
		return 0, 0, errors.New("unexpected end of vint")
	}
	var v uint64
	if extra < 8 {
		v = uint64(first & (0xff >> uint(extra+1)))
	}
	for i := 1; i <= extra; i++ {
		v = v<<8 | uint64(b[i])
	}
	return v, extra + 1, nil
}

// ParseUUID reads the 8-4-4-4-12 hex form of a uuid.
func ParseUUID(s string) ([16]byte, error) {
	var u [16]byte
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, fmt.Errorf("invalid uuid %q", s)
	}
	j := 0
	for i := 0; i < 36; {
		if s[i] == '-' {
			i++
			continue
		}
		hi, ok1 := unhex(s[i])
		lo, ok2 := unhex(s[i+1])
		if !ok1 || !ok2 {
			return u, fmt.Errorf("invalid uuid %q", s)
		}
		u[j] = hi<<4 | lo
		j++
		i += 2
	}
	return u, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func toUUID(v any) ([16]byte, error) {
	switch x := v.(type) {
	case [16]byte:
		return x, nil
	case []byte:
		if len(x) != 16 {
			return [16]byte{}, fmt.Errorf("uuid of %d bytes", len(x))
		}
		return [16]byte(x), nil
	case string:
		return ParseUUID(x)
	case fmt.Stringer:
		return ParseUUID(x.String())
	}
	return [16]byte{}, fmt.Errorf("cannot encode %T as uuid", v)
}

func toIP(v any) ([]byte, error) {
	switch x := v.(type) {
	case net.IP:
		if v4 := x.To4(); v4 != nil {
			return v4, nil
		}
		if len(x) == 16 {
			return x, nil
		}
		return nil, fmt.Errorf("invalid ip of %d bytes", len(x))
	case netip.Addr:
		if !x.IsValid() {
			return nil, errors.New("invalid ip")
		}
		return x.Unmap().AsSlice(), nil
	case string:
		a, err := netip.ParseAddr(x)
		if err != nil {
			return nil, fmt.Errorf("invalid inet %q", x)
		}
		return a.AsSlice(), nil
	}
	return nil, fmt.Errorf("cannot encode %T as inet", v)
}

// toSlice accepts []any and any other slice or array (but not []byte, which
// would be ambiguous with blobs).
func toSlice(v any) ([]any, error) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, nil
	case []byte:
		return nil, errors.New("bytes are not a collection")
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, fmt.Errorf("%T is not a slice", v)
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, nil
}

// sortSet returns the elements in Cassandra's set order, duplicates removed.
func (c Codec) sortSet(et cql.Type, elems []any) []any {
	out := append([]any(nil), elems...)
	sort.SliceStable(out, func(i, j int) bool { return c.Compare(et, out[i], out[j]) < 0 })
	n := 0
	for i, e := range out {
		if i > 0 && c.Compare(et, out[n-1], e) == 0 {
			continue
		}
		out[n] = e
		n++
	}
	return out[:n]
}

// toEntries accepts []MapEntry (kept in its order after sorting by key) and
// any Go map (sorted by key).
func (c Codec) toEntries(t cql.Type, v any) ([]MapEntry, error) {
	var entries []MapEntry
	switch x := v.(type) {
	case []MapEntry:
		entries = append([]MapEntry(nil), x...)
	case map[string]string:
		entries = make([]MapEntry, 0, len(x))
		for k, val := range x {
			entries = append(entries, MapEntry{k, val})
		}
	default:
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Map {
			return nil, typeErr(t, v)
		}
		it := rv.MapRange()
		for it.Next() {
			entries = append(entries, MapEntry{it.Key().Interface(), it.Value().Interface()})
		}
	}
	kt := t.Args[0]
	sort.SliceStable(entries, func(i, j int) bool { return c.Compare(kt, entries[i].Key, entries[j].Key) < 0 })
	return entries, nil
}

func (c Codec) userType(t cql.Type) (*UserType, error) {
	if c.Types == nil {
		return nil, fmt.Errorf("user type %s: %w", t, ErrNoUserTypes)
	}
	ut, err := c.Types(t.Keyspace, t.Name)
	if err != nil {
		return nil, fmt.Errorf("user type %s: %w", t, err)
	}
	if len(ut.FieldNames) != len(ut.FieldTypes) {
		return nil, fmt.Errorf("user type %s: %d names for %d types", t, len(ut.FieldNames), len(ut.FieldTypes))
	}
	return ut, nil
}

// udtFields orders a user type value by field: []any is taken as is (fewer
// values leave the last fields null), map[string]any is looked up by name.
func udtFields(ut *UserType, v any) ([]any, error) {
	switch x := v.(type) {
	case map[string]any:
		out := make([]any, len(ut.FieldNames))
		seen := 0
		for i, n := range ut.FieldNames {
			if fv, ok := x[n]; ok {
				out[i] = fv
				seen++
			}
		}
		if seen != len(x) {
			for k := range x {
				if !contains(ut.FieldNames, k) {
					return nil, fmt.Errorf("unknown field %s in user type %s", k, ut.Name)
				}
			}
		}
		return out, nil
	}
	elems, err := toSlice(v)
	if err != nil {
		return nil, fmt.Errorf("cannot encode %T as user type %s", v, ut.Name)
	}
	if len(elems) > len(ut.FieldNames) {
		return nil, fmt.Errorf("%d values for the %d fields of user type %s", len(elems), len(ut.FieldNames), ut.Name)
	}
	return elems, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Decode returns the Go value of the encoding b of type t; a nil b (null)
// decodes to nil, and so does an empty value of a type that has no empty
// form of its own (anything but text, ascii and blob).
func (c Codec) Decode(t cql.Type, b []byte) (any, error) {
	if b == nil {
		return nil, nil
	}
	v, err := c.decode(t, b)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", t, err)
	}
	return v, nil
}

func wantLen(b []byte, n int) error {
	if len(b) != n {
		return fmt.Errorf("expected %d bytes, got %d", n, len(b))
	}
	return nil
}

func (c Codec) decode(t cql.Type, b []byte) (any, error) {
	t = t.Unfrozen()
	k := typeKind(t)
	switch k {
	case "ascii", "text":
		if k == "text" && !utf8.Valid(b) {
			return nil, errors.New("invalid utf-8 string")
		}
		if t.Name == "ascii" {
			for i, c := range b {
				if c >= 0x80 {
					return nil, fmt.Errorf("invalid ascii character at %d", i)
				}
			}
		}
		return string(b), nil
	case "blob", "custom":
		return append([]byte{}, b...), nil
	}
	if len(b) == 0 {
		return nil, nil
	}
	switch k {
	case "int":
		if err := wantLen(b, 4); err != nil {
			return nil, err
		}
		return int32(binary.BigEndian.Uint32(b)), nil
	case "bigint", "counter":
		if err := wantLen(b, 8); err != nil {
			return nil, err
		}
		return int64(binary.BigEndian.Uint64(b)), nil
	case "smallint":
		if err := wantLen(b, 2); err != nil {
			return nil, err
		}
		return int16(binary.BigEndian.Uint16(b)), nil
	case "tinyint":
		if err := wantLen(b, 1); err != nil {
			return nil, err
		}
		return int8(b[0]), nil
	case "boolean":
		if err := wantLen(b, 1); err != nil {
			return nil, err
		}
		return b[0] != 0, nil
	case "float":
		if err := wantLen(b, 4); err != nil {
			return nil, err
		}
		return math.Float32frombits(binary.BigEndian.Uint32(b)), nil
	case "double":
		if err := wantLen(b, 8); err != nil {
			return nil, err
		}
		return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
	case "decimal":
		if len(b) < 5 {
			return nil, fmt.Errorf("decimal of %d bytes", len(b))
		}
		return Decimal{Scale: int32(binary.BigEndian.Uint32(b)), Unscaled: decodeVarint(b[4:])}, nil
	case "varint":
		return decodeVarint(b), nil
	case "uuid", "timeuuid":
		if err := wantLen(b, 16); err != nil {
			return nil, err
		}
		if t.Name == "timeuuid" && b[6]>>4 != 1 {
			return nil, errors.New("timeuuid must be a version 1 uuid")
		}
		return [16]byte(b), nil
	case "timestamp":
		if err := wantLen(b, 8); err != nil {
			return nil, err
		}
		return time.UnixMilli(int64(binary.BigEndian.Uint64(b))).UTC(), nil
	case "date":
		if err := wantLen(b, 4); err != nil {
			return nil, err
		}
		return Date(binary.BigEndian.Uint32(b)), nil
	case "time":
		if err := wantLen(b, 8); err != nil {
			return nil, err
		}
		ns := int64(binary.BigEndian.Uint64(b))
		if ns < 0 || ns >= 86400e9 {
			return nil, fmt.Errorf("time %d out of range [0, 86400e9)", ns)
		}
		return Time(ns), nil
	case "duration":
		var vals [3]int64
		rest := b
		for i := range vals {
			u, n, err := readVint(rest)
			if err != nil {
				return nil, err
			}
			vals[i] = unzigzag(u)
			rest = rest[n:]
		}
		if len(rest) != 0 {
			return nil, errors.New("extra bytes after duration")
		}
		return Duration{Months: int32(vals[0]), Days: int32(vals[1]), Nanos: vals[2]}, nil
	case "inet":
		if len(b) != 4 && len(b) != 16 {
			return nil, fmt.Errorf("inet of %d bytes", len(b))
		}
		return net.IP(append([]byte{}, b...)), nil
	case "list", "set", "map":
		if want := map[string]int{"list": 1, "set": 1, "map": 2}[t.Name]; len(t.Args) != want {
			return nil, fmt.Errorf("malformed type %s", t)
		}
		return c.decodeCollection(t, b)
	case "tuple":
		out := make([]any, len(t.Args))
		rest := b
		for i := range t.Args {
			if len(rest) == 0 {
				break
			}
			e, n, err := c.readBytes(t.Args[i], rest)
			if err != nil {
				return nil, fmt.Errorf("tuple element %d: %w", i, err)
			}
			out[i], rest = e, rest[n:]
		}
		if len(rest) != 0 {
			return nil, errors.New("extra bytes after tuple")
		}
		return out, nil
	case "udt":
		ut, err := c.userType(t)
		if err != nil {
			return nil, err
		}
		out := make([]any, len(ut.FieldTypes))
		rest := b
		for i := range ut.FieldTypes {
			if len(rest) == 0 {
				break
			}
			e, n, err := c.readBytes(ut.FieldTypes[i], rest)
			if err != nil {
				return nil, fmt.Errorf("field %s: %w", ut.FieldNames[i], err)
			}
			out[i], rest = e, rest[n:]
		}
		if len(rest) != 0 {
			return nil, errors.New("extra bytes after user type value")
		}
		return out, nil
	case "vector":
		if len(t.Args) != 1 || t.Dim <= 0 {
			return nil, fmt.Errorf("malformed type %s", t)
		}
		out := make([]any, t.Dim)
		size := fixedLength(t.Args[0])
		rest := b
		for i := range out {
			n := size
			if size == 0 {
				u, m, err := readVint(rest)
				if err != nil {
					return nil, fmt.Errorf("vector element %d: %w", i, err)
				}
				rest = rest[m:]
				n = int(u)
			}
			if n > len(rest) || n < 0 {
				return nil, fmt.Errorf("vector element %d: unexpected end of value", i)
			}
			e, err := c.decode(t.Args[0], rest[:n])
			if err != nil {
				return nil, fmt.Errorf("vector element %d: %w", i, err)
			}
			out[i], rest = e, rest[n:]
		}
		if len(rest) != 0 {
			return nil, errors.New("extra bytes after vector")
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported type %s", t)
}

// readBytes reads one protocol [bytes] of type t from b and returns the
// value and the number of bytes consumed.
func (c Codec) readBytes(t cql.Type, b []byte) (any, int, error) {
	if len(b) < 4 {
		return nil, 0, errors.New("unexpected end of value")
	}
	n := int32(binary.BigEndian.Uint32(b))
	if n < 0 {
		return nil, 4, nil
	}
	if int(n) > len(b)-4 {
		return nil, 0, errors.New("unexpected end of value")
	}
	v, err := c.decode(t, b[4:4+n])
	if err != nil {
		return nil, 0, err
	}
	return v, 4 + int(n), nil
}

func (c Codec) decodeCollection(t cql.Type, b []byte) (any, error) {
	if len(b) < 4 {
		return nil, errors.New("unexpected end of collection")
	}
	n := int(int32(binary.BigEndian.Uint32(b)))
	if n < 0 || n > len(b) {
		return nil, fmt.Errorf("invalid collection size %d", n)
	}
	rest := b[4:]
	if t.Name == "map" {
		out := make([]MapEntry, n)
		for i := range out {
			k, m, err := c.readBytes(t.Args[0], rest)
			if err != nil {
				return nil, fmt.Errorf("map key %d: %w", i, err)
			}
			rest = rest[m:]
			v, m, err := c.readBytes(t.Args[1], rest)
			if err != nil {
				return nil, fmt.Errorf("map value %d: %w", i, err)
			}
			rest = rest[m:]
			out[i] = MapEntry{k, v}
		}
		if len(rest) != 0 {
			return nil, errors.New("extra bytes after map")
		}
		return out, nil
	}
	out := make([]any, n)
	for i := range out {
		e, m, err := c.readBytes(t.Args[0], rest)
		if err != nil {
			return nil, fmt.Errorf("element %d: %w", i, err)
		}
		out[i], rest = e, rest[m:]
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("extra bytes after %s", t.Name)
	}
	return out, nil
}
