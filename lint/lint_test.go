package lint

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/lint/builtin"
	"github.com/cqltrack/cqltrack/plugins"
)

// testCacheDir is shared by the tests (and across runs) so that the
// built-in module is compiled once.
var testCacheDir = filepath.Join(os.TempDir(), "cqltrack-test-wazero")

// project writes migration files into a new directory and returns a
// configuration that points at it, with keyspace ks.
func project(t testing.TB, files map[string]string) (*config.Config, string) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := config.Default()
	cfg.Migrations.Directory = dir
	cfg.Keyspace.Name = "ks"
	cfg.Keyspace.Replication = config.Replication{Class: config.NetworkTopologyStrategy, DataCenters: map[string]int{"dc1": 3}}
	cfg.PluginCacheDir = testCacheDir
	return cfg, dir
}

// options lints paths without the result cache (TestResultCache tests it).
func options(cfg *config.Config, paths ...string) Options {
	return Options{Config: cfg, Paths: paths, Logger: slog.New(slog.DiscardHandler), NoResultCache: true}
}

// lines renders findings as "file:line:col severity [rule] message" with
// the file's base name, one per line.
func lines(r *Report) string {
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%s:%d:%d %s [%s] %s\n", filepath.Base(f.File), f.Line, f.Column, f.Severity, f.Rule, f.Message)
	}
	return b.String()
}

func run(t *testing.T, opts Options) *Report {
	t.Helper()
	rep, err := Lint(context.Background(), opts)
	if err != nil {
		t.Fatalf("Lint: %v", err)
	}
	for _, e := range rep.PluginErrors {
		t.Errorf("plugin error: %v", e)
	}
	return rep
}

// wantRules checks which rules fired where: entries are "file:line rule".
func wantRules(t *testing.T, rep *Report, want ...string) {
	t.Helper()
	var got []string
	for _, f := range rep.Findings {
		got = append(got, fmt.Sprintf("%s:%d %s", filepath.Base(f.File), f.Line, f.Rule))
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant (file:line rule):\n  %s", lines(rep), strings.Join(want, "\n  "))
	}
}

func TestLintDirectory(t *testing.T) {
	cfg, _ := project(t, map[string]string{
		"V001__users.cql": "CREATE TABLE IF NOT EXISTS users (id uuid PRIMARY KEY, name text);\n-- @down\nDROP TABLE IF EXISTS users;\n",
		"V002__drop.cql":  "ALTER TABLE users DROP name;\n\nDROP TABLE users;\n",
		"notes.txt":       "not a migration",
	})
	rep := run(t, options(cfg))
	wantRules(t, rep,
		"V002__drop.cql:1 column-drop",
		"V002__drop.cql:1 no-rollback",
		"V002__drop.cql:3 drop-no-if-exists",
		"V002__drop.cql:3 drop-table",
	)
	if rep.Files != 2 || rep.Errors != 1 || rep.Warnings != 3 || rep.Infos != 0 {
		t.Errorf("files %d, errors %d, warnings %d, infos %d; want 2, 1, 3, 0", rep.Files, rep.Errors, rep.Warnings, rep.Infos)
	}
	f := rep.Findings[2]
	if f.Version != "002" || f.Plugin != builtin.Name || f.Column != 1 || f.Severity != SeverityError ||
		!strings.Contains(f.Message, "DROP TABLE users without IF EXISTS") {
		t.Errorf("finding %+v", f)
	}
}

// TestContextReplay lints one file: the earlier migrations of the
// configured directory are replayed, so pk-alter knows the key.
func TestContextReplay(t *testing.T) {
	cfg, dir := project(t, map[string]string{
		"V001__users.cql": "CREATE TABLE users (id uuid PRIMARY KEY, name text);\n",
		"V002__alter.cql": "ALTER TABLE users DROP id;\n-- @down\n",
	})
	rep := run(t, options(cfg, filepath.Join(dir, "V002__alter.cql")))
	// File-level findings are at 1:1 and sort before the statement's.
	wantRules(t, rep,
		"V002__alter.cql:1 empty-rollback",
		"V002__alter.cql:1 pk-alter",
	)
	if rep.Files != 1 {
		t.Errorf("linted %d files, want 1 (V001 is context only)", rep.Files)
	}
}

// TestUnversionedFile: a file passed by name that is not V..__...cql is
// linted with no version.
func TestUnversionedFile(t *testing.T) {
	cfg, _ := project(t, nil)
	p := filepath.Join(t.TempDir(), "scratch.cql")
	os.WriteFile(p, []byte("TRUNCATE ks.t;\n-- @down\n"), 0o644)
	rep := run(t, options(cfg, p))
	wantRules(t, rep, "scratch.cql:1 empty-rollback", "scratch.cql:1 truncate")
	if rep.Findings[1].Version != "" || rep.Findings[1].File != p {
		t.Errorf("finding %+v, want file %s and no version", rep.Findings[1], p)
	}
}

func TestSuppressions(t *testing.T) {
	cfg, _ := project(t, map[string]string{
		"V001__ops.cql": `-- cqltrack:ignore-file no-rollback the table is scratch
TRUNCATE ks.a; -- cqltrack:ignore truncate reset before the backfill
-- cqltrack:ignore truncate,drop-table the next statement
TRUNCATE ks.b;
TRUNCATE ks.c;
/* cqltrack:ignore drop-table nothing to drop here */
CREATE TABLE IF NOT EXISTS ks.d (id int PRIMARY KEY);
-- cqltrack:ignore no-such-rule typo
DROP TABLE IF EXISTS ks.e; -- cqltrack:ignore-file truncate
-- cqltrack:ignore
-- cqltrack:ignored is not a suppression
`,
	})
	rep := run(t, options(cfg))
	// Suppressed: no-rollback (ignore-file), the TRUNCATEs of lines 2 and 4
	// (line comments) and 5 (ignore-file truncate, wherever it stands).
	wantRules(t, rep,
		"V001__ops.cql:3 unused-suppression",  // drop-table: the next statement is a TRUNCATE
		"V001__ops.cql:6 unused-suppression",  // drop-table on a CREATE
		"V001__ops.cql:8 unused-suppression",  // no such rule
		"V001__ops.cql:9 drop-table",          // not named by any suppression
		"V001__ops.cql:10 unused-suppression", // names no rule
	)
	msgs := lines(rep)
	for _, want := range []string{
		"3:1 warning [unused-suppression] cqltrack:ignore drop-table suppresses nothing",
		"6:1 warning [unused-suppression] cqltrack:ignore drop-table suppresses nothing",
		"8:1 warning [unused-suppression] cqltrack:ignore no-such-rule: no loaded rule has this id",
		"10:1 warning [unused-suppression] cqltrack:ignore names no rule",
	} {
		if !strings.Contains(msgs, want) {
			t.Errorf("missing %q in\n%s", want, msgs)
		}
	}
}

// TestSuppressUnusedSuppression: unused-suppression is a rule `cqltrack
// rules` lists, so it can be suppressed like the others: for the whole
// file, or for the suppressions on one line or statement (a comment kept on
// purpose for a rule that fires only in some environments). A suppression
// of it that silences nothing is itself stale.
func TestSuppressUnusedSuppression(t *testing.T) {
	cfg, _ := project(t, map[string]string{
		"V001__file.cql": `-- cqltrack:ignore-file unused-suppression kept for the staging rules
-- cqltrack:ignore-file no-rollback scratch
-- cqltrack:ignore drop-table nothing dropped
CREATE TABLE IF NOT EXISTS ks.a (id int PRIMARY KEY);
`,
		"V002__line.cql": `-- cqltrack:ignore-file no-rollback scratch
-- cqltrack:ignore drop-table,unused-suppression kept on purpose
CREATE TABLE IF NOT EXISTS ks.b (id int PRIMARY KEY);
-- cqltrack:ignore truncate stale
CREATE TABLE IF NOT EXISTS ks.c (id int PRIMARY KEY);
`,
		"V003__stale.cql": `-- cqltrack:ignore-file no-rollback,unused-suppression nothing is stale
CREATE TABLE IF NOT EXISTS ks.d (id int PRIMARY KEY);
`,
	})
	rep := run(t, options(cfg))
	wantRules(t, rep,
		"V002__line.cql:4 unused-suppression", // truncate: not covered by line 2
		"V003__stale.cql:1 unused-suppression",
	)
	msgs := lines(rep)
	for _, want := range []string{
		"V002__line.cql:4:1 warning [unused-suppression] cqltrack:ignore truncate suppresses nothing",
		"V003__stale.cql:1:1 warning [unused-suppression] cqltrack:ignore-file unused-suppression suppresses nothing",
	} {
		if !strings.Contains(msgs, want) {
			t.Errorf("missing %q in\n%s", want, msgs)
		}
	}
	if strings.Contains(msgs, "no loaded rule") {
		t.Errorf("unused-suppression taken for an unknown rule:\n%s", msgs)
	}
}

func TestSeverityAndOptions(t *testing.T) {
	cfg, _ := project(t, map[string]string{
		"V001__ks.cql": "CREATE KEYSPACE IF NOT EXISTS a WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2};\nTRUNCATE ks.t; -- cqltrack:ignore truncate off, so not stale\n",
	})
	cfg.Lint.Rules = map[string]config.Rule{
		"simple-strategy":        {Severity: SeverityError},
		"no-rollback":            {Severity: SeverityInfo},
		"truncate":               {Severity: SeverityOff},
		"low-replication-factor": {Options: map[string]any{"min": 2}},
	}
	rep := run(t, options(cfg))
	want := "V001__ks.cql:1:1 info [no-rollback] V001__ks.cql has no -- @down section: `cqltrack rollback` cannot undo it (add one, or an empty one to declare it irreversible)\n" +
		"V001__ks.cql:1:38 error [simple-strategy] keyspace a uses SimpleStrategy, which ignores datacenters and racks: use NetworkTopologyStrategy with a replication factor per datacenter\n"
	if got := lines(rep); got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
	if rep.Errors != 1 || rep.Infos != 1 || rep.Warnings != 0 {
		t.Errorf("counts %d/%d/%d", rep.Errors, rep.Warnings, rep.Infos)
	}

	cfg.Lint.Rules["low-replication-factor"] = config.Rule{Options: map[string]any{"min": 3}}
	rep = run(t, options(cfg))
	if !strings.Contains(lines(rep), "[low-replication-factor] keyspace a: replication_factor is 2, below 3") {
		t.Errorf("min 3 should report RF 2:\n%s", lines(rep))
	}

	cfg.Lint.Rules["unused-suppression"] = config.Rule{Severity: SeverityOff}
	cfg.Lint.Rules["truncate"] = config.Rule{}
	rep = run(t, options(cfg))
	if strings.Contains(lines(rep), "truncate") {
		t.Errorf("the suppression should hide truncate:\n%s", lines(rep))
	}
}

func TestBadInput(t *testing.T) {
	cfg, dir := project(t, map[string]string{
		"V001__ok.cql":     "CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY);\n",
		"V002__broken.cql": "CREATE TABLE IF NOT EXISTS u (id int PRIMARY KEY);\n-- @down\nDROP TABLE u u;\n",
	})
	_, err := Lint(context.Background(), options(cfg))
	if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), filepath.Join(dir, "V002__broken.cql")+":3:") {
		t.Errorf("syntax error: %v; want ErrInput naming V002__broken.cql:3:col", err)
	}

	cfg, _ = project(t, map[string]string{"V001__ok.cql": "CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY);\n-- @down\n"})
	cfg.Lint.Rules = map[string]config.Rule{"drop-if-exists": {Severity: SeverityOff}}
	_, err = Lint(context.Background(), options(cfg))
	if !errors.Is(err, ErrUnknownRule) || !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "drop-if-exists") {
		t.Errorf("unknown rule: %v", err)
	}

	_, err = Lint(context.Background(), options(cfg, filepath.Join(t.TempDir(), "missing.cql")))
	if !errors.Is(err, ErrInput) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestPluginFailures: plugins that cannot load are reported and the
// built-in rules still run.
func TestPluginFailures(t *testing.T) {
	cfg, dir := project(t, map[string]string{"V001__t.cql": "TRUNCATE ks.t; -- cqltrack:ignore acme-rule may be the missing plugin's\n-- @down\n"})
	copyPath := filepath.Join(dir, "copy.wasm")
	if err := os.WriteFile(copyPath, builtin.Wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Lint.Plugins = []config.Plugin{
		{Path: filepath.Join(dir, "missing.wasm")},
		{Path: copyPath, SHA256: strings.Repeat("0", 64)},
		{Path: copyPath}, // declares the built-in ids again
	}
	cfg.Lint.Rules = map[string]config.Rule{"acme-rule": {Severity: SeverityOff}} // unknown, but a plugin failed
	rep, err := Lint(context.Background(), options(cfg))
	if err != nil {
		t.Fatal(err)
	}
	wantRules(t, rep, "V001__t.cql:1 empty-rollback", "V001__t.cql:1 truncate")
	if len(rep.PluginErrors) != 3 || rep.Complete() {
		t.Fatalf("plugin errors %v, want 3", rep.PluginErrors)
	}
	if !errors.Is(rep.PluginErrors[0], os.ErrNotExist) {
		t.Errorf("missing plugin: %v", rep.PluginErrors[0])
	}
	if !errors.Is(rep.PluginErrors[1], plugins.ErrChecksum) {
		t.Errorf("sha mismatch: %v", rep.PluginErrors[1])
	}
	if !strings.Contains(rep.PluginErrors[2].Error(), `rule "allow-filtering" is already declared by plugin "builtin"`) {
		t.Errorf("duplicate rules: %v", rep.PluginErrors[2])
	}
}

// TestNativeMatchesWasm: the native twin and the embedded module give the
// same report for a project that fires every rule.
func TestNativeMatchesWasm(t *testing.T) {
	cfg, _ := project(t, corpusFiles(20))
	wasm := run(t, options(cfg))
	opts := options(cfg)
	opts.NativeBuiltins = true
	native := run(t, opts)
	if lines(wasm) != lines(native) {
		t.Errorf("wasm:\n%s\nnative:\n%s", lines(wasm), lines(native))
	}
	if len(wasm.Findings) < 100 {
		t.Errorf("only %d findings", len(wasm.Findings))
	}
}

func TestRules(t *testing.T) {
	cfg, _ := project(t, nil)
	cfg.Lint.Rules = map[string]config.Rule{"truncate": {Severity: SeverityOff}, "use-statement": {Severity: SeverityError}}
	infos, err := Rules(context.Background(), options(cfg))
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != len(builtin.All())+1 {
		t.Fatalf("%d rules, want the %d built-ins and unused-suppression", len(infos), len(builtin.All()))
	}
	byID := map[string]RuleInfo{}
	for _, r := range infos {
		byID[r.ID] = r
		if r.Summary == "" || r.DocsURL == "" || r.Plugin == "" {
			t.Errorf("rule %+v lacks summary, docs or plugin", r)
		}
	}
	for id, want := range map[string][2]string{
		"truncate":           {SeverityOff, SeverityError},
		"use-statement":      {SeverityError, SeverityWarning},
		"drop-table":         {SeverityWarning, SeverityWarning},
		"unused-suppression": {SeverityWarning, SeverityWarning},
	} {
		if r := byID[id]; r.Severity != want[0] || r.DefaultSeverity != want[1] {
			t.Errorf("%s: severity %s (default %s), want %s (%s)", id, r.Severity, r.DefaultSeverity, want[0], want[1])
		}
	}
}

func TestWarmCache(t *testing.T) {
	cfg, _ := project(t, nil)
	opts := options(cfg)
	opts.CacheDir = t.TempDir()
	names, err := WarmCache(context.Background(), opts)
	if err != nil || !slices.Equal(names, []string{builtin.Name}) {
		t.Fatalf("WarmCache: %v, %v", names, err)
	}
	entries, _ := os.ReadDir(opts.CacheDir)
	if len(entries) == 0 {
		t.Errorf("cache directory %s is empty after WarmCache", opts.CacheDir)
	}
}

// corpusFiles generates n migration files of 10 statements each that, all
// together, make every built-in rule fire.
func corpusFiles(n int) map[string]string {
	files := map[string]string{}
	for i := 1; i <= n; i++ {
		t := fmt.Sprintf("t%03d", i)
		var b strings.Builder
		fmt.Fprintf(&b, "CREATE TABLE %s (id uuid, day date, \"Name\" text, age int, tags list<text>, PRIMARY KEY (id, day));\n", t)
		fmt.Fprintf(&b, "ALTER TABLE %s ADD email text;\n", t)
		fmt.Fprintf(&b, "ALTER TABLE %s DROP age;\n", t)
		fmt.Fprintf(&b, "ALTER TABLE %s ADD age bigint;\n", t)
		fmt.Fprintf(&b, "ALTER TABLE %s WITH gc_grace_seconds = 3600 AND compaction = {'class': 'LeveledCompactionStrategy'};\n", t)
		fmt.Fprintf(&b, "CREATE INDEX IF NOT EXISTS %s_email ON %s (email);\n", t, t)
		fmt.Fprintf(&b, "UPDATE %s SET tags = tags + ['x'] WHERE id = 5b6962dd-3f90-4c93-8f61-eabfa4a803e2 AND day = '2024-01-01';\n", t)
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, "CREATE KEYSPACE IF NOT EXISTS k%d WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};\n", i)
		case 1:
			fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS c%d (k int PRIMARY KEY, n counter, v text) WITH read_repair_chance = 0.1;\n", i)
		case 2:
			fmt.Fprintf(&b, "CREATE MATERIALIZED VIEW IF NOT EXISTS %s_by_email AS SELECT * FROM %s WHERE email IS NOT NULL AND id IS NOT NULL AND day IS NOT NULL PRIMARY KEY (email, id, day);\n", t, t)
		case 3:
			fmt.Fprintf(&b, "ALTER KEYSPACE ks WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': %d};\n", 3+i%2)
		default:
			fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS legacy%d (k int PRIMARY KEY, v text) WITH COMPACT STORAGE;\n", i)
		}
		fmt.Fprintf(&b, "SELECT * FROM %s WHERE email = 'x' ALLOW FILTERING;\n", t)
		fmt.Fprintf(&b, "ALTER TABLE %s ALTER email TYPE varchar;\n", t)
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, "-- @down\nDROP TABLE %s;\n", t)
		case 1:
			b.WriteString("-- @down\n")
		}
		files[fmt.Sprintf("V%03d__gen_%d.cql", i, i)] = b.String()
	}
	return files
}

// TestSources lints files held in memory, with the configured directory
// as context, and reports no findings as an empty list.
func TestSources(t *testing.T) {
	cfg, _ := project(t, map[string]string{
		"V001__users.cql": "CREATE TABLE IF NOT EXISTS users (id uuid PRIMARY KEY, name text);\n-- @down\nDROP TABLE IF EXISTS users;\n",
	})
	opts := options(cfg)
	opts.Sources = []Source{{Path: "embedded/V002__key.cql", Data: []byte("ALTER TABLE users DROP id;\n-- @down\n")}}
	rep := run(t, opts)
	wantRules(t, rep, "V002__key.cql:1 empty-rollback", "V002__key.cql:1 pk-alter")
	if rep.Files != 1 || rep.Findings[0].File != "embedded/V002__key.cql" {
		t.Errorf("files %d, first finding %+v", rep.Files, rep.Findings[0])
	}

	opts.Sources = []Source{{Path: "V003__clean.cql", Data: []byte("ALTER TABLE users ADD email text;\n-- @down\nALTER TABLE users DROP email;\n")}}
	rep = run(t, opts)
	if rep.Findings == nil || len(rep.Findings) != 0 {
		t.Errorf("findings %#v, want an empty list", rep.Findings)
	}
}

// TestBadRuleOptions: a rule that cannot use its options fails alone; the
// failure names the plugin, the rule and the file, and the others run.
func TestBadRuleOptions(t *testing.T) {
	cfg, _ := project(t, map[string]string{
		"V001__ks.cql": "CREATE KEYSPACE IF NOT EXISTS a WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};\n-- @down\n",
	})
	cfg.Lint.Rules = map[string]config.Rule{"low-replication-factor": {Options: map[string]any{"min": "three"}}}
	rep, err := Lint(context.Background(), options(cfg))
	if err != nil {
		t.Fatal(err)
	}
	wantRules(t, rep, "V001__ks.cql:1 empty-rollback", "V001__ks.cql:1 simple-strategy")
	if len(rep.PluginErrors) != 1 || !strings.Contains(rep.PluginErrors[0].Error(), `plugin "builtin": rule low-replication-factor: lint `) ||
		!strings.Contains(rep.PluginErrors[0].Error(), "option min must be an integer") {
		t.Errorf("plugin errors %v", rep.PluginErrors)
	}
}

// TestLargeFile: a data migration of 20000 INSERTs (about 2 MB, a 20 MB
// request) is linted in one call, which needs more guest memory than a
// user plugin gets by default.
func TestLargeFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("CREATE TABLE IF NOT EXISTS ks.big (id int PRIMARY KEY, v text, l list<text>);\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "INSERT INTO ks.big (id, v, l) VALUES (%d, 'value number %d with some text', ['a', 'b']);\n", i, i)
	}
	b.WriteString("UPDATE ks.big SET l = l + ['c'] WHERE id = 1;\n-- @down\n")
	cfg, _ := project(t, map[string]string{"V001__big.cql": b.String()})
	rep := run(t, options(cfg))
	wantRules(t, rep, "V001__big.cql:1 empty-rollback", "V001__big.cql:20002 non-idempotent-dml")
}

// TestGCPercentRestored: Options.GCPercent changes the process's collector
// target only while Lint runs; the caller's setting is back afterwards.
func TestGCPercentRestored(t *testing.T) {
	cfg, _ := project(t, map[string]string{"V001__t.cql": "CREATE TABLE IF NOT EXISTS t (k int PRIMARY KEY);\n-- @down\n"})
	before := debug.SetGCPercent(123)
	defer debug.SetGCPercent(before)
	opts := options(cfg)
	opts.GCPercent = 37
	run(t, opts)
	if got := debug.SetGCPercent(123); got != 123 {
		t.Errorf("after Lint the GC percent is %d, want the caller's 123", got)
	}
}
