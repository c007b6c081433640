package sdk

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/plugins/abi"
)

var update = flag.Bool("update", false, "rewrite golden files")

func mustValue(s string) Value {
	v, err := abi.ParseValue([]byte(s))
	if err != nil {
		panic(err)
	}
	return v
}

// fullRequest sets every field of the request shape.
func fullRequest() *LintRequest {
	return &LintRequest{
		File: File{Path: "V003__users.cql", Version: "003", Description: "users", DownSection: true, UpStatements: 2, DownStatements: 1},
		Statements: []*Statement{
			{
				Section: Up, Index: 1, Kind: "ALTER TABLE", Text: "ALTER TABLE ks.users ADD \"Email\" text",
				Pos:     Pos{Offset: 20, Line: 2, Column: 1},
				ASTJSON: []byte(`{"kind":"ALTER TABLE","action":"ADD"}`),
				Before: &Object{
					Keyspace: &Keyspace{Name: "ks", Replication: map[string]string{"class": "NetworkTopologyStrategy", "dc1": "3"}, DurableWrites: true},
					Table: &Table{
						Keyspace: "ks", Name: "users",
						Columns: []Column{
							{Name: "id", Type: "uuid", Kind: PartitionKey},
							{Name: "at", Type: "timestamp", Kind: Clustering},
							{Name: "tags", Type: "frozen<set<text>>", Kind: Regular},
						},
						PartitionKey: []string{"id"},
						Clustering:   []ClusteringColumn{{Name: "at", Order: "desc"}},
						Options:      map[string]Value{"gc_grace_seconds": mustValue(`864000`), "compaction": mustValue(`{"class":"LeveledCompactionStrategy"}`)},
						Dropped:      []DroppedColumn{{Name: "email", Type: "text", Kind: Regular, DroppedAt: 1700000000000000}},
						Indexes:      []Index{{Name: "users_tags", Target: "values(tags)"}},
					},
				},
			},
			{Section: Up, Index: 2, Kind: "CREATE TYPE", Text: "CREATE TYPE ks.addr (city text)", Pos: Pos{Offset: 60, Line: 3, Column: 1},
				Before: &Object{Type: &UserType{Keyspace: "ks", Name: "addr", Fields: []Field{{Name: "street", Type: "text"}}}}},
			{Section: Down, Index: 3, Kind: "CREATE MATERIALIZED VIEW", Text: "…", Pos: Pos{Offset: 99, Line: 6, Column: 1},
				Before: &Object{Table: &Table{Keyspace: "ks", Name: "by_city", View: true, BaseTable: "users", CompactStorage: true, Counter: true}}},
		},
		Rules:       []string{"a", "b"},
		RuleOptions: map[string]Value{"b": mustValue(`{"max":3}`), "a": mustValue(`null`)},
	}
}

func TestRequestRoundTrip(t *testing.T) {
	want := fullRequest()
	data := AppendLintRequest(nil, want)
	if !json.Valid(data) {
		t.Fatalf("encoded request is not JSON: %s", data)
	}
	got, err := DecodeLintRequest(data)
	if err != nil {
		t.Fatal(err)
	}
	// Values compare by content, not by representation; the decoded
	// ASTs carry an index of ASTJSON, which the hand-made ones lack.
	for _, r := range []*LintRequest{want, got} {
		for id, v := range r.RuleOptions {
			r.RuleOptions[id] = mustValue(string(v.JSON()))
		}
		for _, s := range r.Statements {
			s.ast = Value{}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip differs\n got %s\nwant %s", AppendLintRequest(nil, got), data)
	}
}

// TestRequestGolden pins the wire shape documented in docs/plugin-abi.md.
func TestRequestGolden(t *testing.T) {
	var pretty strings.Builder
	enc := json.NewEncoder(&pretty)
	enc.SetIndent("", "  ")
	var doc any
	if err := json.Unmarshal(AppendLintRequest(nil, fullRequest()), &doc); err != nil {
		t.Fatal(err)
	}
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "request.golden.json")
	if *update {
		if err := os.WriteFile(golden, []byte(pretty.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if pretty.String() != string(want) {
		t.Errorf("request shape changed (go test -update to accept):\n%s", pretty.String())
	}
}

func TestDecodeRequestIgnoresUnknownMembers(t *testing.T) {
	req, err := DecodeLintRequest([]byte(`{"v2":{"x":[1]},"file":{"path":"p","new":true},"statements":[{"index":4,"kind":"USE","ast":null,"before":null,"extra":"y"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if req.File.Path != "p" || len(req.Statements) != 1 || req.Statements[0].Index != 4 || req.Statements[0].Before != nil || req.Statements[0].ASTJSON != nil {
		t.Errorf("decoded %+v", req)
	}
}

func TestDecodeRequestRejectsMalformed(t *testing.T) {
	for _, in := range []string{`{"file":[]}`, `{"statements":{}}`, `{"statements":[{"index":"1"}]}`, `{`, `[]`} {
		if _, err := DecodeLintRequest([]byte(in)); err == nil {
			t.Errorf("DecodeLintRequest(%s) succeeded", in)
		}
	}
}

func TestResponseRoundTrip(t *testing.T) {
	want := &LintResponse{
		Findings: []Finding{
			{Rule: "r", Severity: Warning, Message: "m \"q\"", Pos: Pos{Offset: 5, Line: 2, Column: 3}, Statement: 1},
			{Rule: "s", Message: "no severity", Pos: Pos{Line: 1, Column: 1}},
		},
		Errors: []RuleError{{Rule: "t", Message: "panic: x"}},
	}
	got, err := DecodeLintResponse(AppendLintResponse(nil, want))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestDecodeResponseRejects(t *testing.T) {
	tests := map[string]string{
		`{"ok":true,"result":{"findings":[{"message":"m"}]}}`:                               "lacks a rule",
		`{"ok":true,"result":{"findings":[{"rule":"r"}]}}`:                                  "lacks a rule or a message",
		`{"ok":true,"result":{"findings":[{"rule":"r","message":"m","severity":"fatal"}]}}`: `severity "fatal"`,
		`{"ok":true,"result":{"findings":{}}}`:                                              "expected an array",
		`{"ok":false,"error":{"message":"guest says no"}}`:                                  "guest says no",
	}
	for in, substr := range tests {
		_, err := DecodeLintResponse([]byte(in))
		if err == nil || !strings.Contains(err.Error(), substr) {
			t.Errorf("DecodeLintResponse(%s) = %v, want an error containing %q", in, err, substr)
		}
	}
}

func TestRunNative(t *testing.T) {
	var seen []string
	rules := []Rule{
		{
			ID: "tables", Severity: Warning, Summary: "s", Kinds: []string{"create table"},
			Check: func(p *Pass) {
				seen = append(seen, "tables:"+p.Statement.Kind)
				max, _ := p.Options.Get("max").Int()
				p.Reportf(Pos{}, "max %d, before %v", max, p.Before != nil)
			},
		},
		{
			ID: "everything", Severity: Info, Summary: "s",
			Check: func(p *Pass) { seen = append(seen, "everything:"+p.Statement.Kind) },
		},
		{
			ID: "file", Severity: Error, Summary: "s",
			CheckFile: func(p *Pass) {
				if p.Statement != nil || len(p.Statements) != 3 {
					t.Errorf("CheckFile pass: statement %v, %d statements", p.Statement, len(p.Statements))
				}
				p.Reportf(Pos{}, "%s down=%v", p.File.Path, p.File.DownSection)
			},
		},
		{
			ID: "fragile", Severity: Error, Summary: "s", Kinds: []string{"INSERT"},
			Check: func(p *Pass) {
				p.Report(Pos{Line: 9, Column: 9}, "reported before the panic")
				var m map[string]int
				m["x"]++
			},
		},
	}
	req := &LintRequest{
		File: File{Path: "V1__a.cql", DownSection: true},
		Statements: []*Statement{
			{Index: 1, Kind: "CREATE TABLE", Pos: Pos{Offset: 0, Line: 1, Column: 1}},
			{Index: 2, Kind: "INSERT", Pos: Pos{Offset: 30, Line: 2, Column: 1}},
			{Index: 3, Kind: "CREATE TABLE", Pos: Pos{Offset: 60, Line: 3, Column: 5}, Before: &Object{}},
		},
		RuleOptions: map[string]Value{"tables": mustValue(`{"max":7}`)},
	}
	got := RunNative(rules, req)
	want := &LintResponse{
		Findings: []Finding{
			{Rule: "file", Severity: Error, Message: "V1__a.cql down=true", Pos: Pos{Line: 1, Column: 1}},
			{Rule: "tables", Severity: Warning, Message: "max 7, before false", Pos: Pos{Line: 1, Column: 1}, Statement: 1},
			{Rule: "tables", Severity: Warning, Message: "max 7, before true", Pos: Pos{Offset: 60, Line: 3, Column: 5}, Statement: 3},
		},
		Errors: []RuleError{{Rule: "fragile", Message: "panic: assignment to entry in nil map"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RunNative\n got %+v\nwant %+v", got, want)
	}
	wantSeen := []string{"tables:CREATE TABLE", "tables:CREATE TABLE", "everything:CREATE TABLE", "everything:INSERT", "everything:CREATE TABLE"}
	if !reflect.DeepEqual(seen, wantSeen) {
		t.Errorf("dispatch order %v, want %v", seen, wantSeen)
	}

	// Only the selected rules run.
	seen = nil
	req.Rules = []string{"everything"}
	if got := RunNative(rules, req); len(got.Findings) != 0 || len(seen) != 3 {
		t.Errorf("with Rules filter: %+v, seen %v", got, seen)
	}
}

// TestDecodedASTIsIndexed: a decoded statement's AST answers through its
// index, as the same text scanned would; one whose ASTJSON is replaced
// answers from the new text.
func TestDecodedASTIsIndexed(t *testing.T) {
	req, err := DecodeLintRequest(AppendLintRequest(nil, fullRequest()))
	if err != nil {
		t.Fatal(err)
	}
	s := req.Statements[0]
	if !s.indexed() {
		t.Fatal("decoded AST has no index")
	}
	for _, key := range []string{"kind", "action", "missing"} {
		if got, want := s.AST().Get(key), abi.RawValue(s.ASTJSON).Get(key); string(got.JSON()) != string(want.JSON()) {
			t.Errorf("Get(%q) = %s, scanned %s", key, got.JSON(), want.JSON())
		}
	}
	s.ASTJSON = []byte(`{"kind":"DROP TABLE"}`)
	if got := s.AST().Get("kind").Str(); got != "DROP TABLE" || s.indexed() {
		t.Errorf("after replacing ASTJSON: kind %q, indexed %v", got, s.indexed())
	}
}

// TestRunNativeIndexesASTs: rules run natively read a request made by
// hand the way a plugin reads a decoded one, through an index of each AST
// (a malformed AST is scanned as before), and the caller's statements are
// left as they were.
func TestRunNativeIndexesASTs(t *testing.T) {
	var names []string
	var indexed []bool
	rule := Rule{
		ID: "names", Severity: Info, Summary: "s",
		Check: func(p *Pass) {
			names = append(names, p.Statement.AST().Path("table", "name", "name").Str())
			indexed = append(indexed, p.Statement.indexed() && p.Statements[p.Statement.Index-1] == p.Statement)
		},
	}
	req := &LintRequest{Statements: []*Statement{
		{Index: 1, ASTJSON: []byte(`{"kind":"DROP TABLE","table":{"name":{"name":"t1"}}}`)},
		{Index: 2, ASTJSON: []byte(`{"table":{"name"`)}, // broken: scanned
		{Index: 3}, // no AST
		{Index: 4, ASTJSON: []byte(`{"table":{"name":{"name":"t4"}}}`)},
	}}
	RunNative([]Rule{rule}, req)
	if want := []string{"t1", "", "", "t4"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
	if want := []bool{true, false, false, true}; !reflect.DeepEqual(indexed, want) {
		t.Errorf("indexed %v, want %v", indexed, want)
	}
	for _, s := range req.Statements {
		if !s.ast.IsNull() {
			t.Errorf("statement %d of the caller was changed", s.Index)
		}
	}
	// A request with no statement at all.
	if got := RunNative([]Rule{rule}, &LintRequest{}); len(got.Findings) != 0 || got.Findings != nil {
		t.Errorf("empty request: %+v", got)
	}
}

func TestManifestRefusesBadRules(t *testing.T) {
	check := func(*Pass) {}
	tests := []struct {
		name   string
		rules  []Rule
		substr string
	}{
		{"severity", []Rule{{ID: "a", Severity: "fatal", Summary: "s", Check: check}}, `severity "fatal"`},
		{"duplicate", []Rule{{ID: "a", Severity: Error, Summary: "s", Check: check}, {ID: "a", Severity: Error, Summary: "s", Check: check}}, `rule "a" declared twice`},
		{"options", []Rule{{ID: "a", Severity: Error, Summary: "s", Check: check, Options: `{"type":`}}, `rule "a": options schema`},
		{"options not object", []Rule{{ID: "a", Severity: Error, Summary: "s", Check: check, Options: `[]`}}, "must be a JSON object"},
		{"no check", []Rule{{ID: "a", Severity: Error, Summary: "s"}}, "neither Check nor CheckFile"},
		{"id", []Rule{{ID: "No Spaces", Severity: Error, Summary: "s", Check: check}}, `rule id "No Spaces"`},
		{"none", nil, "declares no rules"},
	}
	for _, tt := range tests {
		_, err := Manifest("acme", "1", tt.rules)
		if err == nil || !strings.Contains(err.Error(), tt.substr) || !strings.HasPrefix(err.Error(), `plugin "acme": `) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.substr)
		}
		if tt.name == "no check" && !errors.Is(err, ErrRule) {
			t.Errorf("%s: error does not wrap ErrRule", tt.name)
		}
	}
	m, err := Manifest("acme", "1.0", []Rule{{ID: "a", Severity: Info, Summary: "s", DocsURL: "u", Kinds: []string{"USE"}, Options: `{"type":"object"}`, Check: check}})
	if err != nil {
		t.Fatal(err)
	}
	if r := m.Rules[0]; r.Severity != "info" || r.DocsURL != "u" || r.Options.Get("type").Str() != "object" || m.Kind != "rule" {
		t.Errorf("manifest %+v", m)
	}
}

func TestStatementASTIsTolerant(t *testing.T) {
	s := &Statement{ASTJSON: []byte(`{"table":{"name":{"name":"t"}}}`)}
	if got := s.AST().Path("table", "name", "name").Str(); got != "t" {
		t.Errorf("AST path = %q", got)
	}
	if !(&Statement{}).AST().IsNull() {
		t.Error("absent AST is not null")
	}
	if broken := (&Statement{ASTJSON: []byte(`{"table":{"name"`)}).AST(); !broken.Path("table", "name", "name").IsNull() {
		t.Error("lookup in a broken AST found something")
	}
}

// TestEqualFoldMatchesStrings: the kind comparison answers as
// strings.EqualFold, ASCII or not, and so does a rule's choice of kinds.
func TestEqualFoldMatchesStrings(t *testing.T) {
	words := []string{"", "CREATE TABLE", "create table", "Create Table", "CREATE TABLES", "CREATE INDEX",
		"ALTER TABLE", "k", "K", "\u212a", "s", "S", "\u017f", "@", "`", "[", "{", "a\u212ab", "AKB", "ak",
		"\u00e9", "\u00c9", "\xff", "\xffA", "\xffa", "1", "!"}
	for _, a := range words {
		for _, b := range words {
			if got, want := equalFold(a, b), strings.EqualFold(a, b); got != want {
				t.Errorf("equalFold(%q, %q) = %v, strings.EqualFold says %v", a, b, got, want)
			}
			if got, want := wants([]string{"DROP TABLE", a}, b), b == "DROP TABLE" || strings.EqualFold(a, b); got != want {
				t.Errorf("wants([DROP TABLE %q], %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

// TestRegister: natively, Register keeps valid rules for Registered (a
// plugin's init runs in its tests) and panics on invalid ones with the
// message the host would show.
func TestRegister(t *testing.T) {
	defer func(saved []Rule) { registered = saved }(registered)
	rules := []Rule{{ID: "a", Severity: Error, Summary: "s", Check: func(*Pass) {}}}
	Register("acme", "1", rules...)
	if got := Registered(); len(got) != 1 || got[0].ID != "a" {
		t.Errorf("Registered() = %+v, want the rule a", got)
	}
	defer func() {
		if p, _ := recover().(string); !strings.Contains(p, `rule "b" has neither Check nor CheckFile`) {
			t.Errorf("Register of an invalid rule panicked with %q", p)
		}
	}()
	Register("acme", "1", Rule{ID: "b", Severity: Error, Summary: "s"})
	t.Error("Register of an invalid rule returned")
}

// A rule with only CheckFile is declared file-only, so the host sends it
// no statement; a rule with Check is not, even with CheckFile too.
func TestManifestDeclaresFileOnlyRules(t *testing.T) {
	m, err := Manifest("p", "1", []Rule{
		{ID: "file", Severity: Error, Summary: "s", CheckFile: func(*Pass) {}},
		{ID: "both", Severity: Error, Summary: "s", Check: func(*Pass) {}, CheckFile: func(*Pass) {}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Rules[0].FileOnly || m.Rules[1].FileOnly {
		t.Errorf("file_only: %v, %v; want true, false", m.Rules[0].FileOnly, m.Rules[1].FileOnly)
	}
}
