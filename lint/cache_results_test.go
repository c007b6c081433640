package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine/config"
)

// cachedOptions is options with the result cache on, in a directory of
// the test's own.
func cachedOptions(t testing.TB, cfg *config.Config, paths ...string) Options {
	opts := options(cfg, paths...)
	opts.NoResultCache = false
	opts.CacheDir = t.TempDir()
	return opts
}

// plant stores a finding as the cached result of the file of opts named
// name (a base name), as a run that linted it would, and writes the pack.
func plant(t *testing.T, opts Options, name string, line int) {
	t.Helper()
	cfg := opts.config()
	files, err := collect(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	cache := openCache(cfg, opts, files)
	for _, f := range files {
		if filepath.Base(f.shown) == name {
			cache.put(f, []Finding{{File: f.shown, Version: name[1:4], Line: line, Column: 1,
				Rule: "truncate", Severity: SeverityError, Message: "planted", Plugin: "builtin"}})
			cache.close(time.Now())
			return
		}
	}
	t.Fatalf("no file %s", name)
}

// TestResultCache: a second run over unchanged files answers from the
// cache (planted entries show through); changing a file makes it and every
// later file be linted again while earlier files still hit; changing the
// configuration makes every file be linted again.
func TestResultCache(t *testing.T) {
	cfg, dir := project(t, map[string]string{
		"V001__users.cql": "CREATE TABLE IF NOT EXISTS users (id uuid PRIMARY KEY, name text);\n-- @down\n",
		"V002__drop.cql":  "ALTER TABLE users DROP id;\n-- @down\n",
		"V003__age.cql":   "ALTER TABLE users ADD age int;\n-- @down\n",
	})
	opts := cachedOptions(t, cfg)
	first := run(t, opts)
	if again := run(t, opts); lines(again) != lines(first) || again.Files != 3 {
		t.Fatalf("second run (%d files):\n%s\nfirst:\n%s", again.Files, lines(again), lines(first))
	}

	// Planted entries show: the files are not linted again.
	plant(t, opts, "V001__users.cql", 101)
	plant(t, opts, "V002__drop.cql", 102)
	plant(t, opts, "V003__age.cql", 103)
	rep := run(t, opts)
	wantRules(t, rep, "V001__users.cql:101 truncate", "V002__drop.cql:102 truncate", "V003__age.cql:103 truncate")
	if rep.Files != 3 || rep.Errors != 3 {
		t.Errorf("files %d, errors %d; want 3, 3", rep.Files, rep.Errors)
	}

	// Changing V002 relints V002 and V003 (V003 sees the schema V002
	// leaves); V001's entry still counts.
	os.WriteFile(filepath.Join(dir, "V002__drop.cql"), []byte("ALTER TABLE users DROP name;\n-- @down\n"), 0o644)
	rep = run(t, opts)
	wantRules(t, rep, "V001__users.cql:101 truncate",
		"V002__drop.cql:1 column-drop", "V002__drop.cql:1 empty-rollback", "V003__age.cql:1 empty-rollback")

	// Changing V001 changes the schema V002 sees: it is linted again.
	os.WriteFile(filepath.Join(dir, "V002__drop.cql"), []byte("ALTER TABLE users DROP id;\n-- @down\n"), 0o644)
	plant(t, opts, "V002__drop.cql", 102)
	os.WriteFile(filepath.Join(dir, "V001__users.cql"), []byte("CREATE TABLE IF NOT EXISTS users (id uuid, name text, PRIMARY KEY (name, id));\n-- @down\n"), 0o644)
	rep = run(t, opts)
	if strings.Contains(lines(rep), "planted") {
		t.Fatalf("a stale entry survived a change of an earlier file:\n%s", lines(rep))
	}
	wantRules(t, rep, "V001__users.cql:1 empty-rollback",
		"V002__drop.cql:1 empty-rollback", "V002__drop.cql:1 pk-alter", "V003__age.cql:1 empty-rollback")
	if !strings.Contains(lines(rep), "a clustering column") {
		t.Errorf("V002 should see id as a clustering column now:\n%s", lines(rep))
	}

	// So does changing the configuration.
	plant(t, opts, "V002__drop.cql", 102)
	cfg.Lint.Rules = map[string]config.Rule{"pk-alter": {Severity: SeverityInfo}}
	rep = run(t, opts)
	if strings.Contains(lines(rep), "planted") || !strings.Contains(lines(rep), "info [pk-alter]") {
		t.Fatalf("configuration change ignored:\n%s", lines(rep))
	}
}

// TestResultCacheWrites: a run that only hits leaves the pack alone, unless
// its entries were last used more than touchEvery ago: then it stamps them
// again, so that entries in daily use are never pruned. A damaged pack
// makes every file a miss, not an error, and the run replaces it.
func TestResultCacheWrites(t *testing.T) {
	cfg, _ := project(t, map[string]string{
		"V001__users.cql": "CREATE TABLE IF NOT EXISTS users (id uuid PRIMARY KEY, name text);\n-- @down\n",
		"V002__drop.cql":  "ALTER TABLE users DROP id;\n-- @down\n",
	})
	opts := cachedOptions(t, cfg)
	packPath := filepath.Join(opts.CacheDir, "lint", packName)
	first := run(t, opts)
	before, err := os.Stat(packPath)
	if err != nil {
		t.Fatalf("no pack after a run that linted: %v", err)
	}
	if p := readPackFile(t, packPath); len(p.index) != 2 {
		t.Fatalf("pack holds %d entries, want 2", len(p.index))
	}

	run(t, opts)
	if after, err := os.Stat(packPath); err != nil || !os.SameFile(before, after) {
		t.Errorf("a run that only hit rewrote the pack (%v)", err)
	}

	// Entries last used two days ago are stamped again by a run that hits.
	old := time.Now().Add(-2 * touchEvery).Unix()
	p := readPackFile(t, packPath)
	var items []packItem
	for key := range p.index {
		data, _ := p.get(key)
		items = append(items, packItem{key: key, lastUsed: old, data: data})
	}
	writeFile(t, packPath, encodePack(items))
	if rep := run(t, opts); lines(rep) != lines(first) {
		t.Fatalf("run over a restamped pack:\n%s\nwant:\n%s", lines(rep), lines(first))
	}
	for _, e := range readPackFile(t, packPath).index {
		if e.lastUsed == old {
			t.Errorf("an entry used again after %s keeps its old stamp", 2*touchEvery)
		}
	}

	// A damaged pack: the run lints every file and writes a sound pack.
	data, _ := os.ReadFile(packPath)
	writeFile(t, packPath, data[:len(data)-3])
	if rep := run(t, opts); lines(rep) != lines(first) || rep.Files != 2 {
		t.Fatalf("run over a truncated pack:\n%s\nwant:\n%s", lines(rep), lines(first))
	}
	if p := readPackFile(t, packPath); len(p.index) != 2 {
		t.Errorf("after a run over a truncated pack it holds %d entries, want 2", len(p.index))
	}
}

// TestOldLayoutRemoved: the first pack written removes the entries of the
// one-file-per-entry layout, and nothing else.
func TestOldLayoutRemoved(t *testing.T) {
	cfg, _ := project(t, map[string]string{
		"V001__users.cql": "CREATE TABLE IF NOT EXISTS users (id uuid PRIMARY KEY, name text);\n-- @down\n",
	})
	opts := cachedOptions(t, cfg)
	dir := filepath.Join(opts.CacheDir, "lint")
	key := strings.Repeat("0123456789abcdef", 4)
	oldEntries := []string{
		filepath.Join(dir, "ef", key+".json"),
		filepath.Join(dir, "ef", "run-"+key+".json"),
		filepath.Join(dir, ".pruned"),
	}
	kept := []string{
		filepath.Join(dir, "ab", "notes.txt"),
		filepath.Join(dir, "mine", key+".json"),
	}
	for _, p := range append(oldEntries, kept...) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, p, []byte("[]"))
	}
	run(t, opts)
	for _, p := range oldEntries {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s of the old layout is still there", p)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "ef")); !os.IsNotExist(err) {
		t.Errorf("the emptied shard directory is still there")
	}
	for _, p := range kept {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s is not the cache's, but was removed: %v", p, err)
		}
	}
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestResultCacheKeyedByBuild: findings cached by one cqltrack build are
// not used by another, whose replay or rules may differ.
func TestResultCacheKeyedByBuild(t *testing.T) {
	cfg, _ := project(t, map[string]string{
		"V001__users.cql": "CREATE TABLE IF NOT EXISTS users (id uuid PRIMARY KEY, name text);\n-- @down\n",
	})
	opts := cachedOptions(t, cfg)
	run(t, opts)
	plant(t, opts, "V001__users.cql", 101)
	if !strings.Contains(lines(run(t, opts)), "planted") {
		t.Fatal("the planted entry was not used by the same build")
	}
	saved := buildIdentity()
	build = "github.com/cqltrack/cqltrack@v9.9.9"
	defer func() { build = saved }()
	if rep := run(t, opts); strings.Contains(lines(rep), "planted") {
		t.Errorf("another build used this build's entry:\n%s", lines(rep))
	}
}
