package builtin_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/internal/wasmdata"
	"github.com/cqltrack/cqltrack/lint"
	"github.com/cqltrack/cqltrack/lint/builtin"
	"github.com/cqltrack/cqltrack/lint/sdk"
	"github.com/cqltrack/cqltrack/lint/sdk/sdktest"
	"github.com/cqltrack/cqltrack/plugins"
	"github.com/cqltrack/cqltrack/plugins/abi"
)

// testConfig is the configuration the cases are replayed with: keyspace ks
// exists (as `cqltrack init` would have made it) with three replicas.
func testConfig() *config.Config {
	cfg := config.Default()
	cfg.Keyspace.Name = "ks"
	cfg.Keyspace.Replication = config.Replication{Class: config.NetworkTopologyStrategy, DataCenters: map[string]int{"dc1": 3}}
	return cfg
}

// build is the sdktest builder of the lint package: requests carry the
// schema before each statement, as in a real run.
func build(files []sdktest.File) ([]*sdk.LintRequest, error) {
	srcs := make([]lint.Source, len(files))
	for i, f := range files {
		srcs[i] = lint.Source{Path: f.Name, Data: f.Data}
	}
	return lint.Requests(testConfig(), srcs)
}

func cases(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test cases in testdata: %v", err)
	}
	return paths
}

// TestRules runs the cases: testdata/<rule-id>.txtar runs that rule alone,
// any other case runs every rule, so its wants list every finding.
func TestRules(t *testing.T) {
	byID := map[string]sdk.Rule{}
	for _, r := range builtin.Rules() {
		byID[r.ID] = r
	}
	tested := map[string]bool{}
	for _, p := range cases(t) {
		name := strings.TrimSuffix(filepath.Base(p), ".txtar")
		rules := builtin.Rules()
		if r, ok := byID[name]; ok {
			rules = []sdk.Rule{r}
			tested[name] = true
		}
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(p)
			if err != nil {
				t.Fatal(err)
			}
			for _, problem := range sdktest.Check(rules, ar, build) {
				t.Errorf("%s: %s", p, problem)
			}
		})
	}
	for id := range byID {
		if !tested[id] {
			t.Errorf("rule %s has no testdata/%s.txtar", id, id)
		}
	}
}

// TestRegistry checks what `cqltrack rules` and the docs rely on: at least
// the 22 rules the issue names, sorted, documented, each with a source.
func TestRegistry(t *testing.T) {
	all := builtin.All()
	want := []string{"no-rollback", "empty-rollback", "drop-no-if-exists", "create-no-if-not-exists",
		"column-drop", "truncate", "pk-alter", "type-change", "drop-table", "drop-keyspace",
		"readd-dropped-column", "compaction-change", "gc-grace-lowered", "simple-strategy",
		"low-replication-factor", "materialized-view", "secondary-index", "allow-filtering",
		"removed-table-options", "non-idempotent-dml", "mixed-case-identifier", "use-statement",
		"counter-table-mix", "keyspace-replication-change", "compact-storage"}
	var ids []string
	for _, r := range all {
		ids = append(ids, r.ID)
		if r.Why == "" || len(r.Sources) == 0 || r.Example == "" {
			t.Errorf("rule %s: needs Why, Sources and Example", r.ID)
		}
		for _, s := range r.Sources {
			if !strings.HasPrefix(s, "https://") {
				t.Errorf("rule %s: source %q is not a URL", r.ID, s)
			}
		}
		if !strings.HasSuffix(r.DocsURL, "#"+r.ID) {
			t.Errorf("rule %s: docs URL %q", r.ID, r.DocsURL)
		}
	}
	if !slices.IsSorted(ids) {
		t.Errorf("All is not sorted by id: %v", ids)
	}
	for _, id := range want {
		if !slices.Contains(ids, id) {
			t.Errorf("missing rule %s", id)
		}
	}
	if _, err := sdk.Manifest(builtin.Name, builtin.Version, builtin.Rules()); err != nil {
		t.Fatal(err)
	}
}

// TestWasmMatchesNative loads the embedded builtin.wasm through the real
// plugin host and checks that it finds exactly what the Go code finds on
// every case, with every rule on: a stale module fails here (rebuild it
// with lint/builtin/build.sh).
func TestWasmMatchesNative(t *testing.T) {
	ctx := context.Background()
	p, err := plugins.Load(ctx, plugins.Spec{Name: builtin.Name, Bytes: builtin.Wasm, Kind: abi.KindRule, Trusted: true},
		plugins.Host{CacheDir: filepath.Join(os.TempDir(), "cqltrack-test-wazero"), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("load builtin.wasm: %v", err)
	}
	defer p.Close(ctx)

	m, err := sdk.Manifest(builtin.Name, builtin.Version, builtin.Rules())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := abi.AppendManifest(nil, p.Manifest()), abi.AppendManifest(nil, m); string(got) != string(want) {
		// Name the rules that differ rather than print both manifests.
		one := func(r abi.RuleInfo) string {
			return string(abi.AppendManifest(nil, &abi.Manifest{Rules: []abi.RuleInfo{r}}))
		}
		wasmRules := map[string]string{}
		for _, r := range p.Manifest().Rules {
			wasmRules[r.ID] = one(r)
		}
		for _, r := range m.Rules {
			if w := wasmRules[r.ID]; w != one(r) {
				t.Errorf("rule %s in builtin.wasm: %s\nin the Go code: %s", r.ID, w, one(r))
			}
		}
		t.Fatalf("builtin.wasm's manifest differs from the Go rules' (%d and %d rules): rebuild it with lint/builtin/build.sh", len(p.Manifest().Rules), len(m.Rules))
	}

	total := 0
	for _, path := range cases(t) {
		ar, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var files []sdktest.File
		options := map[string]sdk.Value{}
		for _, f := range ar.Files {
			switch {
			case f.Name == "options.json":
				v, err := abi.ParseValue(f.Data)
				if err != nil {
					t.Fatalf("%s: options.json: %v", path, err)
				}
				for _, m := range v.Members() {
					options[m.Key] = m.Value
				}
			case strings.HasSuffix(f.Name, ".cql"):
				files = append(files, sdktest.File{Name: f.Name, Data: f.Data})
			}
		}
		slices.SortFunc(files, func(a, b sdktest.File) int { return strings.Compare(a.Name, b.Name) })
		reqs, err := build(files)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, req := range reqs {
			req.RuleOptions = options
			want := sdk.RunNative(builtin.Rules(), req)
			got, err := p.Lint(ctx, "", req)
			if err != nil {
				t.Fatalf("%s: %s: %v", path, req.File.Path, err)
			}
			if g, w := render(got), render(want); g != w {
				t.Errorf("%s: %s: builtin.wasm differs from the Go rules (rebuild with lint/builtin/build.sh)\nwasm:\n%s\nnative:\n%s", path, req.File.Path, g, w)
			}
			total += len(want.Findings)
		}
	}
	if total < 50 {
		t.Errorf("only %d findings over the corpus: the comparison proves little", total)
	}
}

func render(r *sdk.LintResponse) string {
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%d:%d:%d stmt %d [%s] %s %s\n", f.Pos.Offset, f.Pos.Line, f.Pos.Column, f.Statement, f.Rule, f.Severity, f.Message)
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "error [%s] %s\n", e.Rule, e.Message)
	}
	return b.String()
}

// TestBeforeProjection proves that trimming Before to what the built-in
// rules read (lint.BuiltinRequests, what Lint sends when no other plugin is
// configured) changes no finding on the corpus, and that every rule that
// reads Before declares it.
func TestBeforeProjection(t *testing.T) {
	optionRead := regexp.MustCompile(`Options\["([a-z_]+)"\]`)
	for _, r := range builtin.All() {
		src, err := os.ReadFile(strings.ReplaceAll(r.ID, "-", "_") + ".go")
		if err != nil {
			t.Fatalf("rule %s: its file: %v", r.ID, err)
		}
		if strings.Contains(string(src), "p.Before") && len(r.BeforeKinds) == 0 {
			t.Errorf("rule %s reads p.Before but declares no BeforeKinds", r.ID)
		}
		for _, m := range optionRead.FindAllStringSubmatch(string(src), -1) {
			if !slices.Contains(builtin.BeforeOptions, m[1]) {
				t.Errorf("rule %s reads table option %s, which is not in BeforeOptions", r.ID, m[1])
			}
		}
	}
	for _, path := range cases(t) {
		ar, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var srcs []lint.Source
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".cql") {
				srcs = append(srcs, lint.Source{Path: f.Name, Data: f.Data})
			}
		}
		full, err := lint.Requests(testConfig(), srcs)
		if err != nil {
			t.Fatal(err)
		}
		trimmed, err := lint.BuiltinRequests(testConfig(), srcs)
		if err != nil {
			t.Fatal(err)
		}
		for i := range full {
			want, got := render(sdk.RunNative(builtin.Rules(), full[i])), render(sdk.RunNative(builtin.Rules(), trimmed[i]))
			if got != want {
				t.Errorf("%s: %s: findings differ with Before trimmed:\n%s\nwith all of it:\n%s", path, full[i].File.Path, got, want)
			}
		}
	}
}

// TestExamples: the statement each rule's documentation shows as flagged
// is flagged by that rule.
func TestExamples(t *testing.T) {
	for _, r := range builtin.All() {
		reqs, err := lint.Requests(testConfig(), []lint.Source{{Path: "V001__example.cql", Data: []byte(r.Example + "\n")}})
		if err != nil {
			t.Errorf("rule %s: example does not parse: %v", r.ID, err)
			continue
		}
		if resp := sdk.RunNative([]sdk.Rule{r.Rule}, reqs[0]); len(resp.Findings) == 0 {
			t.Errorf("rule %s does not flag its own example:\n%s", r.ID, r.Example)
		}
	}
}

// TestWasmDataMerged: the committed module went through build.sh's last
// step, which merges Go's ~27,000 data segments (internal/wasmdata); a
// module built by hand without it costs every lint run 5 MB of heap.
func TestWasmDataMerged(t *testing.T) {
	n, err := wasmdata.Segments(builtin.Wasm)
	if err != nil {
		t.Fatal(err)
	}
	if n > 16 {
		t.Errorf("builtin.wasm has %d data segments: rebuild it with lint/builtin/build.sh, which merges them", n)
	}
}
