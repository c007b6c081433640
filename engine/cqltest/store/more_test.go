package store

import (
	"math/big"
	"testing"
	"time"
)

func TestDropTableAndKeyspaceForgetData(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.a (id int PRIMARY KEY)", "CREATE TABLE ks.b (id int PRIMARY KEY)")
	f.exec("INSERT INTO a (id) VALUES (1)")
	f.exec("INSERT INTO b (id) VALUES (1)")
	f.st.DropTable("ks", "a")
	wantRows(t, "dropped table", f.rows("SELECT id FROM a"))
	wantRows(t, "other table kept", f.rows("SELECT id FROM b"), "1")
	f.st.DropKeyspace("ks")
	wantRows(t, "dropped keyspace", f.rows("SELECT id FROM b"))
}

func TestConditionKinds(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.c (id int PRIMARY KEY, l list<text>, s set<int>, m map<text, int>, n int)")
	f.exec("INSERT INTO c (id, l, s, m, n) VALUES (1, ['a', 'b'], {1, 2}, {'k': 5}, 7)")
	tests := []struct {
		cond    string
		applies bool
	}{
		{"l[0] = 'a'", true},
		{"l[1] = 'a'", false},
		{"l[9] = null", true},
		{"s CONTAINS 2", true},
		{"s CONTAINS 3", false},
		{"m CONTAINS KEY 'k'", true},
		{"m CONTAINS 5", true},
		{"m['k'] > 4", true},
		{"m['k'] < 4", false},
		{"n IN (1, 7)", true},
		{"n IN (1, 2)", false},
		{"n != null", true},
		{"n = null", false},
		{"l = ['a', 'b']", true},
		{"s = {2, 1}", true},
		{"n <= 7 AND n >= 7", true},
	}
	for _, tc := range tests {
		res := f.exec("UPDATE c SET n = 7 WHERE id = 1 IF " + tc.cond)
		if got := res.Rows[0][0] == true; got != tc.applies {
			t.Errorf("IF %s: applied %v, want %v (%q)", tc.cond, got, tc.applies, render(res))
		}
	}
	res := f.exec("UPDATE c SET n = 8 WHERE id = 1 IF n IN ?", bind(t, "list<int>", []any{int32(7)}))
	wantRows(t, "IN with a bound list", render(res), "true")
}

func TestCompositePartitionKey(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.cp (a text, b int, c int, v text, PRIMARY KEY ((a, b), c))")
	f.exec("INSERT INTO cp (a, b, c, v) VALUES ('x', 1, 1, 'one')")
	f.exec("INSERT INTO cp (a, b, c, v) VALUES ('x', 2, 1, 'two')")
	wantRows(t, "empty IN", f.rows("SELECT v FROM cp WHERE a = 'x' AND b IN ()"))
	wantRows(t, "by full key", f.rows("SELECT v FROM cp WHERE a = 'x' AND b = 2"), "two")
	wantRows(t, "by token", f.rows("SELECT v FROM cp WHERE token(a, b) = token('x', 1)"), "one")
	if msg := f.errMsg("SELECT v FROM cp WHERE a = 'x'"); msg != filteringMsg {
		t.Errorf("partial key: %q", msg)
	}
	f.exec("INSERT INTO cp (a, b, c, v) VALUES ('y', 1, 1, 'other')")
	// Partitions come in token order, as in a full scan.
	var want []string
	for _, r := range f.rows("SELECT a, b FROM cp") {
		if r[0] == 'x' {
			want = append(want, r)
		}
	}
	wantRows(t, "partial key with filtering", f.rows("SELECT a, b FROM cp WHERE a = 'x' ALLOW FILTERING"), want...)
	if len(want) != 2 {
		t.Errorf("full scan: %q", want)
	}
	// The composite serialization: 2-byte length, bytes, 0 per component.
	v := f.st.view(f.table("cp"))
	key, err := v.partitionKey([]any{"x", int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	if want := mustHex(t, "00017800"+"00040000000100"); string(key) != string(want) {
		t.Errorf("composite key %x, want %x", key, want)
	}
}

func TestValueStrings(t *testing.T) {
	tests := []struct {
		v    interface{ String() string }
		want string
	}{
		{DateOf(time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC)), "1969-12-31"},
		{Date(dateCenter), "1970-01-01"},
		{Time(3723000000001), "01:02:03.000000001"},
		{Duration{Months: 14, Days: 3, Nanos: 3600e9 + 1e6}, "1y2mo3d1h1ms"},
		{Duration{Days: -1}, "-1d"},
		{Duration{}, "0s"},
		{Decimal{Unscaled: big.NewInt(-5), Scale: -2}, "-500"},
	}
	for _, tc := range tests {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.v, got, tc.want)
		}
	}
	if d := DateOf(time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)); d.Days() != -1 || !d.Time().Equal(time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Date before the epoch: %d days, %v", d.Days(), d.Time())
	}
}

func TestManualClock(t *testing.T) {
	c := NewManualClock(epoch)
	c.Advance(time.Hour)
	if !c.Now().Equal(epoch.Add(time.Hour)) {
		t.Errorf("Advance: %v", c.Now())
	}
	c.Set(epoch)
	if !c.Now().Equal(epoch) {
		t.Errorf("Set: %v", c.Now())
	}
	s := New(Options{})
	if _, ok := s.Clock().(WallClock); !ok {
		t.Errorf("default clock %T, want the wall clock", s.Clock())
	}
}

func TestStaticConditions(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.sc (p text, c int, ver int static, v text, PRIMARY KEY (p, c))")
	f.exec("UPDATE sc SET ver = 1 WHERE p = 'a'")
	wantRows(t, "static condition without the row", render(f.exec("UPDATE sc SET v = 'x' WHERE p = 'a' AND c = 1 IF ver = 1")), "true")
	wantRows(t, "static condition fails", render(f.exec("UPDATE sc SET ver = 3 WHERE p = 'a' IF ver = 2")), "false 1")
	wantRows(t, "static bump", render(f.exec("UPDATE sc SET ver = 2 WHERE p = 'a' IF ver = 1")), "true")
	wantRows(t, "rows", f.rows("SELECT c, ver, v FROM sc WHERE p = 'a'"), "1 2 x")
}

func TestIndexedColumnsNeedNoFiltering(t *testing.T) {
	f := newFixture(t,
		"CREATE TABLE ks.ix (id int PRIMARY KEY, owner text, tags set<text>, n int)",
		"CREATE INDEX ON ks.ix (owner)",
		"CREATE INDEX ON ks.ix (tags)")
	f.exec("INSERT INTO ix (id, owner, tags, n) VALUES (1, 'ann', {'red'}, 1)")
	f.exec("INSERT INTO ix (id, owner, tags, n) VALUES (2, 'bob', {'blue'}, 2)")
	wantRows(t, "indexed =", f.rows("SELECT id FROM ix WHERE owner = 'bob'"), "2")
	wantRows(t, "indexed CONTAINS", f.rows("SELECT id FROM ix WHERE tags CONTAINS 'red'"), "1")
	if msg := f.errMsg("SELECT id FROM ix WHERE n = 1"); msg != filteringMsg {
		t.Errorf("unindexed column: %q", msg)
	}
	if msg := f.errMsg("SELECT id FROM ix WHERE owner > 'a'"); msg != filteringMsg {
		t.Errorf("range on an indexed column: %q", msg)
	}
}
