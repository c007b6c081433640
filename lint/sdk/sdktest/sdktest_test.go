package sdktest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/lint/sdk"
	"github.com/rogpeppe/go-internal/txtar"
)

// testRules read the AST shape engine/cql sends.
var testRules = []sdk.Rule{
	{
		ID: "no-truncate", Severity: sdk.Error, Summary: "no TRUNCATE", Kinds: []string{"TRUNCATE"},
		Check: func(p *sdk.Pass) {
			t := p.Statement.AST().Get("table")
			p.Reportf(sdk.Pos{}, "TRUNCATE %s.%s", t.Path("keyspace", "name").Str(), t.Path("name", "name").Str())
		},
	},
	{
		ID: "max-columns", Severity: sdk.Warning, Summary: "few columns", Kinds: []string{"CREATE TABLE"},
		Options: `{"type":"object","properties":{"max":{"type":"integer"}}}`,
		Check: func(p *sdk.Pass) {
			max, ok := p.Options.Get("max").Int()
			if n := p.Statement.AST().Get("columns").Len(); ok && int64(n) > max {
				p.Reportf(sdk.Pos{}, "%d columns, more than %d", n, max)
			}
		},
	},
	{
		ID: "no-rollback", Severity: sdk.Warning, Summary: "rollback",
		CheckFile: func(p *sdk.Pass) {
			if !p.File.DownSection {
				p.Reportf(sdk.Pos{}, "%s has no -- @down section", p.File.Path)
			}
		},
	},
}

func TestRun(t *testing.T) {
	Run(t, testRules, "testdata/*.txtar")
}

func TestCheckReportsMismatches(t *testing.T) {
	panicky := append(append([]sdk.Rule(nil), testRules...), sdk.Rule{
		ID: "panicky", Severity: sdk.Info, Summary: "p", Kinds: []string{"DROP TABLE"},
		Check: func(*sdk.Pass) { panic("boom") },
	})
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "unwanted finding",
			src:  "-- V001__a.cql --\nTRUNCATE ks.t;\n-- @down\n",
			want: []string{"V001__a.cql:1: unexpected finding [no-truncate] TRUNCATE ks.t"},
		},
		{
			name: "want not found",
			src:  "-- V001__a.cql --\nCREATE TABLE ks.t (a int PRIMARY KEY); -- want: no-truncate \"x\"\n-- @down\n",
			want: []string{`V001__a.cql:1: no finding [no-truncate] containing "x"`},
		},
		{
			name: "wrong severity",
			src:  "-- V001__a.cql --\nTRUNCATE ks.t; -- want: no-truncate:warning \"ks.t\"\n-- @down\n",
			want: []string{
				"V001__a.cql:1: unexpected finding [no-truncate] TRUNCATE ks.t",
				`V001__a.cql:1: no finding [no-truncate:warning] containing "ks.t"`,
			},
		},
		{
			name: "right severity",
			src:  "-- V001__a.cql --\nTRUNCATE ks.t; -- want: no-truncate:error \"ks.t\"\n-- @down\n",
			want: []string{},
		},
		{
			name: "bad severity",
			src:  "-- V001__a.cql --\nTRUNCATE ks.t; -- want: no-truncate:fatal \"ks.t\"\n",
			want: []string{`V001__a.cql: line 1: want "no-truncate:fatal \"ks.t\"": expected rule-id`},
		},
		{
			name: "wrong line",
			src:  "-- V001__a.cql --\n-- want: no-truncate \"ks.t\"\n\nCREATE TABLE ks.u (a int PRIMARY KEY);\nTRUNCATE ks.t;\n-- @down\n",
			want: []string{
				"V001__a.cql:4: unexpected finding [no-truncate] TRUNCATE ks.t",
				`V001__a.cql:3: no finding [no-truncate] containing "ks.t"`,
			},
		},
		{
			name: "file want",
			src:  "-- V001__a.cql --\nCREATE TABLE ks.t (a int PRIMARY KEY);\n",
			want: []string{"V001__a.cql:1: unexpected finding [no-rollback] V001__a.cql has no -- @down section"},
		},
		{
			name: "failing rule",
			src:  "-- V001__a.cql --\nDROP TABLE ks.t;\n-- @down\n",
			want: []string{"V001__a.cql: rule panicky failed: panic: boom"},
		},
		{
			name: "bad want",
			src:  "-- V001__a.cql --\nTRUNCATE ks.t; -- want: no-truncate unquoted\n",
			want: []string{`V001__a.cql: line 1: want "no-truncate unquoted": the message substring must be a Go-quoted string`},
		},
		{
			name: "stray file",
			src:  "-- notes.md --\nhello\n",
			want: []string{"notes.md: unexpected file (want V*.cql migrations and options.json)"},
		},
		{
			name: "syntax error",
			src:  "-- V001__a.cql --\nCREATE TABLE (;\n",
			want: []string{"build requests: "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check(panicky, txtar.Parse([]byte(tt.src)), DefaultBuilder)
			if len(got) != len(tt.want) {
				t.Fatalf("problems %q, want %q", got, tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("problem %q, want %q", got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseWants(t *testing.T) {
	src := "-- want: a \"x\" b \"y z\"\n\n-- plain comment\nSELECT 1; -- want: c \"\\\"q\\\"\"\n-- want-file: d \"f\"\n"
	ws, err := parseWants([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range ws {
		got = append(got, fmt.Sprintf("%d %s %s", w.line, w.rule, w.substr))
	}
	want := []string{"4 a x", "4 b y z", `4 c "q"`, "0 d f"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("wants %q, want %q", got, want)
	}
}
