package store

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"time"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// Compare orders two Go values of type t as Cassandra's comparator for the
// type does: null first; text, ascii, blob and inet by bytes; numbers by
// value (float NaN last and -0 before 0, as Java's Float.compare); false
// before true; uuid by version, then time for version 1, then bytes;
// timeuuid by time, then the clock and node bytes signed; frozen
// collections, tuples, user types and vectors element by element, the
// shorter first on a common prefix. Values of an unexpected Go type are
// normalised through the codec first; values that cannot be are compared by
// their Go formatting so that sorting stays total.
func (c Codec) Compare(t cql.Type, a, b any) int { return c.compare(t, a, b, false) }

func (c Codec) compare(t cql.Type, a, b any, normalized bool) int {
	an, bn := isNil(a), isNil(b)
	switch {
	case an && bn:
		return 0
	case an:
		return -1
	case bn:
		return 1
	}
	t = t.Unfrozen()
	switch typeKind(t) {
	case "ascii", "text":
		if x, ok := a.(string); ok {
			if y, ok := b.(string); ok {
				return cmp.Compare(x, y)
			}
		}
	case "blob", "custom":
		if x, ok := a.([]byte); ok {
			if y, ok := b.([]byte); ok {
				return bytes.Compare(x, y)
			}
		}
	case "int", "bigint", "counter", "smallint", "tinyint":
		x, err1 := intIn(t, a, math.MinInt64, math.MaxInt64)
		y, err2 := intIn(t, b, math.MinInt64, math.MaxInt64)
		if err1 == nil && err2 == nil {
			return cmp.Compare(x, y)
		}
	case "boolean":
		if x, ok := a.(bool); ok {
			if y, ok := b.(bool); ok {
				return cmpBool(x, y)
			}
		}
	case "float", "double":
		x, ok1 := toFloat(a)
		y, ok2 := toFloat(b)
		if ok1 && ok2 {
			return javaFloatCompare(x, y)
		}
	case "decimal":
		if x, ok := a.(Decimal); ok {
			if y, ok := b.(Decimal); ok {
				return x.Rat().Cmp(y.Rat())
			}
		}
	case "varint":
		x, ok1 := toBig(a)
		y, ok2 := toBig(b)
		if ok1 && ok2 {
			return x.Cmp(y)
		}
	case "uuid", "timeuuid":
		x, err1 := toUUID(a)
		y, err2 := toUUID(b)
		if err1 == nil && err2 == nil {
			if t.Name == "timeuuid" {
				return compareTimeUUID(x, y)
			}
			return compareUUID(x, y)
		}
	case "timestamp":
		if x, ok := a.(time.Time); ok {
			if y, ok := b.(time.Time); ok {
				return x.Compare(y)
			}
		}
	case "date":
		if x, ok := a.(Date); ok {
			if y, ok := b.(Date); ok {
				return cmp.Compare(x, y)
			}
		}
	case "time":
		if x, ok := a.(Time); ok {
			if y, ok := b.(Time); ok {
				return cmp.Compare(x, y)
			}
		}
	case "inet":
		x, err1 := toIP(a)
		y, err2 := toIP(b)
		if err1 == nil && err2 == nil {
			return bytes.Compare(x, y)
		}
	case "list", "set", "vector":
		if len(t.Args) == 1 {
			x, err1 := toSlice(a)
			y, err2 := toSlice(b)
			if err1 == nil && err2 == nil {
				return c.compareSeq(x, y, func(int) cql.Type { return t.Args[0] })
			}
		}
	case "tuple":
		x, err1 := toSlice(a)
		y, err2 := toSlice(b)
		if err1 == nil && err2 == nil {
			return c.compareSeq(x, y, func(i int) cql.Type {
				if i < len(t.Args) {
					return t.Args[i]
				}
				return cql.Type{Name: "blob"}
			})
		}
	case "udt":
		if ut, err := c.userType(t); err == nil {
			x, err1 := udtFields(ut, a)
			y, err2 := udtFields(ut, b)
			if err1 == nil && err2 == nil {
				return c.compareSeq(x, y, func(i int) cql.Type { return ut.FieldTypes[i] })
			}
		}
	case "map":
		if len(t.Args) == 2 {
			x, err1 := c.toEntries(t, a)
			y, err2 := c.toEntries(t, b)
			if err1 == nil && err2 == nil {
				for i := 0; i < len(x) && i < len(y); i++ {
					if r := c.Compare(t.Args[0], x[i].Key, y[i].Key); r != 0 {
						return r
					}
					if r := c.Compare(t.Args[1], x[i].Value, y[i].Value); r != 0 {
						return r
					}
				}
				return cmp.Compare(len(x), len(y))
			}
		}
	}
	// Mixed or unexpected Go types: compare canonical forms once.
	if !normalized {
		na, err1 := c.normalize(t, a)
		nb, err2 := c.normalize(t, b)
		if err1 == nil && err2 == nil {
			return c.compare(t, na, nb, true)
		}
	}
	ea, err1 := c.Encode(t, a)
	eb, err2 := c.Encode(t, b)
	if err1 == nil && err2 == nil {
		return bytes.Compare(ea, eb)
	}
	return cmp.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

// normalize converts v to the Go type Decode yields for t.
func (c Codec) normalize(t cql.Type, v any) (any, error) {
	if isNil(v) {
		return nil, nil
	}
	b, err := c.Encode(t, v)
	if err != nil {
		return nil, err
	}
	return c.Decode(t, b)
}

func (c Codec) compareSeq(x, y []any, typ func(int) cql.Type) int {
	for i := 0; i < len(x) && i < len(y); i++ {
		if r := c.Compare(typ(i), x[i], y[i]); r != 0 {
			return r
		}
	}
	return cmp.Compare(len(x), len(y))
}

func cmpBool(x, y bool) int {
	switch {
	case x == y:
		return 0
	case !x:
		return -1
	}
	return 1
}

// javaFloatCompare orders as Java's Double.compare: -0.0 < 0.0 and NaN after
// everything, equal to itself.
func javaFloatCompare(x, y float64) int {
	xn, yn := math.IsNaN(x), math.IsNaN(y)
	switch {
	case xn && yn:
		return 0
	case xn:
		return 1
	case yn:
		return -1
	case x < y:
		return -1
	case x > y:
		return 1
	}
	xs, ys := math.Signbit(x), math.Signbit(y)
	switch {
	case xs == ys:
		return 0
	case xs:
		return -1
	}
	return 1
}

// uuidTime is the 60-bit timestamp of a version 1 uuid.
func uuidTime(u [16]byte) uint64 {
	hi := uint64(u[6]&0x0f)<<8 | uint64(u[7])
	mid := uint64(u[4])<<8 | uint64(u[5])
	low := uint64(u[0])<<24 | uint64(u[1])<<16 | uint64(u[2])<<8 | uint64(u[3])
	return hi<<48 | mid<<32 | low
}

func compareUUID(x, y [16]byte) int {
	if r := cmp.Compare(x[6]>>4, y[6]>>4); r != 0 {
		return r
	}
	if x[6]>>4 == 1 {
		if r := cmp.Compare(uuidTime(x), uuidTime(y)); r != 0 {
			return r
		}
	}
	return bytes.Compare(x[:], y[:])
}

func compareTimeUUID(x, y [16]byte) int {
	if r := cmp.Compare(uuidTime(x), uuidTime(y)); r != 0 {
		return r
	}
	for i := 8; i < 16; i++ {
		if r := cmp.Compare(int8(x[i]), int8(y[i])); r != 0 {
			return r
		}
	}
	return 0
}
