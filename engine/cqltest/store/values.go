// Package store is the data side of engine/cqltest, the in-process Cassandra
// stand-in: the native protocol v4 value codec (Encode, Decode, Compare),
// the conversion of CQL terms to typed values (FromTerm), and an in-memory
// row store that executes INSERT, UPDATE, DELETE, SELECT, BATCH and TRUNCATE
// with Cassandra's semantics: last-write-wins cells with microsecond write
// timestamps, tombstones, row markers, TTL against a controllable clock,
// collections, counters and linearizable lightweight transactions.
//
// The protocol server decodes frames, parses statements with engine/cql and
// hands them here with the engine/schema table they target; what it gets
// back are Go values it encodes with Encode. The store is a test stand-in,
// not a database: everything lives in memory and nothing is compacted.
package store

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// MapEntry is one key/value pair of a CQL map. Maps are carried as ordered
// []MapEntry so that the order Cassandra gives them (sorted by key) survives.
type MapEntry struct {
	Key   any
	Value any
}

// Decimal is a CQL decimal: Unscaled * 10^-Scale, as the protocol carries it.
type Decimal struct {
	Unscaled *big.Int
	Scale    int32
}

// String renders the decimal in plain notation, e.g. 12.50.
func (d Decimal) String() string {
	u := d.Unscaled
	if u == nil {
		u = new(big.Int)
	}
	if d.Scale <= 0 {
		s := u.String()
		if u.Sign() != 0 {
			s += strings.Repeat("0", int(-d.Scale))
		}
		return s
	}
	neg := u.Sign() < 0
	digits := new(big.Int).Abs(u).String()
	for len(digits) <= int(d.Scale) {
		digits = "0" + digits
	}
	cut := len(digits) - int(d.Scale)
	s := digits[:cut] + "." + digits[cut:]
	if neg {
		s = "-" + s
	}
	return s
}

// Rat returns the exact rational value of d.
func (d Decimal) Rat() *big.Rat {
	u := d.Unscaled
	if u == nil {
		u = new(big.Int)
	}
	r := new(big.Rat).SetInt(u)
	if d.Scale == 0 {
		return r
	}
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs32(d.Scale))), nil)
	if d.Scale > 0 {
		return r.Quo(r, new(big.Rat).SetInt(p))
	}
	return r.Mul(r, new(big.Rat).SetInt(p))
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}

// ParseDecimal reads a decimal literal such as -12.5, 1e3 or 0.001.
func ParseDecimal(s string) (Decimal, error) {
	mant, exp := s, int64(0)
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		var err error
		mant = s[:i]
		if _, err = fmt.Sscan(s[i+1:], &exp); err != nil {
			return Decimal{}, fmt.Errorf("invalid decimal %q", s)
		}
	}
	scale := int64(0)
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		scale = int64(len(mant) - i - 1)
		mant = mant[:i] + mant[i+1:]
	}
	u, ok := new(big.Int).SetString(mant, 10)
	if !ok || mant == "" || mant == "-" || mant == "+" {
		return Decimal{}, fmt.Errorf("invalid decimal %q", s)
	}
	scale -= exp
	if scale > 1<<31-1 || scale < -1<<31 {
		return Decimal{}, fmt.Errorf("decimal %q out of range", s)
	}
	return Decimal{Unscaled: u, Scale: int32(scale)}, nil
}

// Date is a CQL date as the protocol carries it: days since the Unix epoch
// plus 2^31, so that unsigned comparison orders dates.
type Date uint32

// dateCenter is the value of 1970-01-01 in the date encoding.
const dateCenter = 1 << 31

// DateOf returns the date holding the day of t (in UTC).
func DateOf(t time.Time) Date {
	days := t.UTC().Unix() / 86400
	if t.UTC().Unix() < 0 && t.UTC().Unix()%86400 != 0 {
		days--
	}
	return Date(days + dateCenter)
}

// Days returns the number of days since 1970-01-01 (negative before it).
func (d Date) Days() int64 { return int64(d) - dateCenter }

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time { return time.Unix(d.Days()*86400, 0).UTC() }

// String renders the date as yyyy-mm-dd, the form cqlsh shows.
func (d Date) String() string { return d.Time().Format("2006-01-02") }

// Time is a CQL time: nanoseconds since midnight.
type Time int64

// String renders the time as hh:mm:ss.nnnnnnnnn, the form cqlsh shows.
func (t Time) String() string {
	ns := int64(t)
	return fmt.Sprintf("%02d:%02d:%02d.%09d", ns/3600e9, ns/60e9%60, ns/1e9%60, ns%1e9)
}

// Duration is a CQL duration: months, days and nanoseconds kept apart,
// because their lengths in absolute time vary.
type Duration struct {
	Months int32
	Days   int32
	Nanos  int64
}

// String renders the duration in Cassandra's compact form, e.g. 1mo2d3h.
func (d Duration) String() string {
	if d.Months == 0 && d.Days == 0 && d.Nanos == 0 {
		return "0s"
	}
	var b strings.Builder
	neg := d.Months < 0 || d.Days < 0 || d.Nanos < 0
	if neg {
		b.WriteByte('-')
	}
	m, dd, n := absI64(int64(d.Months)), absI64(int64(d.Days)), absI64(d.Nanos)
	if m/12 > 0 {
		fmt.Fprintf(&b, "%dy", m/12)
	}
	if m%12 > 0 {
		fmt.Fprintf(&b, "%dmo", m%12)
	}
	if dd > 0 {
		fmt.Fprintf(&b, "%dd", dd)
	}
	units := []struct {
		ns   int64
		name string
	}{{3600e9, "h"}, {60e9, "m"}, {1e9, "s"}, {1e6, "ms"}, {1e3, "us"}, {1, "ns"}}
	for _, u := range units {
		if n >= u.ns {
			fmt.Fprintf(&b, "%d%s", n/u.ns, u.name)
			n %= u.ns
		}
	}
	return b.String()
}

func absI64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// UserType describes a user-defined type for the codec: its fields in
// declaration order.
type UserType struct {
	Keyspace   string
	Name       string
	FieldNames []string
	FieldTypes []cql.Type
}

// TypeResolver finds a user-defined type by keyspace and name. keyspace may
// be empty when the type was written unqualified; the resolver then decides
// which keyspace applies (the store passes the table's keyspace).
type TypeResolver func(keyspace, name string) (*UserType, error)
