package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine/cql"
)

func TestLightweightTransactions(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.locks (name text PRIMARY KEY, owner text, n int, tags map<text, text>)")
	steps := []struct {
		stmt string
		cols []string
		rows []string
	}{
		{"INSERT INTO locks (name, owner, n) VALUES ('m', 'a', 1) IF NOT EXISTS",
			[]string{"[applied]"}, []string{"true"}},
		{"INSERT INTO locks (name, owner, n) VALUES ('m', 'b', 2) IF NOT EXISTS",
			[]string{"[applied]", "name", "n", "owner", "tags"}, []string{"false m 1 a null"}},
		{"UPDATE locks SET owner = 'b' WHERE name = 'm' IF owner = 'z'",
			[]string{"[applied]", "owner"}, []string{"false a"}},
		{"UPDATE locks SET owner = 'b' WHERE name = 'm' IF owner = 'a' AND n = 1",
			[]string{"[applied]"}, []string{"true"}},
		{"UPDATE locks SET n = 3 WHERE name = 'm' IF n > 1 AND owner IN ('x', 'y')",
			[]string{"[applied]", "n", "owner"}, []string{"false 1 b"}},
		{"UPDATE locks SET n = 3 WHERE name = 'm' IF n >= 1 AND owner != 'a'",
			[]string{"[applied]"}, []string{"true"}},
		{"UPDATE locks SET tags['k'] = 'v' WHERE name = 'm' IF tags['k'] = null",
			[]string{"[applied]"}, []string{"true"}},
		{"UPDATE locks SET owner = 'c' WHERE name = 'm' IF tags['k'] = 'w'",
			[]string{"[applied]", "tags"}, []string{"false {k:v}"}},
		{"UPDATE locks SET owner = 'c' WHERE name = 'nobody' IF owner = 'a'",
			[]string{"[applied]"}, []string{"false"}},
		{"UPDATE locks SET owner = 'c' WHERE name = 'nobody' IF EXISTS",
			[]string{"[applied]"}, []string{"false"}},
		{"DELETE FROM locks WHERE name = 'm' IF owner = 'b'",
			[]string{"[applied]"}, []string{"true"}},
		{"DELETE FROM locks WHERE name = 'm' IF EXISTS",
			[]string{"[applied]"}, []string{"false"}},
		{"BEGIN BATCH INSERT INTO locks (name, owner) VALUES ('q', 'a') IF NOT EXISTS; UPDATE locks SET n = 1 WHERE name = 'q'; APPLY BATCH",
			[]string{"[applied]"}, []string{"true"}},
		{"BEGIN BATCH UPDATE locks SET n = 2 WHERE name = 'q' IF n = 5; UPDATE locks SET owner = 'x' WHERE name = 'q'; APPLY BATCH",
			[]string{"[applied]", "name", "n"}, []string{"false q 1"}},
	}
	for _, st := range steps {
		res := f.exec(st.stmt)
		if res == nil {
			t.Fatalf("%s: no result", st.stmt)
		}
		wantRows(t, st.stmt+" columns", columnNames(res), st.cols...)
		wantRows(t, st.stmt, render(res), st.rows...)
	}
	wantRows(t, "final state", f.rows("SELECT name, owner, n FROM locks"), "q a 1")
}

func TestLWTLeaseWithTTL(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.lease (id text PRIMARY KEY, holder text)")
	acquire := func(holder string) bool {
		res := f.exec("INSERT INTO lease (id, holder) VALUES ('lock', ?) IF NOT EXISTS USING TTL 30", bind(t, "text", holder))
		return res.Rows[0][0] == true
	}
	if !acquire("a") {
		t.Fatal("first acquire failed")
	}
	if acquire("b") {
		t.Fatal("second holder acquired a held lease")
	}
	f.clock.Advance(29 * time.Second)
	if acquire("b") {
		t.Fatal("lease expired early")
	}
	renew := f.exec("UPDATE lease USING TTL 30 SET holder = 'a' WHERE id = 'lock' IF holder = 'a'")
	if renew.Rows[0][0] != true {
		t.Fatalf("renew: %v", render(renew))
	}
	f.clock.Advance(29 * time.Second)
	if acquire("b") {
		t.Fatal("renewed lease taken")
	}
	f.clock.Advance(2 * time.Second)
	if !acquire("b") {
		t.Fatal("expired lease not acquirable")
	}
}

// TestLWTAfterClientTimestamps: a client stamps a plain write with its
// own clock, a day ahead of the server's. A conditional update that follows
// applies, but, as in Cassandra (ClientState.getTimestampForPaxos: the
// server's clock and Paxos state, never a client's timestamp), it is
// stamped from the server's clock, so the plain write shadows it until
// the server's clock passes the client's: the hazard of clock-skewed
// clients mixing plain and conditional writes on one row.
func TestLWTAfterClientTimestamps(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.k (id int PRIMARY KEY, v text)")
	f.opts = ExecOptions{Timestamp: epoch.Add(24 * time.Hour).UnixMicro(), HasTimestamp: true}
	f.exec("INSERT INTO k (id, v) VALUES (1, 'a')")
	wantRows(t, "conditional update", render(f.exec("UPDATE k SET v = 'b' WHERE id = 1 IF v = 'a'")), "true")
	wantRows(t, "visible", f.rows("SELECT v FROM k WHERE id = 1"), "a")
	f.clock.Advance(25 * time.Hour)
	wantRows(t, "conditional update once the server's clock is past the client's", render(f.exec("UPDATE k SET v = 'c' WHERE id = 1 IF v = 'a'")), "true")
	wantRows(t, "visible then", f.rows("SELECT v FROM k WHERE id = 1"), "c")
}

// TestLWTRace races many goroutines for one lock: exactly one wins, and
// the losers all see the winner.
func TestLWTRace(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.race (id text PRIMARY KEY, owner text)")
	stmt, err := cql.Parse("INSERT INTO race (id, owner) VALUES ('x', ?) IF NOT EXISTS")
	if err != nil {
		t.Fatal(err)
	}
	table := f.table("race")
	const n = 50
	var wg sync.WaitGroup
	results := make([]*Result, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			b, _ := Encode(cql.Type{Name: "text"}, fmt.Sprintf("w%d", i))
			results[i], errs[i] = f.st.Execute(context.Background(), stmt, table, []BoundValue{{Bytes: b}}, ExecOptions{})
		}(i)
	}
	wg.Wait()
	winners := 0
	winner := ""
	for i, res := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if res.Rows[0][0] == true {
			winners++
			winner = fmt.Sprintf("w%d", i)
		}
	}
	if winners != 1 {
		t.Fatalf("%d winners, want exactly 1", winners)
	}
	for _, res := range results {
		if res.Rows[0][0] == false && res.Rows[0][2] != winner {
			t.Errorf("loser saw owner %v, winner was %s", res.Rows[0][2], winner)
		}
	}
}
