package store

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"net"
	"reflect"
	"sort"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"gopkg.in/inf.v0"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/schema"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var (
	uuid4 = [16]byte{0x55, 0x0e, 0x84, 0x00, 0xe2, 0x9b, 0x41, 0xd4, 0xa7, 0x16, 0x44, 0x66, 0x55, 0x44, 0x00, 0x00}
	uuid1 = [16]byte{0xd2, 0x17, 0x7d, 0xd0, 0xea, 0xa2, 0x11, 0xde, 0xa5, 0x72, 0x00, 0x1b, 0x77, 0x9c, 0x76, 0xe3}
)

// TestCodecAgainstGocql encodes each value with our codec and with gocql's
// marshalling (what a real client sends), requires the same bytes, and
// requires that decoding gives back the value.
func TestCodecAgainstGocql(t *testing.T) {
	ts := time.Date(2024, 3, 1, 12, 30, 15, 123e6, time.UTC)
	tests := []struct {
		typ   string
		ours  any // the Go value of this package
		gocql any // the value handed to gocql.Marshal
		hex   string
	}{
		{"ascii", "abc", "abc", "616263"},
		{"text", "héllo", "héllo", "68c3a96c6c6f"},
		{"varchar", "", "", ""},
		{"int", int32(1), int32(1), "00000001"},
		{"int", int32(-2), int32(-2), "fffffffe"},
		{"bigint", int64(math.MinInt64), int64(math.MinInt64), "8000000000000000"},
		{"counter", int64(42), int64(42), "000000000000002a"},
		{"smallint", int16(-300), int16(-300), "fed4"},
		{"tinyint", int8(-1), int8(-1), "ff"},
		{"boolean", true, true, "01"},
		{"boolean", false, false, "00"},
		{"float", float32(1.5), float32(1.5), "3fc00000"},
		{"double", -0.25, -0.25, "bfd0000000000000"},
		{"varint", big.NewInt(0), big.NewInt(0), "00"},
		{"varint", big.NewInt(127), big.NewInt(127), "7f"},
		{"varint", big.NewInt(128), big.NewInt(128), "0080"},
		{"varint", big.NewInt(-1), big.NewInt(-1), "ff"},
		{"varint", big.NewInt(-128), big.NewInt(-128), "80"},
		{"varint", big.NewInt(-129), big.NewInt(-129), "ff7f"},
		{"decimal", Decimal{Unscaled: big.NewInt(1234), Scale: 2}, inf.NewDec(1234, 2), "0000000204d2"},
		{"decimal", Decimal{Unscaled: big.NewInt(-5), Scale: -3}, inf.NewDec(-5, -3), "fffffffdfb"},
		{"uuid", uuid4, gocql.UUID(uuid4), "550e8400e29b41d4a716446655440000"},
		{"timeuuid", uuid1, gocql.UUID(uuid1), "d2177dd0eaa211dea572001b779c76e3"},
		{"timestamp", ts, ts, "0000018df9fe6453"},
		{"date", DateOf(ts), ts.Truncate(24 * time.Hour), "80004d47"},
		{"time", Time(45015123456789), time.Duration(45015123456789), "000028f0e6717315"},
		{"duration", Duration{Months: 1, Days: -2, Nanos: 3e9}, gocql.Duration{Months: 1, Days: -2, Nanoseconds: 3e9}, "0203f165a0bc00"},
		{"blob", []byte{0xca, 0xfe}, []byte{0xca, 0xfe}, "cafe"},
		{"inet", net.IP{127, 0, 0, 1}, net.IP{127, 0, 0, 1}, "7f000001"},
		{"inet", net.ParseIP("2001:db8::1"), net.ParseIP("2001:db8::1"), "20010db8000000000000000000000001"},
		{"list<int>", []any{int32(3), int32(1), int32(3)}, []int32{3, 1, 3}, "00000003" + "0000000400000003" + "0000000400000001" + "0000000400000003"},
		{"set<text>", []any{"a", "b"}, []string{"a", "b"}, "00000002" + "0000000161" + "0000000162"},
		{"map<text, int>", []MapEntry{{"a", int32(1)}, {"b", int32(2)}}, map[string]int32{"b": 2, "a": 1}, "00000002" + "0000000161" + "0000000400000001" + "0000000162" + "0000000400000002"},
		{"frozen<list<frozen<set<int>>>>", []any{[]any{int32(1)}}, [][]int32{{1}}, "00000001" + "0000000c" + "00000001" + "0000000400000001"},
		{"tuple<int, text>", []any{int32(7), "x"}, []any{int32(7), "x"}, "0000000400000007" + "0000000178"},
		{"tuple<int, text>", []any{int32(7), nil}, []any{int32(7), nil}, "0000000400000007" + "ffffffff"},
		{"vector<float, 3>", []any{float32(1), float32(2), float32(3)}, []float32{1, 2, 3}, "3f800000" + "40000000" + "40400000"},
		{"vector<text, 2>", []any{"ab", ""}, []string{"ab", ""}, "026162" + "00"},
	}
	for _, tc := range tests {
		t.Run(tc.typ+"/"+tc.hex, func(t *testing.T) {
			typ := parseType(t, tc.typ)
			got, err := Encode(typ, tc.ours)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			want := mustHex(t, tc.hex)
			if !bytes.Equal(got, want) {
				t.Errorf("Encode = %x, want %x", got, want)
			}
			back, err := Decode(typ, got)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if Compare(typ, back, tc.ours) != 0 || !reflect.DeepEqual(normalizeForTest(back), normalizeForTest(tc.ours)) {
				t.Errorf("Decode = %#v, want %#v", back, tc.ours)
			}
			info := gocql.NewNativeType(4, gocql.TypeCustom, tc.typ)
			fromDriver, err := gocql.Marshal(info, tc.gocql)
			if err != nil {
				t.Fatalf("gocql.Marshal: %v", err)
			}
			// A Go map has no order: gocql then writes its entries in any order.
			_, isMap := tc.gocql.(map[string]int32)
			if !isMap && !bytes.Equal(got, fromDriver) {
				t.Errorf("Encode = %x, gocql marshals %x", got, fromDriver)
			}
			if _, isTuple := tc.gocql.([]any); isTuple {
				// gocql cannot read a tuple into []any with a null element.
				return
			}
			driverValue := reflect.New(reflect.TypeOf(tc.gocql))
			if err := gocql.Unmarshal(info, got, driverValue.Interface()); err != nil {
				t.Fatalf("gocql.Unmarshal: %v", err)
			}
			if dv := driverValue.Elem().Interface(); !isMap && fmtValue(dv) != fmtValue(tc.gocql) || isMap && !reflect.DeepEqual(dv, tc.gocql) {
				t.Errorf("gocql reads %v back, want %v", dv, tc.gocql)
			}
		})
	}
}

// normalizeForTest maps values whose Go representation has several equal
// forms (big.Int internals, 4-in-16 IPs) to one.
func normalizeForTest(v any) any {
	switch x := v.(type) {
	case *big.Int:
		return x.String()
	case Decimal:
		return x.String()
	case net.IP:
		return x.String()
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalizeForTest(e)
		}
		return out
	}
	return v
}

func TestVintDuration(t *testing.T) {
	tests := []Duration{
		{}, {Months: 1}, {Days: -1}, {Nanos: 63}, {Nanos: 64}, {Nanos: -65},
		{Months: math.MaxInt32, Days: math.MinInt32, Nanos: math.MaxInt64},
		{Nanos: math.MinInt64},
	}
	for _, d := range tests {
		b, err := Encode(cql.Type{Name: "duration"}, d)
		if err != nil {
			t.Fatal(err)
		}
		want, err := gocql.Marshal(gocql.NewNativeType(4, gocql.TypeDuration, ""), gocql.Duration{Months: d.Months, Days: d.Days, Nanoseconds: d.Nanos})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, want) {
			t.Errorf("%+v: Encode = %x, gocql %x", d, b, want)
		}
		back, err := Decode(cql.Type{Name: "duration"}, b)
		if err != nil || back != d {
			t.Errorf("%+v: Decode = %+v, %v", d, back, err)
		}
	}
}

func TestUnsignedVintRoundTrip(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 16383, 16384, 1<<56 - 1, 1 << 56, math.MaxUint64} {
		b := appendVint(nil, v)
		got, n, err := readVint(b)
		if err != nil || got != v || n != len(b) {
			t.Errorf("vint %d: encoded %x, read %d (%d bytes), %v", v, b, got, n, err)
		}
	}
}

func TestUserTypeCodec(t *testing.T) {
	addr := &UserType{Keyspace: "ks", Name: "address", FieldNames: []string{"street", "zip"},
		FieldTypes: []cql.Type{{Name: "text"}, {Name: "int"}}}
	c := Codec{Types: func(ks, name string) (*UserType, error) { return addr, nil }}
	typ := cql.Type{Name: "frozen", Args: []cql.Type{{Name: "address"}}}
	got, err := c.Encode(typ, map[string]any{"street": "Main", "zip": int32(10115)})
	if err != nil {
		t.Fatal(err)
	}
	info := gocql.UDTTypeInfo{Keyspace: "ks", Name: "address", Elements: []gocql.UDTField{
		{Name: "street", Type: gocql.NewNativeType(4, gocql.TypeText, "")},
		{Name: "zip", Type: gocql.NewNativeType(4, gocql.TypeInt, "")},
	}}
	want, err := gocql.Marshal(info, map[string]any{"street": "Main", "zip": 10115})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Encode = %x, gocql %x", got, want)
	}
	back, err := c.Decode(typ, got)
	if err != nil || !reflect.DeepEqual(back, []any{"Main", int32(10115)}) {
		t.Errorf("Decode = %#v, %v", back, err)
	}
	if _, err := Encode(typ, []any{"x"}); err == nil {
		t.Error("Encode of a user type without resolver succeeded")
	}
}

func TestEncodeRejects(t *testing.T) {
	tests := []struct {
		typ string
		v   any
	}{
		{"int", int64(1) << 40},
		{"tinyint", 200},
		{"ascii", "é"},
		{"boolean", 1},
		{"uuid", "not-a-uuid"},
		{"timeuuid", uuid4},
		{"time", Time(86400e9)},
		{"vector<float, 3>", []float32{1, 2}},
		{"list<int>", []any{nil}},
		{"tuple<int>", []any{int32(1), int32(2)}},
		{"inet", "300.1.1.1"},
	}
	for _, tc := range tests {
		if b, err := Encode(parseType(t, tc.typ), tc.v); err == nil {
			t.Errorf("Encode(%s, %#v) = %x, want an error", tc.typ, tc.v, b)
		}
	}
}

func TestEncodeConveniences(t *testing.T) {
	tests := []struct {
		typ       string
		in, equiv any
	}{
		{"map<text, text>", map[string]string{"b": "2", "a": "1"}, []MapEntry{{"a", "1"}, {"b", "2"}}},
		{"list<text>", []string{"x", "y"}, []any{"x", "y"}},
		{"set<int>", []any{int32(3), int32(1), int32(3)}, []any{int32(1), int32(3)}},
		{"int", 5, int32(5)},
		{"uuid", schema.UUID(uuid4).String(), uuid4},
		{"inet", "10.0.0.1", net.IP{10, 0, 0, 1}},
		{"timestamp", int64(1000), time.UnixMilli(1000)},
	}
	for _, tc := range tests {
		typ := parseType(t, tc.typ)
		a, err1 := Encode(typ, tc.in)
		b, err2 := Encode(typ, tc.equiv)
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: Encode(%#v) = %x, %v; want %x (%v)", tc.typ, tc.in, a, err1, b, err2)
		}
	}
}

func TestNullAndEmpty(t *testing.T) {
	if b, err := Encode(cql.Type{Name: "int"}, nil); b != nil || err != nil {
		t.Errorf("Encode(nil) = %x, %v; want null", b, err)
	}
	if b, err := Encode(cql.Type{Name: "text"}, ""); b == nil || len(b) != 0 || err != nil {
		t.Errorf("Encode(\"\") = %#v, %v; want empty, not null", b, err)
	}
	if v, err := Decode(cql.Type{Name: "int"}, nil); v != nil || err != nil {
		t.Errorf("Decode(null) = %#v, %v", v, err)
	}
	if v, err := Decode(cql.Type{Name: "text"}, []byte{}); v != "" || err != nil {
		t.Errorf("Decode(empty text) = %#v, %v", v, err)
	}
	if _, err := Decode(cql.Type{Name: "int"}, []byte{1, 2}); err == nil {
		t.Error("Decode of a 2-byte int succeeded")
	}
}

func TestCompareOrders(t *testing.T) {
	v1 := func(ts uint64, clock byte) [16]byte {
		var u [16]byte
		u[0], u[1], u[2], u[3] = byte(ts>>24), byte(ts>>16), byte(ts>>8), byte(ts)
		u[4], u[5] = byte(ts>>40), byte(ts>>32)
		u[6], u[7] = 0x10|byte(ts>>56)&0x0f, byte(ts>>48)
		u[8] = clock
		return u
	}
	tests := []struct {
		typ    string
		sorted []any // in Cassandra's ascending order
	}{
		{"int", []any{nil, int32(-5), int32(0), int32(7)}},
		{"bigint", []any{int64(math.MinInt64), int64(-1), int64(1)}},
		{"text", []any{"", "A", "a", "ab", "b", "é"}},
		{"blob", []any{[]byte{}, []byte{0}, []byte{0, 0}, []byte{0xff}}},
		{"boolean", []any{false, true}},
		{"double", []any{math.Inf(-1), -1.0, math.Copysign(0, -1), 0.0, 2.5, math.Inf(1), math.NaN()}},
		{"varint", []any{big.NewInt(-300), big.NewInt(2), big.NewInt(1000)}},
		{"decimal", []any{Decimal{big.NewInt(-1), 0}, Decimal{big.NewInt(5), 1}, Decimal{big.NewInt(51), 2}, Decimal{big.NewInt(1), 0}}},
		{"timestamp", []any{time.UnixMilli(-1), time.UnixMilli(0), time.UnixMilli(5)}},
		{"date", []any{Date(dateCenter - 1), Date(dateCenter), Date(dateCenter + 1)}},
		// timeuuid: by time first, although the high-order bytes differ the other way.
		{"timeuuid", []any{v1(0x0ff, 0x80), v1(0x0ff, 0x00), v1(0x100, 0x00), v1(1<<40, 0)}},
		// uuid: version first: a version 1 sorts before a version 4.
		{"uuid", []any{v1(5, 0), v1(6, 0), uuid4}},
		{"frozen<list<int>>", []any{[]any{}, []any{int32(1)}, []any{int32(1), int32(0)}, []any{int32(2)}}},
		{"tuple<int, text>", []any{[]any{int32(1), nil}, []any{int32(1), "a"}, []any{int32(2), ""}}},
		// inet: by bytes, so ::1 (0x00...) sorts before 10.0.0.1.
		{"inet", []any{net.ParseIP("::1"), net.IP{10, 0, 0, 1}, net.IP{127, 0, 0, 1}}},
	}
	for _, tc := range tests {
		typ := parseType(t, tc.typ)
		for i := range tc.sorted {
			for j := range tc.sorted {
				got := Compare(typ, tc.sorted[i], tc.sorted[j])
				want := 0
				if i < j {
					want = -1
				} else if i > j {
					want = 1
				}
				if sign(got) != want {
					t.Errorf("%s: Compare(%v, %v) = %d, want %d", tc.typ, tc.sorted[i], tc.sorted[j], got, want)
				}
			}
		}
		shuffled := append([]any(nil), tc.sorted...)
		sort.Slice(shuffled, func(i, j int) bool { return i > j })
		sort.SliceStable(shuffled, func(i, j int) bool { return Compare(typ, shuffled[i], shuffled[j]) < 0 })
		if !reflect.DeepEqual(normalizeForTest(shuffled), normalizeForTest(tc.sorted)) && tc.typ != "double" {
			t.Errorf("%s: sorted %v", tc.typ, shuffled)
		}
	}
}

// fmtValue renders a driver value for comparison (time zones and big.Int
// internals aside).
func fmtValue(v any) string {
	if t, ok := v.(time.Time); ok {
		return t.UTC().String()
	}
	return fmt.Sprint(v)
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func TestDecimalString(t *testing.T) {
	tests := []struct {
		in, want string
	}{{"12.50", "12.50"}, {"-0.001", "-0.001"}, {"1e3", "1000"}, {"5", "5"}, {"-1.5E-2", "-0.015"}}
	for _, tc := range tests {
		d, err := ParseDecimal(tc.in)
		if err != nil || d.String() != tc.want {
			t.Errorf("ParseDecimal(%q) = %v, %v; want %s", tc.in, d, err, tc.want)
		}
	}
	if _, err := ParseDecimal("1.2.3"); err == nil {
		t.Error("ParseDecimal(1.2.3) succeeded")
	}
}
