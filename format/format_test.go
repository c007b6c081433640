package format_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/history"
	"github.com/cqltrack/cqltrack/engine/lock"
	"github.com/cqltrack/cqltrack/engine/schema"
	"github.com/cqltrack/cqltrack/format"
	"github.com/cqltrack/cqltrack/format/builtin"
	"github.com/cqltrack/cqltrack/format/sdk"
	"github.com/cqltrack/cqltrack/internal/wasmdata"
	"github.com/cqltrack/cqltrack/lint"
	"github.com/cqltrack/cqltrack/plugins"
)

// testHost keeps compiled code in memory: tests do not touch the user's
// cache.
var testHost = plugins.Host{NoDiskCache: true}

// reportCase is one report of format/builtin/testdata with its golden
// outputs.
type reportCase struct {
	name string
	req  format.Request
}

func reportCases(t *testing.T) []reportCase {
	t.Helper()
	paths, err := filepath.Glob("builtin/testdata/reports/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no reports: %v", err)
	}
	var meta struct {
		Rules []sdk.RuleInfo `json:"rules"`
		Files []string       `json:"files"`
	}
	b, err := os.ReadFile("builtin/testdata/lint-meta.json")
	if err == nil {
		err = json.Unmarshal(b, &meta)
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []reportCase
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".json")
		typ, _, _ := strings.Cut(name, "-")
		req := format.Request{Type: typ, Report: data, Host: testHost,
			Tool: sdk.Tool{Name: "cqltrack", Version: "1.2.3", InformationURI: "https://github.com/cqltrack/cqltrack"}}
		if typ == format.TypeLint {
			req.Rules, req.Files = meta.Rules, meta.Files
		} else {
			// As format/builtin's golden test sends them, through the
			// host's conversion to the wire's decimal keys.
			req.Versions = map[int64]string{1: "V001", 2: "V002", 3: "V003"}
		}
		out = append(out, reportCase{name, req})
	}
	return out
}

// TestBuiltinModule renders every case through builtin.wasm and compares
// with the goldens the native formatters are checked against: the module
// is up to date and renders the same bytes. Every SARIF output passes the
// schema check and every JUnit output the JUnit check.
func TestBuiltinModule(t *testing.T) {
	ctx := context.Background()
	for _, c := range reportCases(t) {
		for _, f := range builtin.Formats() {
			if !f.Accepts(c.req.Type) {
				continue
			}
			t.Run(c.name+"/"+f.Name, func(t *testing.T) {
				req := c.req
				req.Format = f.Name
				got, err := format.Render(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				want, err := os.ReadFile(filepath.Join("builtin", "testdata", "golden", c.name+"."+f.Name))
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != string(want) {
					t.Errorf("builtin.wasm renders other bytes than the native formatter (run format/builtin/build.sh):\n%s", got)
				}
				var problems []string
				switch f.Name {
				case "sarif":
					problems = checkSARIF(got)
				case "junit":
					problems = checkJUnit(got)
				}
				for _, p := range problems {
					t.Error(p)
				}
			})
		}
	}
}

// TestCheckersCanFail: each check rejects a document broken in each way
// it checks, so a passing check means something.
func TestCheckersCanFail(t *testing.T) {
	sarif, err := os.ReadFile("builtin/testdata/golden/lint.sarif")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to, want string }{
		{`"version": "2.1.0",`, ``, `log requires "version"`},
		{`"version": "2.1.0"`, `"version": "2.0.0"`, "is not one of [2.1.0]"},
		{`"startLine": 3`, `"startLine": 0`, "want an integer of at least 1"},
		{`"level": "error",`, `"level": "fatal",`, "is not one of"},
		{`"ruleId": "drop-table"`, `"ruleId": "drop-tables"`, `ruleId "drop-tables" is not a declared rule`},
		{`"helpUri": "https://github.com/cqltrack/cqltrack/blob/main/docs/rules.md#drop-table"`, `"helpUri": "rules.md#drop-table"`, "not an absolute URI"},
		{`"columnKind": "unicodeCodePoints"`, `"columnKind": "unicodeCodePoints", "findings": []`, `member "findings" is not allowed in run`},
		{`"text": "table has no comment"`, `"txt": "table has no comment"`, `member "txt" is not allowed in message`},
		{`"uri": "migrations/V003__acme.cql"`, `"uri": "/abs/V003__acme.cql"`, "neither relative to the repository nor a file URI"},
	} {
		broken := strings.Replace(string(sarif), c.from, c.to, 1)
		if broken == string(sarif) {
			t.Fatalf("%q is not in lint.sarif", c.from)
		}
		if p := strings.Join(checkSARIF([]byte(broken)), "\n"); !strings.Contains(p, c.want) {
			t.Errorf("sarif with %s: problems %q, want %q", c.to, p, c.want)
		}
	}
	junit, err := os.ReadFile("builtin/testdata/golden/migrate.junit")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to, want string }{
		{`<testsuite name="migrate shop" tests="2"`, `<testsuite tests="2"`, "<testsuite> requires name"},
		{`tests="2" failures="1" errors="0" skipped="0"`, `tests="3" failures="1" errors="0" skipped="0"`, "counts tests=3"},
		{`<testsuites name="cqltrack migrate"`, `<testsuites skipped="1" name="cqltrack migrate"`, "attribute skipped is not allowed on <testsuites>"},
		{`time="1.250"`, `time="1,250"`, `time "1,250" is not a decimal`},
		{`<system-out>`, `<ignored></ignored><system-out>`, "may not contain <ignored>"},
		{`<system-out>`, `<testcase name="x"><failure>a</failure><bogus/></testcase><system-out>`, "<testcase> may not contain <bogus>"},
	} {
		broken := strings.Replace(string(junit), c.from, c.to, 1)
		if broken == string(junit) {
			t.Fatalf("%q is not in migrate.junit", c.from)
		}
		if p := strings.Join(checkJUnit([]byte(broken)), "\n"); !strings.Contains(p, c.want) {
			t.Errorf("junit with %s: problems %q, want %q", c.to, p, c.want)
		}
	}
}

// TestReportShapes: the shapes formatters decode (format/sdk) hold every
// member of the reports the commands print: a report with every field set,
// decoded into its shape and encoded again, is the same JSON.
func TestReportShapes(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	status := engine.MigrationStatus{Version: 2, Name: "V002__users.cql", Description: "users", File: "V002__users.cql", State: engine.StateFailed,
		OutOfOrder: true, Checksum: "aa", AppliedChecksum: "bb", AppliedAt: &at, AppliedBy: "ci@runner", ExecTimeMs: 12,
		StatementsTotal: 3, StatementsApplied: 1, Error: "boom"}
	change := schema.Change{Op: "alter", Object: "column", Keyspace: "ks", Name: "age", Table: "users", Detail: "type", CQL: "x", Reverse: "y", InPlace: true, Reason: "r"}
	cases := []struct {
		report any
		shape  any
	}{
		{&lint.Report{Findings: []lint.Finding{{File: "V1__a.cql", Version: "1", Line: 2, Column: 3, Rule: "r", Severity: "error", Message: "m", Plugin: "builtin"}},
			Errors: 1, Warnings: 2, Infos: 3, Files: 4}, &sdk.LintReport{}},
		{&engine.MigrateReport{Keyspace: "ks", DryRun: true, Current: 3, LockWaitMs: 5, Warnings: []string{"w"},
			Migrations: []engine.MigrationRun{{Version: 1, Name: "a", File: "V1__a.cql", Status: "failed", ResumedAt: 2, StatementsTotal: 3,
				StatementsApplied: 1, DurationMs: 9, Statements: []string{"s"}, Failure: &engine.StatementFailure{Statement: 2, Line: 3, Column: 4, Message: "m", Code: 8704}}}},
			&sdk.MigrateReport{}},
		{&engine.StatusReport{Keyspace: "ks", Cluster: "c", Release: "4.1", Current: 1, Migrations: []engine.MigrationStatus{status},
			Counts: map[engine.State]int{engine.StateFailed: 1}, Lock: &lock.Holder{Owner: "o", Since: at, ExpiresIn: 42 * time.Second}}, &sdk.StatusReport{}},
		{&engine.PendingReport{Keyspace: "ks", Current: 1, Pending: []engine.MigrationStatus{status}}, &sdk.PendingReport{}},
		{&engine.HistoryReport{Keyspace: "ks", Events: []history.Event{{ID: "id", Kind: "migrate", Version: 2, Description: "d", Who: "w", Host: "h",
			At: at, Duration: 1500 * time.Millisecond, Statements: 2, Error: "e", Detail: "x"}}}, &sdk.HistoryReport{}},
		{&engine.ValidateReport{Keyspace: "ks", Problems: []engine.MigrationStatus{status}}, &sdk.ValidateReport{}},
		{&engine.DiffReport{Source: "a", Target: "b", Changes: []schema.Change{change}, Script: "s", Reverse: "r"}, &sdk.DiffReport{}},
		{&engine.DriftReport{Keyspace: "ks", Applied: []int64{1}, Drift: true, Changes: []schema.Change{change}}, &sdk.DriftReport{}},
	}
	for _, c := range cases {
		name := reflect.TypeOf(c.report).Elem().String()
		orig, err := json.Marshal(c.report)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(orig, c.shape); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		again, err := json.Marshal(c.shape)
		if err != nil {
			t.Fatal(err)
		}
		var a, b any
		json.Unmarshal(orig, &a)
		json.Unmarshal(again, &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: the shape loses members:\nreport %s\nshape  %s", name, orig, again)
		}
	}
}

// TestLintReport renders a real lint report: the built-in rules' docs URLs
// reach SARIF without the caller passing them.
func TestLintReport(t *testing.T) {
	ctx := context.Background()
	cfg := config.Default()
	cfg.Keyspace.Name = "ks"
	cfg.Lint.Rules = map[string]config.Rule{"truncate": {Severity: config.SeverityOff}}
	rep, err := lint.Lint(ctx, lint.Options{Config: cfg, NativeBuiltins: true, Sources: []lint.Source{
		{Path: "migrations/V001__init.cql", Data: []byte("CREATE TABLE ks.t (id int PRIMARY KEY);\nDROP TABLE ks.t;\n")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	out, err := format.Render(ctx, format.Request{Format: "sarif", Type: format.TypeLint, Report: data, Config: cfg, Host: testHost})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range checkSARIF(out) {
		t.Error(p)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct{ ID, HelpURI string }
				}
			}
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						Region struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "cqltrack" || len(run.Tool.Driver.Rules) != len(onRules(t, cfg)) {
		t.Errorf("driver %+v", run.Tool.Driver)
	}
	found := false
	for _, r := range run.Results {
		if r.RuleID == "drop-table" {
			found = true
			if reg := r.Locations[0].PhysicalLocation.Region; reg.StartLine != 2 || reg.StartColumn != 1 {
				t.Errorf("drop-table region %+v, want 2:1", reg)
			}
		}
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.ID == "truncate" {
			t.Error("truncate is off but listed")
		}
		if r.ID == "drop-table" && r.HelpURI != "https://github.com/cqltrack/cqltrack/blob/main/docs/rules.md#drop-table" {
			t.Errorf("drop-table helpUri %q", r.HelpURI)
		}
	}
	if !found {
		t.Errorf("no drop-table result in\n%s", out)
	}
}

// onRules are the rules lint runs with cfg.
func onRules(t *testing.T, cfg *config.Config) []string {
	t.Helper()
	infos, err := lint.Rules(context.Background(), lint.Options{Config: cfg, NativeBuiltins: true})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range infos {
		if r.Severity != config.SeverityOff && r.Plugin == "builtin" {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

func tsvConfig(name string) *config.Config {
	cfg := config.Default()
	cfg.Output.Formatters = []config.Formatter{{Name: name, Plugin: config.Plugin{Path: tsvWasm, Config: map[string]any{"header": true}, MemoryPages: 512, Timeout: 5 * time.Second}}}
	return cfg
}

// TestCustomFormatter: a formatter plugin from output.formatters renders
// by its configured name with its configuration.
func TestCustomFormatter(t *testing.T) {
	ctx := context.Background()
	report := []byte(`{"findings": [{"file": "V1__a.cql", "line": 2, "column": 1, "rule": "drop-table", "severity": "error", "message": "drops\tit"}], "errors": 1, "files": 1}`)
	for _, name := range []string{"tsv", "findings-tsv"} {
		out, err := format.Render(ctx, format.Request{Format: name, Type: format.TypeLint, Report: report, Config: tsvConfig(name), Host: testHost})
		if err != nil {
			t.Fatal(err)
		}
		if want := "file\tline\tcolumn\trule\tseverity\tmessage\nV1__a.cql\t2\t1\tdrop-table\terror\tdrops it\n"; string(out) != want {
			t.Errorf("%s: %q, want %q", name, out, want)
		}
	}
	infos, err := format.Formats(ctx, tsvConfig("tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, i := range infos {
		names = append(names, i.Name+"("+strings.Join(i.Reports, ",")+")")
	}
	if got := strings.Join(names, " "); !strings.HasPrefix(got, "text(") || !strings.HasSuffix(got, " sarif(lint,migrate,validate) tsv(lint)") {
		t.Errorf("formats %s", got)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	lintReport := []byte(`{"findings": [], "errors": 0, "warnings": 0, "infos": 0, "files": 0}`)
	cases := []struct {
		name   string
		req    format.Request
		target error
		want   string
	}{
		{"text is native", format.Request{Format: "text", Type: "lint", Report: lintReport}, format.ErrNative, "format text: format is rendered by the command itself"},
		{"unknown", format.Request{Format: "yaml", Type: "lint", Report: lintReport}, format.ErrUnknownFormat, `unknown format "yaml": available: text, json, checkstyle, github, junit, markdown, sarif`},
		{"report type", format.Request{Format: "sarif", Type: "status", Report: []byte(`{}`)}, format.ErrReportType, "format sarif renders lint, migrate, validate reports, not status"},
		{"custom report type", format.Request{Format: "tsv", Type: "migrate", Report: []byte(`{}`), Config: tsvConfig("tsv")}, format.ErrReportType, "format tsv renders lint reports, not migrate"},
		{"shadowing a built-in", format.Request{Format: "junit", Type: "lint", Report: lintReport, Config: tsvConfig("junit")}, format.ErrShadowed,
			"output.formatters[0]: formatter name is taken by a built-in format: junit"},
		{"unknown report type", format.Request{Format: "sarif", Type: "plan", Report: lintReport}, nil, `unknown report type "plan"`},
		{"not json", format.Request{Format: "sarif", Type: "lint", Report: []byte(`{`)}, nil, "the lint report is not valid JSON"},
		{"formatter fails", format.Request{Format: "tsv", Type: "lint", Report: []byte(`{"findings": 1}`), Config: tsvConfig("tsv")}, nil,
			`plugin "tsv": format lint: decode lint report: invalid json at offset 12: expected an array`},
		{"pinned checksum", format.Request{Format: "tsv", Type: "lint", Report: lintReport, Config: func() *config.Config {
			c := tsvConfig("tsv")
			c.Output.Formatters[0].SHA256 = strings.Repeat("ab", 32)
			return c
		}()}, plugins.ErrChecksum, "sha256 mismatch"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.req.Host = testHost
			_, err := format.Render(ctx, c.req)
			if err == nil || !strings.Contains(err.Error(), c.want) || c.target != nil && !errors.Is(err, c.target) {
				t.Errorf("error %v, want %v with %q", err, c.target, c.want)
			}
		})
	}
	if _, err := format.Formats(ctx, tsvConfig("sarif")); !errors.Is(err, format.ErrShadowed) {
		t.Errorf("Formats with a formatter named sarif: %v", err)
	}
}

// TestRun is the call the commands make.
func TestRun(t *testing.T) {
	out, err := format.Run(context.Background(), "github", format.TypeMigrate, []byte(`{"keyspace": "shop", "migrations": [
		{"version": 2, "name": "V002 users", "file": "migrations/V002__users.cql", "status": "failed", "statements_total": 1,
		 "failure": {"statement": 1, "line": 4, "column": 3, "message": "Undefined column name emial", "code": 8704}}]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "::error file=migrations/V002__users.cql,line=4,col=3,title=migration-failed::migration V002 (users) failed at statement 1: Undefined column name emial\n"
	if string(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// TestModuleManifest: builtin.wasm declares the formats the Go code has.
func TestModuleManifest(t *testing.T) {
	p, err := plugins.Load(context.Background(), plugins.Spec{Name: builtin.Name, Bytes: builtin.Wasm, Trusted: true}, testHost)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	m, err := sdk.Manifest(builtin.Name, builtin.Version, builtin.Formats())
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Manifest(); !reflect.DeepEqual(got.Formats, m.Formats) || got.Name != m.Name || got.Version != m.Version {
		t.Errorf("builtin.wasm declares %+v, the Go formats %+v (rebuild with format/builtin/build.sh)", got, m)
	}
}

// TestModuleDataMerged: the committed module went through build.sh's
// last step, which merges Go's many data segments (internal/wasmdata).
func TestModuleDataMerged(t *testing.T) {
	n, err := wasmdata.Segments(builtin.Wasm)
	if err != nil {
		t.Fatal(err)
	}
	if n > 16 {
		t.Errorf("builtin.wasm has %d data segments: rebuild it with format/builtin/build.sh, which merges them", n)
	}
}
