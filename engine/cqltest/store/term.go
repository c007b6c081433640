package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// BoundValue is one value bound to a bind marker by EXECUTE, QUERY with
// values, or BATCH: the raw protocol bytes (nil for null) or the "unset"
// marker of protocol v4, which leaves a column untouched.
type BoundValue struct {
	Bytes []byte
	Unset bool
}

// unsetValue is the type of Unset.
type unsetValue struct{}

// Unset is what FromTerm returns for a bind marker bound to the protocol's
// "unset" value: the caller leaves the column as it is.
var Unset any = unsetValue{}

// invalidf builds an InvalidRequest (0x2200) error worded as Cassandra
// words it.
func invalidf(format string, args ...any) error {
	return &schema.Error{Code: schema.CodeInvalid, Msg: fmt.Sprintf(format, args...)}
}

// FromTerm evaluates a CQL term (a literal, a bind marker, a collection,
// tuple or user type literal, a type hint, a function such as now() or
// toTimestamp()) as a value of type t, with the zero Codec and the wall
// clock. Mismatches are InvalidRequest errors worded as Cassandra's.
func FromTerm(t cql.Type, term cql.Term, bound []BoundValue) (any, error) {
	ev := evaluator{codec: Codec{}, clock: WallClock{}, gen: defaultGen}
	return ev.eval("value", t, term, bound)
}

// defaultGen makes the timeuuids of FromTerm, shared so that successive
// calls keep increasing.
var defaultGen = &timeUUIDGen{}

// evaluator turns terms into values for one statement: it knows the codec
// (user types) and the clock (now(), currentTimestamp()).
type evaluator struct {
	codec Codec
	clock Clock
	gen   *timeUUIDGen
}

func (ev evaluator) eval(receiver string, t cql.Type, term cql.Term, bound []BoundValue) (any, error) {
	ut := t.Unfrozen()
	switch x := term.(type) {
	case nil:
		return nil, invalidf("Invalid null value for %s", receiver)
	case *cql.BindMarker:
		if x.Index < 0 || x.Index >= len(bound) {
			return nil, invalidf("There were %d markers(?) in CQL but %d bound variables", x.Index+1, len(bound))
		}
		bv := bound[x.Index]
		if bv.Unset {
			return Unset, nil
		}
		v, err := ev.codec.Decode(t, bv.Bytes)
		if err != nil {
			return nil, invalidf("Exception while binding column %s: %v", receiver, err)
		}
		return v, nil
	case *cql.Literal:
		return literalValue(receiver, t, x)
	case *cql.TypeHint:
		return ev.eval(receiver, t, x.Expr, bound)
	case *cql.CollectionLiteral:
		return ev.collection(receiver, t, x, bound)
	case *cql.TupleLiteral:
		if ut.Name != "tuple" {
			if ut.IsUser() || ut.Name == "vector" {
				return nil, invalidf("Invalid tuple literal for %s of type %s", receiver, t)
			}
			return nil, invalidf("Invalid tuple type literal for %s of type %s", receiver, t)
		}
		if len(x.Elements) > len(ut.Args) {
			return nil, invalidf("Invalid tuple literal for %s: too many elements. Type %s expects %d but got %d", receiver, t, len(ut.Args), len(x.Elements))
		}
		out := make([]any, len(ut.Args))
		for i, e := range x.Elements {
			if isNullLiteral(e) {
				continue
			}
			v, err := ev.eval(fmt.Sprintf("component %d of %s", i, receiver), ut.Args[i], e, bound)
			if err != nil {
				return nil, err
			}
			if v == Unset {
				return nil, invalidf("Invalid unset value for tuple field number %d", i)
			}
			out[i] = v
		}
		return out, nil
	case *cql.UDTLiteral:
		if !ut.IsUser() {
			return nil, invalidf("Invalid user type literal for %s of type %s", receiver, t)
		}
		u, err := ev.codec.userType(ut)
		if err != nil {
			return nil, invalidf("%v", err)
		}
		out := make([]any, len(u.FieldNames))
		for _, f := range x.Fields {
			i := indexOf(u.FieldNames, f.Name.Name)
			if i < 0 {
				return nil, invalidf("Unknown field '%s' in value of user defined type %s", f.Name.Name, u.Name)
			}
			if isNullLiteral(f.Value) {
				continue
			}
			v, err := ev.eval(fmt.Sprintf("field %s of %s", f.Name.Name, receiver), u.FieldTypes[i], f.Value, bound)
			if err != nil {
				return nil, err
			}
			if v == Unset {
				v = nil
			}
			out[i] = v
		}
		return out, nil
	case *cql.FunctionCall:
		return ev.function(receiver, t, x, bound)
	case *cql.UnaryOp:
		if x.Op == "-" {
			v, err := ev.eval(receiver, t, x.Operand, bound)
			if err != nil {
				return nil, err
			}
			return negate(receiver, t, v)
		}
	}
	return nil, invalidf("Invalid value %s for %s of type %s: expressions of this kind are not supported by the cqltest store", term, receiver, t)
}

func isNullLiteral(t cql.Term) bool {
	l, ok := t.(*cql.Literal)
	return ok && l.Type == cql.LitNull
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func negate(receiver string, t cql.Type, v any) (any, error) {
	switch x := v.(type) {
	case int8:
		return -x, nil
	case int16:
		return -x, nil
	case int32:
		return -x, nil
	case int64:
		return -x, nil
	case float32:
		return -x, nil
	case float64:
		return -x, nil
	case *big.Int:
		return new(big.Int).Neg(x), nil
	case Decimal:
		return Decimal{Unscaled: new(big.Int).Neg(x.Unscaled), Scale: x.Scale}, nil
	}
	return nil, invalidf("Invalid negation of %s for %s of type %s", formatValue(v), receiver, t)
}

// literalKindName is how Cassandra names a constant's kind in its messages.
func literalKindName(l *cql.Literal) string {
	switch l.Type {
	case cql.LitString:
		return "STRING"
	case cql.LitInteger:
		return "INTEGER"
	case cql.LitFloat, cql.LitNaN, cql.LitInfinity:
		return "FLOAT"
	case cql.LitBoolean:
		return "BOOLEAN"
	case cql.LitUUID:
		return "UUID"
	case cql.LitBlob:
		return "HEX"
	case cql.LitDuration:
		return "DURATION"
	}
	return strings.ToUpper(string(l.Type))
}

// literalAccepts says which types a constant of each kind may be assigned
// to (Cassandra's Constants.Type.testAssignment).
func literalAccepts(kind cql.LiteralKind, typeName string) bool {
	switch kind {
	case cql.LitString:
		switch typeName {
		case "ascii", "text", "varchar", "inet", "date", "time", "timestamp", "duration":
			return true
		}
	case cql.LitInteger:
		switch typeName {
		case "bigint", "counter", "decimal", "double", "float", "int", "smallint", "tinyint", "varint", "timestamp", "date", "time", "duration":
			return true
		}
	case cql.LitFloat, cql.LitNaN, cql.LitInfinity:
		switch typeName {
		case "decimal", "double", "float":
			return true
		}
	case cql.LitBoolean:
		return typeName == "boolean"
	case cql.LitUUID:
		return typeName == "uuid" || typeName == "timeuuid"
	case cql.LitBlob:
		return typeName == "blob"
	case cql.LitDuration:
		return typeName == "duration"
	}
	return false
}

func literalValue(receiver string, t cql.Type, l *cql.Literal) (any, error) {
	if l.Type == cql.LitNull {
		return nil, nil
	}
	ut := t.Unfrozen()
	name := typeKind(ut)
	if ut.Name == "varchar" {
		name = "varchar"
	}
	if !literalAccepts(l.Type, name) {
		return nil, invalidf("Invalid %s constant (%s) for \"%s\" of type %s", literalKindName(l), l.Text, receiver, t)
	}
	v, err := parseLiteral(ut, l)
	if err != nil {
		return nil, invalidf("%s", err.Error())
	}
	return v, nil
}

// parseLiteral reads the text of an accepted constant as a value of t;
// errors are worded as Cassandra's marshalling errors.
func parseLiteral(t cql.Type, l *cql.Literal) (any, error) {
	s := l.Text
	intIn := func(bitSize int, typeName string) (int64, error) {
		n, err := strconv.ParseInt(s, 10, bitSize)
		if err != nil {
			return 0, fmt.Errorf("Unable to make %s from '%s'", typeName, s)
		}
		return n, nil
	}
	switch typeKind(t) {
	case "ascii":
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				return nil, fmt.Errorf("Invalid ASCII character in string literal")
			}
		}
		return s, nil
	case "text":
		return s, nil
	case "int":
		n, err := intIn(32, "int")
		return int32(n), err
	case "bigint", "counter":
		n, err := intIn(64, "long")
		return n, err
	case "smallint":
		n, err := intIn(16, "short")
		return int16(n), err
	case "tinyint":
		n, err := intIn(8, "byte")
		return int8(n), err
	case "varint":
		n, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return nil, fmt.Errorf("Unable to make a varint from '%s'", s)
		}
		return n, nil
	case "decimal":
		if l.Type == cql.LitNaN || l.Type == cql.LitInfinity {
			return nil, fmt.Errorf("Unable to make BigDecimal from '%s'", s)
		}
		d, err := ParseDecimal(s)
		if err != nil {
			return nil, fmt.Errorf("Unable to make BigDecimal from '%s'", s)
		}
		return d, nil
	case "float", "double":
		bitSize := 64
		if t.Name == "float" {
			bitSize = 32
		}
		var f float64
		switch strings.ToLower(strings.TrimLeft(s, "+")) {
		case "nan":
			f = math.NaN()
		case "infinity":
			f = math.Inf(1)
		case "-infinity":
			f = math.Inf(-1)
		default:
			var err error
			if f, err = strconv.ParseFloat(s, bitSize); err != nil {
				return nil, fmt.Errorf("Unable to make %s from '%s'", t.Name, s)
			}
		}
		if bitSize == 32 {
			return float32(f), nil
		}
		return f, nil
	case "boolean":
		return strings.EqualFold(s, "true"), nil
	case "uuid", "timeuuid":
		u, err := ParseUUID(s)
		if err != nil {
			return nil, fmt.Errorf("Unable to make UUID from '%s'", s)
		}
		if t.Name == "timeuuid" && u[6]>>4 != 1 {
			return nil, fmt.Errorf("Unsupported UUID version for timeuuid")
		}
		return u, nil
	case "blob":
		h := strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
		b, err := hex.DecodeString(h)
		if err != nil {
			return nil, fmt.Errorf("cannot parse '%s' as hex bytes", s)
		}
		return b, nil
	case "inet":
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("Unable to make inet address from '%s'", s)
		}
		ip, _ := toIP(a)
		return net.IP(ip), nil
	case "timestamp":
		if l.Type == cql.LitInteger {
			n, err := intIn(64, "long")
			return time.UnixMilli(n).UTC(), err
		}
		ts, err := ParseTimestamp(s)
		if err != nil {
			return nil, err
		}
		return ts, nil
	case "date":
		if l.Type == cql.LitInteger {
			n, err := strconv.ParseUint(s, 10, 32)
			if err != nil {
				return nil, fmt.Errorf("Unable to make unsigned int (for date) from: '%s'", s)
			}
			return Date(n), nil
		}
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			return nil, fmt.Errorf("Unable to coerce '%s' to a formatted date (long)", s)
		}
		return DateOf(d), nil
	case "time":
		if l.Type == cql.LitInteger {
			n, err := intIn(64, "long")
			if err == nil && (n < 0 || n >= 86400e9) {
				err = fmt.Errorf("Unable to make time from '%s'", s)
			}
			return Time(n), err
		}
		tm, err := ParseTime(s)
		return tm, err
	case "duration":
		if l.Type == cql.LitInteger {
			n, err := intIn(64, "long")
			return Duration{Nanos: n}, err
		}
		return ParseDuration(s)
	}
	return nil, fmt.Errorf("Invalid constant (%s) for type %s", s, t)
}

// ParseTimestamp reads the timestamp string forms Cassandra accepts:
// yyyy-mm-dd, with an optional time (space or T), fraction of a second and
// zone (Z, +hhmm, +hh:mm); no zone means UTC.
func ParseTimestamp(s string) (time.Time, error) {
	layouts := []string{
		"2006-01-02 15:04:05.999999999Z0700", "2006-01-02T15:04:05.999999999Z0700",
		"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999",
		"2006-01-02 15:04Z0700", "2006-01-02T15:04Z0700", "2006-01-02 15:04", "2006-01-02T15:04",
		"2006-01-02Z0700", "2006-01-02",
	}
	for _, layout := range layouts {
		if ts, err := time.Parse(layout, s); err == nil {
			return time.UnixMilli(ts.UnixMilli()).UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("Unable to parse a date/time from '%s'", s)
}

// ParseTime reads hh:mm:ss[.fffffffff] as a time of day.
func ParseTime(s string) (Time, error) {
	bad := fmt.Errorf("Unable to coerce '%s' to a formatted time (long)", s)
	main, frac, _ := strings.Cut(s, ".")
	parts := strings.Split(main, ":")
	if len(parts) != 3 || len(frac) > 9 {
		return 0, bad
	}
	var hms [3]int64
	for i, p := range parts {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || n < 0 {
			return 0, bad
		}
		hms[i] = n
	}
	if hms[0] > 23 || hms[1] > 59 || hms[2] > 59 {
		return 0, bad
	}
	ns := int64(0)
	if frac != "" {
		n, err := strconv.ParseInt(frac+strings.Repeat("0", 9-len(frac)), 10, 64)
		if err != nil {
			return 0, bad
		}
		ns = n
	}
	return Time(hms[0]*3600e9 + hms[1]*60e9 + hms[2]*1e9 + ns), nil
}

// ParseDuration reads a duration literal in Cassandra's unit form
// (1y2mo3w4d5h6m7s8ms9us10ns, µs accepted), its ISO 8601 form (P1Y2M3DT4H5M6S,
// P2W) or a negative of either.
func ParseDuration(s string) (Duration, error) {
	bad := fmt.Errorf("Unable to convert '%s' to a duration", s)
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	if body == "" {
		return Duration{}, bad
	}
	var d Duration
	if body[0] == 'P' || body[0] == 'p' {
		inTime := false
		num := ""
		for _, r := range strings.ToUpper(body[1:]) {
			switch {
			case r >= '0' && r <= '9':
				num += string(r)
			case r == 'T':
				inTime = true
			default:
				n, err := strconv.ParseInt(num, 10, 64)
				if err != nil {
					return Duration{}, bad
				}
				num = ""
				switch {
				case r == 'Y' && !inTime:
					d.Months += int32(n * 12)
				case r == 'M' && !inTime:
					d.Months += int32(n)
				case r == 'W' && !inTime:
					d.Days += int32(n * 7)
				case r == 'D' && !inTime:
					d.Days += int32(n)
				case r == 'H' && inTime:
					d.Nanos += n * 3600e9
				case r == 'M' && inTime:
					d.Nanos += n * 60e9
				case r == 'S' && inTime:
					d.Nanos += n * 1e9
				default:
					return Duration{}, bad
				}
			}
		}
		if num != "" {
			return Duration{}, bad
		}
	} else {
		rest := strings.ToLower(body)
		for rest != "" {
			i := 0
			for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
				i++
			}
			if i == 0 {
				return Duration{}, bad
			}
			n, err := strconv.ParseInt(rest[:i], 10, 64)
			if err != nil {
				return Duration{}, bad
			}
			rest = rest[i:]
			j := 0
			for j < len(rest) && (rest[j] < '0' || rest[j] > '9') {
				j++
			}
			unit := rest[:j]
			rest = rest[j:]
			switch unit {
			case "y":
				d.Months += int32(n * 12)
			case "mo":
				d.Months += int32(n)
			case "w":
				d.Days += int32(n * 7)
			case "d":
				d.Days += int32(n)
			case "h":
				d.Nanos += n * 3600e9
			case "m":
				d.Nanos += n * 60e9
			case "s":
				d.Nanos += n * 1e9
			case "ms":
				d.Nanos += n * 1e6
			case "us", "µs":
				d.Nanos += n * 1e3
			case "ns":
				d.Nanos += n
			default:
				return Duration{}, bad
			}
		}
	}
	if neg {
		d = Duration{Months: -d.Months, Days: -d.Days, Nanos: -d.Nanos}
	}
	return d, nil
}

func (ev evaluator) collection(receiver string, t cql.Type, x *cql.CollectionLiteral, bound []BoundValue) (any, error) {
	ut := t.Unfrozen()
	elem := func(et cql.Type, e cql.Term, what string) (any, error) {
		if isNullLiteral(e) {
			return nil, invalidf("null is not supported inside collections")
		}
		v, err := ev.eval(what+"("+receiver+")", et, e, bound)
		if err != nil {
			return nil, err
		}
		if v == Unset {
			return nil, invalidf("unset value is not supported inside collections")
		}
		if v == nil {
			return nil, invalidf("null is not supported inside collections")
		}
		return v, nil
	}
	switch {
	case ut.Name == "list" && x.Kind == "list", ut.Name == "vector" && x.Kind == "list":
		out := make([]any, 0, len(x.Elements))
		for _, e := range x.Elements {
			v, err := elem(ut.Args[0], e, "value")
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		if ut.Name == "vector" && len(out) != ut.Dim {
			return nil, invalidf("Invalid vector literal for %s of type %s; expected %d elements, but given %d", receiver, t, ut.Dim, len(out))
		}
		return out, nil
	case ut.Name == "set" && (x.Kind == "set" || x.Kind == "map" && len(x.Entries) == 0):
		out := make([]any, 0, len(x.Elements))
		for _, e := range x.Elements {
			v, err := elem(ut.Args[0], e, "value")
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return ev.codec.sortSet(ut.Args[0], out), nil
	case ut.Name == "map" && (x.Kind == "map" || x.Kind == "set" && len(x.Elements) == 0):
		out := make([]MapEntry, 0, len(x.Entries))
		for _, e := range x.Entries {
			k, err := elem(ut.Args[0], e.Key, "key")
			if err != nil {
				return nil, err
			}
			v, err := elem(ut.Args[1], e.Value, "value")
			if err != nil {
				return nil, err
			}
			out = append(out, MapEntry{k, v})
		}
		return sortEntries(ev.codec, ut.Args[0], out), nil
	case ut.IsUser() && x.Kind == "map":
		// {a: 1} parses as a map when the keys look like identifiers.
		fields := make([]cql.UDTField, 0, len(x.Entries))
		for _, e := range x.Entries {
			ref, ok := e.Key.(*cql.ColumnRef)
			if !ok {
				return nil, invalidf("Invalid map literal for %s of type %s", receiver, t)
			}
			fields = append(fields, cql.UDTField{Name: ref.Name, Value: e.Value})
		}
		return ev.eval(receiver, t, &cql.UDTLiteral{Fields: fields, Pos: x.Pos}, bound)
	}
	return nil, invalidf("Invalid %s literal for %s of type %s", x.Kind, receiver, t)
}

// sortEntries orders map entries by key and keeps the last of duplicates,
// as a map literal with a repeated key does.
func sortEntries(c Codec, kt cql.Type, in []MapEntry) []MapEntry {
	out := make([]MapEntry, 0, len(in))
	for _, e := range in {
		i := searchEntries(c, kt, out, e.Key)
		if i < len(out) && c.Compare(kt, out[i].Key, e.Key) == 0 {
			out[i] = e
			continue
		}
		out = append(out, MapEntry{})
		copy(out[i+1:], out[i:])
		out[i] = e
	}
	return out
}

func searchEntries(c Codec, kt cql.Type, es []MapEntry, key any) int {
	lo, hi := 0, len(es)
	for lo < hi {
		m := (lo + hi) / 2
		if c.Compare(kt, es[m].Key, key) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func (ev evaluator) function(receiver string, t cql.Type, f *cql.FunctionCall, bound []BoundValue) (any, error) {
	name := strings.ToLower(f.Name.Name.Name)
	want := func(ret string) error {
		k := typeKind(t.Unfrozen())
		if k == ret || ret == "text" && k == "ascii" {
			return nil
		}
		return invalidf("Type error: %s cannot be passed as argument 0 of function system.%s of type %s", f, name, t)
	}
	argN := func(n int) error {
		if len(f.Args) != n {
			return invalidf("Invalid number of arguments in call to function system.%s: %d required but %d provided", name, n, len(f.Args))
		}
		return nil
	}
	now := ev.clock.Now()
	switch name {
	case "now", "currenttimeuuid":
		if err := argN(0); err != nil {
			return nil, err
		}
		if k := typeKind(t.Unfrozen()); k != "timeuuid" && k != "uuid" {
			return nil, invalidf("Type error: cannot assign result of function system.%s (type timeuuid) to %s (type %s)", name, receiver, t)
		}
		return ev.gen.next(now), nil
	case "uuid":
		if err := argN(0); err != nil {
			return nil, err
		}
		if typeKind(t.Unfrozen()) != "uuid" {
			return nil, invalidf("Type error: cannot assign result of function system.uuid (type uuid) to %s (type %s)", receiver, t)
		}
		var u [16]byte
		_, _ = rand.Read(u[:])
		u[6] = u[6]&0x0f | 0x40
		u[8] = u[8]&0x3f | 0x80
		return u, nil
	case "currenttimestamp", "totimestamp", "currentdate", "todate", "currenttime", "tounixtimestamp", "mintimeuuid", "maxtimeuuid":
	default:
		return nil, invalidf("Unknown function '%s'", f.Name)
	}
	// The time functions: their argument (if any) is a timeuuid, timestamp
	// or date, or nothing for the current* ones.
	at := now
	if strings.HasPrefix(name, "current") {
		if err := argN(0); err != nil {
			return nil, err
		}
	} else {
		if err := argN(1); err != nil {
			return nil, err
		}
		v, err := ev.evalAny(receiver, f.Args[0], bound)
		if err != nil {
			return nil, err
		}
		switch x := v.(type) {
		case [16]byte:
			at = uuidToTime(x)
		case time.Time:
			at = x
		case Date:
			at = x.Time()
		case nil:
			return nil, nil
		default:
			return nil, invalidf("Invalid argument %s for function system.%s", f.Args[0], name)
		}
	}
	switch name {
	case "currenttimestamp", "totimestamp":
		return time.UnixMilli(at.UnixMilli()).UTC(), want("timestamp")
	case "currentdate", "todate":
		return DateOf(at), want("date")
	case "currenttime":
		y, m, d := at.UTC().Date()
		return Time(at.UTC().Sub(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))), want("time")
	case "tounixtimestamp":
		return at.UnixMilli(), want("bigint")
	case "mintimeuuid":
		return timeUUIDAt(at, [8]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80}), want("timeuuid")
	default: // maxtimeuuid
		return timeUUIDAt(at.Add(time.Millisecond-100), [8]byte{0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f}), want("timeuuid")
	}
}

// evalAny evaluates a function argument whose type comes from the term
// itself: a timestamp or date string, an integer (milliseconds), a uuid, a
// nested function.
func (ev evaluator) evalAny(receiver string, term cql.Term, bound []BoundValue) (any, error) {
	switch x := term.(type) {
	case *cql.Literal:
		switch x.Type {
		case cql.LitUUID:
			return ParseUUID(x.Text)
		case cql.LitInteger:
			n, err := strconv.ParseInt(x.Text, 10, 64)
			if err != nil {
				return nil, invalidf("Unable to make long from '%s'", x.Text)
			}
			return time.UnixMilli(n).UTC(), nil
		case cql.LitString:
			ts, err := ParseTimestamp(x.Text)
			if err != nil {
				return nil, invalidf("%s", err.Error())
			}
			return ts, nil
		}
	case *cql.FunctionCall:
		switch strings.ToLower(x.Name.Name.Name) {
		case "now", "currenttimeuuid", "mintimeuuid", "maxtimeuuid":
			return ev.function(receiver, cql.Type{Name: "timeuuid"}, x, bound)
		case "currentdate", "todate":
			return ev.function(receiver, cql.Type{Name: "date"}, x, bound)
		default:
			return ev.function(receiver, cql.Type{Name: "timestamp"}, x, bound)
		}
	case *cql.TypeHint:
		return ev.eval(receiver, x.Type, x.Expr, bound)
	case *cql.BindMarker:
		// Without a declared type the value is read as a timestamp.
		return ev.eval(receiver, cql.Type{Name: "timestamp"}, x, bound)
	}
	return nil, invalidf("Invalid argument %s for %s", term, receiver)
}

// uuidEpoch is the start of the version 1 uuid clock, 1582-10-15, in 100ns
// units before the Unix epoch.
const uuidEpoch = 0x01B21DD213814000

func uuidToTime(u [16]byte) time.Time {
	ticks := int64(uuidTime(u)) - uuidEpoch
	return time.Unix(0, ticks*100).UTC()
}

// timeUUIDAt builds a version 1 uuid for t with the given clock sequence and
// node bytes.
func timeUUIDAt(t time.Time, tail [8]byte) [16]byte {
	ticks := uint64(t.UnixNano()/100) + uuidEpoch
	var u [16]byte
	u[0], u[1], u[2], u[3] = byte(ticks>>24), byte(ticks>>16), byte(ticks>>8), byte(ticks)
	u[4], u[5] = byte(ticks>>40), byte(ticks>>32)
	u[6], u[7] = 0x10|byte(ticks>>56)&0x0f, byte(ticks>>48)
	copy(u[8:], tail[:])
	return u
}

// timeUUIDGen makes unique, increasing version 1 uuids even when the clock
// does not move (a manual clock), as Cassandra's generator does by
// advancing its last timestamp.
type timeUUIDGen struct {
	mu    sync.Mutex
	last  uint64
	node  [6]byte
	clock [2]byte
	ready bool
}

func (g *timeUUIDGen) next(now time.Time) [16]byte {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.ready {
		var b [8]byte
		_, _ = rand.Read(b[:])
		copy(g.clock[:], b[:2])
		copy(g.node[:], b[2:])
		g.clock[0] = g.clock[0]&0x3f | 0x80
		g.node[0] |= 0x01 // multicast bit: not a real MAC address
		g.ready = true
	}
	ticks := uint64(now.UnixNano()/100) + uuidEpoch
	if ticks <= g.last {
		ticks = g.last + 1
	}
	g.last = ticks
	var tail [8]byte
	copy(tail[:2], g.clock[:])
	copy(tail[2:], g.node[:])
	return timeUUIDAt(time.Unix(0, int64(ticks-uuidEpoch)*100), tail)
}

// formatValue renders a value as CQL-ish text for messages.
func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case [16]byte:
		return schema.UUID(x).String()
	case []byte:
		return "0x" + hex.EncodeToString(x)
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return fmt.Sprint(v)
}
