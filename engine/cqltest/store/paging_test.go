package store

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// pageAll reads a query page by page and returns every row and the
// number of pages.
func pageAll(t *testing.T, f *fixture, query string, pageSize int) ([]string, int) {
	t.Helper()
	var all []string
	pages := 0
	f.opts = ExecOptions{PageSize: pageSize}
	defer func() { f.opts = ExecOptions{} }()
	for {
		res := f.exec(query)
		pages++
		if len(res.Rows) > pageSize {
			t.Fatalf("page of %d rows, page size %d", len(res.Rows), pageSize)
		}
		all = append(all, render(res)...)
		if res.PagingState == nil {
			return all, pages
		}
		f.opts.PagingState = res.PagingState
		if pages > 10000 {
			t.Fatal("paging does not end")
		}
	}
}

func TestPagingEveryRowOnceInOrder(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.p (k int, c int, v text, PRIMARY KEY (k, c))")
	// 1000 rows: 40 partitions of 25 rows.
	for k := 0; k < 40; k++ {
		for c := 0; c < 25; c++ {
			f.exec("INSERT INTO p (k, c, v) VALUES (?, ?, 'x')", bind(t, "int", int32(k)), bind(t, "int", int32(c)))
		}
	}
	want := f.rows("SELECT k, c FROM p")
	if len(want) != 1000 {
		t.Fatalf("unpaged: %d rows", len(want))
	}
	got, pages := pageAll(t, f, "SELECT k, c FROM p", 7)
	wantRows(t, "paged full scan", got, want...)
	if pages != 143 {
		t.Errorf("%d pages, want 143 (1000/7 rounded up)", pages)
	}
	seen := map[string]bool{}
	for _, r := range got {
		if seen[r] {
			t.Fatalf("row %s returned twice", r)
		}
		seen[r] = true
	}

	tests := []struct {
		query    string
		pageSize int
	}{
		{"SELECT c FROM p WHERE k = 3", 7},
		{"SELECT c FROM p WHERE k = 3 ORDER BY c DESC", 4},
		{"SELECT k, c FROM p LIMIT 30", 7},
		{"SELECT k, c FROM p PER PARTITION LIMIT 3", 5},
		{"SELECT k, c FROM p WHERE k IN (5, 1, 9) AND c > 20", 3},
		{"SELECT DISTINCT k FROM p", 6},
	}
	for _, tc := range tests {
		got, _ := pageAll(t, f, tc.query, tc.pageSize)
		wantRows(t, fmt.Sprintf("%s in pages of %d", tc.query, tc.pageSize), got, f.rows(tc.query)...)
	}
}

// TestPagingExactlyFullLastPage: a page that comes out exactly full has a
// paging state, as in Cassandra, whose pager does not look ahead; the page
// after it is empty and ends the paging. A LIMIT reached on the page ends
// it at once.
func TestPagingExactlyFullLastPage(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.p (k int, c int, PRIMARY KEY (k, c))")
	for c := 0; c < 23; c++ {
		f.exec("INSERT INTO p (k, c) VALUES (1, ?)", bind(t, "int", int32(c)))
	}
	got, pages := pageAll(t, f, "SELECT c FROM p WHERE k = 1", 23)
	if len(got) != 23 || pages != 2 {
		t.Errorf("23 rows in pages of 23: %d rows in %d pages, want 23 rows in 2 (the second empty)", len(got), pages)
	}
	if _, pages := pageAll(t, f, "SELECT c FROM p WHERE k = 1 LIMIT 23", 23); pages != 1 {
		t.Errorf("LIMIT 23 in pages of 23: %d pages, want 1", pages)
	}
	if _, pages := pageAll(t, f, "SELECT c FROM p WHERE k = 1", 24); pages != 1 {
		t.Errorf("23 rows in pages of 24: %d pages, want 1", pages)
	}
}

func TestPagingResumesAfterDeletedRow(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.p (k int, c int, PRIMARY KEY (k, c))")
	for c := 0; c < 10; c++ {
		f.exec("INSERT INTO p (k, c) VALUES (1, ?)", bind(t, "int", int32(c)))
	}
	f.opts = ExecOptions{PageSize: 4}
	first := f.exec("SELECT c FROM p WHERE k = 1")
	wantRows(t, "first page", render(first), "0", "1", "2", "3")
	f.opts = ExecOptions{}
	f.exec("DELETE FROM p WHERE k = 1 AND c = 3")
	f.exec("INSERT INTO p (k, c) VALUES (1, -1)")
	f.opts = ExecOptions{PageSize: 4, PagingState: first.PagingState}
	wantRows(t, "second page resumes after the last row returned", render(f.exec("SELECT c FROM p WHERE k = 1")), "4", "5", "6", "7")
}

func TestSelectRowsVirtual(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.cols (keyspace_name text, table_name text, column_name text, kind text, position int, PRIMARY KEY (keyspace_name, table_name, column_name))")
	table := f.table("cols")
	rows := []map[string]any{
		{"keyspace_name": "ks", "table_name": "b", "column_name": "id", "kind": "partition_key", "position": int32(0)},
		{"keyspace_name": "ks", "table_name": "a", "column_name": "v", "kind": "regular", "position": int32(-1)},
		{"keyspace_name": "ks", "table_name": "a", "column_name": "id", "kind": "partition_key", "position": int32(0)},
		{"keyspace_name": "other", "table_name": "x", "column_name": "k", "kind": "partition_key", "position": int32(0)},
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"SELECT table_name, column_name FROM cols WHERE keyspace_name = 'ks'", []string{"a id", "a v", "b id"}},
		{"SELECT column_name AS c FROM cols WHERE keyspace_name = 'ks' AND table_name = 'a' AND column_name = 'v'", []string{"v"}},
		{"SELECT column_name FROM cols WHERE keyspace_name = 'ks' AND table_name = 'a' ORDER BY table_name DESC", []string{"v", "id"}},
		{"SELECT count(*) FROM cols WHERE keyspace_name = 'ks'", []string{"3"}},
		{"SELECT keyspace_name, column_name FROM cols WHERE kind = 'partition_key' ALLOW FILTERING", nil},
	}
	for _, tc := range tests {
		stmt, err := cql.Parse(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		res, err := SelectRows(table, rows, stmt.(*cql.Select), nil, ExecOptions{})
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		if tc.want == nil {
			if len(res.Rows) != 3 {
				t.Errorf("%s: %q", tc.query, render(res))
			}
			continue
		}
		wantRows(t, tc.query, render(res), tc.want...)
	}
	stmt, _ := cql.Parse("SELECT * FROM cols WHERE kind = 'regular'")
	_, err := SelectRows(table, rows, stmt.(*cql.Select), nil, ExecOptions{})
	if se, ok := err.(*schema.Error); !ok || se.Msg != filteringMsg {
		t.Errorf("filtering without ALLOW FILTERING: %v", err)
	}
	// Paging over virtual rows.
	stmt, _ = cql.Parse("SELECT column_name FROM cols")
	var got []string
	var state []byte
	for i := 0; i < 10; i++ {
		res, err := SelectRows(table, rows, stmt.(*cql.Select), nil, ExecOptions{PageSize: 1, PagingState: state})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, render(res)...)
		if state = res.PagingState; state == nil {
			break
		}
	}
	if len(got) != 4 {
		t.Errorf("paged virtual rows: %q", got)
	}
}

func TestToken(t *testing.T) {
	tests := []struct {
		key  string
		want uint64
	}{
		{"", 0},
		{"0", 0x2ac9debed546a380},
		{"0123456789012", 0x8a299a8f8e0e2da7},
		{"012345678901234567", 0x3fe5ab9837d25cdd},
		{"hello", 0xcbd8a7b341bd9b02},
		{"The quick brown fox jumps over the lazy dog.", 0xcd99481f9ee902c9},
	}
	for _, tc := range tests {
		if got := Token([]byte(tc.key)); got != int64(tc.want) {
			t.Errorf("Token(%q) = %x, want %x", tc.key, uint64(got), tc.want)
		}
	}
	// Bytes above 0x7f exercise the sign extension of the tail.
	if got := Token(mustHex(t, "00104327529fb645dd00b883ec39ae448bb800000400066a6b00")); got != -9223371632693506265 {
		t.Errorf("token with high tail bytes = %d", got)
	}
}

func TestResultColumnsMatchResults(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.r (k int, c int, tags set<text>, b text, a int, s int static, PRIMARY KEY (k, c))")
	f.exec("INSERT INTO r (k, c, tags, b, a, s) VALUES (1, 1, {'x'}, 'y', 2, 3)")
	for _, q := range []string{
		"SELECT * FROM r",
		"SELECT a AS x, writetime(b), ttl(b), token(k) FROM r",
		"SELECT count(*) FROM r",
		"SELECT JSON * FROM r",
		"SELECT DISTINCT k, s FROM r",
	} {
		stmt, err := cql.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, err := ResultColumns(f.table("r"), stmt.(*cql.Select))
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		res := f.exec(q)
		if !reflect.DeepEqual(cols, res.Columns) {
			t.Errorf("%s: ResultColumns %v, execution %v", q, cols, res.Columns)
		}
	}
}

func TestPagingResumesAfterDeletedPartition(t *testing.T) {
	f := newFixture(t, "CREATE TABLE ks.p (k int, c int, PRIMARY KEY (k, c))")
	for k := 1; k <= 3; k++ {
		for c := 0; c < 2; c++ {
			f.exec("INSERT INTO p (k, c) VALUES (?, ?)", bind(t, "int", int32(k)), bind(t, "int", int32(c)))
		}
	}
	for _, q := range []string{"SELECT k, c FROM p WHERE k IN (1, 2, 3)", "SELECT k, c FROM p"} {
		all := f.rows(q)
		f.opts = ExecOptions{PageSize: 3}
		first := f.exec(q)
		wantRows(t, q+" first page", render(first), all[:3]...)
		// The partition the page ended in disappears before the next page.
		f.opts = ExecOptions{}
		lastK := first.Rows[2][0]
		f.exec("DELETE FROM p WHERE k = ?", bind(t, "int", lastK))
		f.opts = ExecOptions{PageSize: 10, PagingState: first.PagingState}
		var want []string
		for _, r := range all[3:] {
			if r[:1] != show(lastK) {
				want = append(want, r)
			}
		}
		wantRows(t, q+" after a deleted partition", render(f.exec(q)), want...)
		f.opts = ExecOptions{}
		for c := 0; c < 2; c++ {
			f.exec("INSERT INTO p (k, c) VALUES (?, ?)", bind(t, "int", lastK), bind(t, "int", int32(c)))
		}
	}
}
