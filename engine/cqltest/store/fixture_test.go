package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// fixture is a catalog and a store driven by CQL text, as the server
// drives them.
type fixture struct {
	t     testing.TB
	cat   *schema.Catalog
	st    *Store
	clock *ManualClock
	opts  ExecOptions
}

var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func newFixture(t testing.TB, ddl ...string) *fixture {
	t.Helper()
	f := &fixture{t: t, cat: schema.New(schema.V5_0), clock: NewManualClock(epoch)}
	f.st = New(Options{Clock: f.clock, Types: func(ks, name string) (*UserType, error) {
		k := f.cat.Keyspace(ks)
		if k == nil || k.Types[name] == nil {
			return nil, fmt.Errorf("unknown type %s.%s", ks, name)
		}
		u := k.Types[name]
		return &UserType{Keyspace: ks, Name: name, FieldNames: u.FieldNames, FieldTypes: u.FieldTypes}, nil
	}})
	f.ddl("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	for _, d := range ddl {
		f.ddl(d)
	}
	return f
}

func (f *fixture) ddl(text string) {
	f.t.Helper()
	stmt, err := cql.Parse(text)
	if err != nil {
		f.t.Fatalf("parse %q: %v", text, err)
	}
	if _, err := f.cat.Apply(stmt, "ks"); err != nil {
		f.t.Fatalf("apply %q: %v", text, err)
	}
}

func (f *fixture) table(name string) *schema.Table {
	f.t.Helper()
	tb := f.cat.Keyspace("ks").Tables[name]
	if tb == nil {
		f.t.Fatalf("no table ks.%s", name)
	}
	return tb
}

func stmtTable(stmt cql.Stmt) cql.QualifiedName {
	switch x := stmt.(type) {
	case *cql.Insert:
		return x.Table
	case *cql.Update:
		return x.Table
	case *cql.Delete:
		return x.Table
	case *cql.Select:
		return x.Table
	case *cql.Truncate:
		return x.Table
	case *cql.Batch:
		return stmtTable(x.Statements[0])
	}
	return cql.QualifiedName{}
}

// run executes one statement with bound values and returns the result.
func (f *fixture) run(text string, bound ...BoundValue) (*Result, error) {
	f.t.Helper()
	stmt, err := cql.Parse(text)
	if err != nil {
		f.t.Fatalf("parse %q: %v", text, err)
	}
	return f.st.Execute(context.Background(), stmt, f.table(stmtTable(stmt).Name.Name), bound, f.opts)
}

func (f *fixture) exec(text string, bound ...BoundValue) *Result {
	f.t.Helper()
	res, err := f.run(text, bound...)
	if err != nil {
		f.t.Fatalf("%s: %v", text, err)
	}
	return res
}

// rows runs a query and renders its rows for comparison.
func (f *fixture) rows(text string, bound ...BoundValue) []string {
	f.t.Helper()
	return render(f.exec(text, bound...))
}

// errMsg runs a statement that must fail with an InvalidRequest and returns
// the message.
func (f *fixture) errMsg(text string, bound ...BoundValue) string {
	f.t.Helper()
	_, err := f.run(text, bound...)
	if err == nil {
		f.t.Fatalf("%s: succeeded, want an error", text)
	}
	var se *schema.Error
	if !errors.As(err, &se) || se.Code != schema.CodeInvalid {
		f.t.Fatalf("%s: error %v is not an InvalidRequest", text, err)
	}
	return se.Msg
}

// render shows each row as "v1 v2 ..." with CQL-like text for values.
func render(res *Result) []string {
	if res == nil {
		return nil
	}
	out := []string{}
	for _, r := range res.Rows {
		parts := make([]string, len(r))
		for i, v := range r {
			parts[i] = show(v)
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out
}

func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = show(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case []MapEntry:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = show(e.Key) + ":" + show(e.Value)
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	return formatValue(v)
}

func columnNames(res *Result) []string {
	var out []string
	for _, c := range res.Columns {
		out = append(out, c.Name)
	}
	return out
}

func bind(t testing.TB, typ string, v any) BoundValue {
	t.Helper()
	b, err := Encode(parseType(t, typ), v)
	if err != nil {
		t.Fatal(err)
	}
	return BoundValue{Bytes: b}
}

func wantRows(t testing.TB, what string, got []string, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if got == nil {
		got = []string{}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}
