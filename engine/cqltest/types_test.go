package cqltest

import (
	"math/big"
	"net"
	"reflect"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// TestTypesRoundTripThroughGocql binds values of every common type (so
// gocql marshals them by the prepared variable types the server
// describes) and reads them back (so it unmarshals them by the result
// metadata the server sends).
func TestTypesRoundTripThroughGocql(t *testing.T) {
	tg := newTarget(t, false)
	s := tg.session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TYPE "+ks+".address (street text, zip int)")
	exec(t, s, `CREATE TABLE `+ks+`.everything (
		k int PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean, de decimal, do double, du duration,
		f float, i inet, sm smallint, ti tinyint, tx text, ts timestamp, tu timeuuid, u uuid, vi varint,
		d date, tm time, l list<int>, se set<text>, m map<text, int>, tp tuple<int, text>,
		addr frozen<address>, vec vector<float, 3>)`)

	type address struct {
		Street string `cql:"street"`
		Zip    int    `cql:"zip"`
	}
	ts := time.Date(2026, 1, 2, 3, 4, 5, 6_000_000, time.UTC)
	tu := gocql.UUIDFromTime(ts)
	u, _ := gocql.ParseUUID("7a2b5c4e-1d3f-4e5a-9b8c-0d1e2f3a4b5c")
	want := []any{
		"ascii", int64(-5), []byte{0xCA, 0xFE}, true, nil, 2.5,
		gocql.Duration{Months: 1, Days: 2, Nanoseconds: 3000},
		float32(1.5), net.ParseIP("10.1.2.3").To4(), int16(-300), int8(7), "text ✓", ts, tu, u, big.NewInt(123456789),
		time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC), time.Duration(13*time.Hour + 5*time.Second),
		[]int{3, 1, 2}, []string{"a", "b"}, map[string]int{"x": 1, "y": 2}, []any{7, "seven"},
		address{Street: "Main", Zip: 12345}, []float32{0.5, 1, 2},
	}
	// gocql v2.1.2 cannot bind a tuple column (it counts one value per
	// element, then marshals one per column): the tuple is a literal.
	values := append(append([]any{}, want[:21]...), want[22:]...)
	exec(t, s, `INSERT INTO `+ks+`.everything (k, a, b, bl, bo, de, do, du, f, i, sm, ti, tx, ts, tu, u, vi, d, tm, l, se, m, tp, addr, vec)
		VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (7, 'seven'), ?, ?)`, values...)

	var (
		a, tx       string
		b           int64
		bl          []byte
		bo          bool
		de          *big.Rat
		do          float64
		du          gocql.Duration
		f           float32
		i           net.IP
		sm          int16
		ti          int8
		tsOut       time.Time
		tuOut, uOut gocql.UUID
		vi          *big.Int
		d           time.Time
		tm          time.Duration
		l           []int
		se          []string
		m           map[string]int
		tpInt       int
		tpText      string
		addr        address
		vec         []float32
	)
	err := s.Query(`SELECT a, b, bl, bo, de, do, du, f, i, sm, ti, tx, ts, tu, u, vi, d, tm, l, se, m, tp, addr, vec
		FROM `+ks+`.everything WHERE k = 1`).Scan(&a, &b, &bl, &bo, &de, &do, &du, &f, &i, &sm, &ti, &tx, &tsOut, &tuOut, &uOut,
		&vi, &d, &tm, &l, &se, &m, &tpInt, &tpText, &addr, &vec) // a tuple scans into one destination per element
	if err != nil {
		t.Fatal(err)
	}
	got := []any{a, b, bl, bo, de, do, du, f, i.To4(), sm, ti, tx, tsOut.UTC(), tuOut, uOut, vi, d.UTC(), tm,
		l, se, m, []any{tpInt, tpText}, addr, vec}
	want[4] = (*big.Rat)(nil) // a null decimal scans as nil
	for n := range want {
		if !reflect.DeepEqual(got[n], want[n]) {
			t.Errorf("value %d: got %#v, want %#v", n, got[n], want[n])
		}
	}
}
