package store

import (
	"context"
	"testing"

	"github.com/cqltrack/cqltrack/engine/cql"
)

func benchFixture(b *testing.B, rows int) (*fixture, *cql.Insert) {
	f := newFixture(b, "CREATE TABLE ks.h (k int, c int, v text, PRIMARY KEY (k, c))")
	stmt, err := cql.Parse("INSERT INTO h (k, c, v) VALUES (?, ?, 'payload')")
	if err != nil {
		b.Fatal(err)
	}
	tb := f.table("h")
	for i := 0; i < rows; i++ {
		k, _ := Encode(cql.Type{Name: "int"}, int32(i/10))
		c, _ := Encode(cql.Type{Name: "int"}, int32(i%10))
		if _, err := f.st.Execute(context.Background(), stmt, tb, []BoundValue{{Bytes: k}, {Bytes: c}}, ExecOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	return f, stmt.(*cql.Insert)
}

func BenchmarkInsert(b *testing.B) {
	f, stmt := benchFixture(b, 0)
	tb := f.table("h")
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k, _ := Encode(cql.Type{Name: "int"}, int32(i/10))
		c, _ := Encode(cql.Type{Name: "int"}, int32(i%10))
		if _, err := f.st.Execute(ctx, stmt, tb, []BoundValue{{Bytes: k}, {Bytes: c}}, ExecOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSelectPartition(b *testing.B) {
	f, _ := benchFixture(b, 10000)
	stmt, _ := cql.Parse("SELECT c, v FROM h WHERE k = ?")
	tb := f.table("h")
	k, _ := Encode(cql.Type{Name: "int"}, int32(500))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := f.st.Execute(ctx, stmt, tb, []BoundValue{{Bytes: k}}, ExecOptions{})
		if err != nil || len(res.Rows) != 10 {
			b.Fatal(err)
		}
	}
}

func BenchmarkPagedScan(b *testing.B) {
	f, _ := benchFixture(b, 1000)
	stmt, _ := cql.Parse("SELECT k, c, v FROM h")
	tb := f.table("h")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		opts := ExecOptions{PageSize: 100}
		n := 0
		for {
			res, err := f.st.Execute(ctx, stmt, tb, nil, opts)
			if err != nil {
				b.Fatal(err)
			}
			n += len(res.Rows)
			if res.PagingState == nil {
				break
			}
			opts.PagingState = res.PagingState
		}
		if n != 1000 {
			b.Fatalf("%d rows", n)
		}
	}
}

func BenchmarkLWTInsertIfNotExists(b *testing.B) {
	f := newFixture(b, "CREATE TABLE ks.l (id text PRIMARY KEY, owner text)")
	stmt, _ := cql.Parse("INSERT INTO l (id, owner) VALUES ('lock', 'me') IF NOT EXISTS USING TTL 30")
	tb := f.table("l")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.st.Execute(ctx, stmt, tb, nil, ExecOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeMap(b *testing.B) {
	typ := cql.Type{Name: "map", Args: []cql.Type{{Name: "text"}, {Name: "text"}}}
	v := map[string]string{"class": "SimpleStrategy", "replication_factor": "3", "dc1": "3"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(typ, v); err != nil {
			b.Fatal(err)
		}
	}
}
