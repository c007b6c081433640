package lint

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// genStmt returns a random statement over a few tables and keyspaces.
func genStmt(r *rand.Rand) string {
	tb := []string{"a", "b", "c", "ks.a", "k2.b", "d"}[r.Intn(6)]
	col := []string{"x", "y", "id", "z"}[r.Intn(4)]
	switch r.Intn(16) {
	case 0:
		return fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (id uuid, x int, y text, PRIMARY KEY (id, x)) WITH gc_grace_seconds = %d;", tb, 3600*r.Intn(300))
	case 1:
		return fmt.Sprintf("ALTER TABLE %s DROP %s;", tb, col)
	case 2:
		return fmt.Sprintf("ALTER TABLE %s ADD %s bigint;", tb, col)
	case 3:
		return fmt.Sprintf("ALTER TABLE %s WITH gc_grace_seconds = %d;", tb, 3600*r.Intn(300))
	case 4:
		return fmt.Sprintf("DROP TABLE IF EXISTS %s;", tb)
	case 5:
		return []string{"USE ks;", "USE k2;"}[r.Intn(2)]
	case 6:
		return "CREATE KEYSPACE IF NOT EXISTS k2 WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3};"
	case 7:
		return fmt.Sprintf("ALTER TABLE %s WITH compaction = {'class': '%s'};", tb, []string{"LeveledCompactionStrategy", "SizeTieredCompactionStrategy"}[r.Intn(2)])
	case 8:
		return fmt.Sprintf("ALTER TABLE %s ALTER %s TYPE varchar;", tb, col)
	case 9:
		return fmt.Sprintf("TRUNCATE %s; -- cqltrack:ignore truncate", tb)
	case 10:
		return fmt.Sprintf("-- cqltrack:ignore column-drop\nALTER TABLE %s DROP %s;", tb, col)
	case 11:
		return fmt.Sprintf("CREATE INDEX IF NOT EXISTS ON %s (%s);", tb, col)
	case 12:
		return "ALTER KEYSPACE ks WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 2};"
	case 13:
		return fmt.Sprintf("ALTER TABLE %s ADD %s int;", tb, col)
	case 14:
		return fmt.Sprintf("UPDATE %s SET x = x + 1 WHERE id = 5b6962dd-3f90-4c93-8f61-eabfa4a803e2;", tb)
	default:
		return fmt.Sprintf("SELECT * FROM %s WHERE y = 'q' ALLOW FILTERING;", tb)
	}
}

// genFile returns a random migration of one to five statements.
func genFile(r *rand.Rand) string {
	var b strings.Builder
	for range 1 + r.Intn(5) {
		b.WriteString(genStmt(r) + "\n")
	}
	if r.Intn(3) > 0 {
		b.WriteString("-- @down\n")
		for range r.Intn(3) {
			b.WriteString(genStmt(r) + "\n")
		}
	}
	return b.String()
}

// TestResultCacheMatchesFullRun: over random projects (keyspaces, USE,
// drops, type changes, suppressions, down sections, some runs linting only
// some files), a run with the result cache gives what a run without it
// gives, round after round of changing one file: cached files replayed
// for the schema only must leave later files the same schema to see.
func TestResultCacheMatchesFullRun(t *testing.T) {
	for seed := range 12 {
		r := rand.New(rand.NewSource(int64(seed)))
		files := map[string]string{}
		n := 3 + r.Intn(8)
		for i := 1; i <= n; i++ {
			files[fmt.Sprintf("V%03d__f.cql", i)] = genFile(r)
		}
		cfg, dir := project(t, files)
		var paths []string
		if r.Intn(2) == 0 {
			for i := 1; i <= n; i++ {
				if r.Intn(2) == 0 {
					paths = append(paths, filepath.Join(dir, fmt.Sprintf("V%03d__f.cql", i)))
				}
			}
		}
		cached := cachedOptions(t, cfg, paths...)
		// The reference runs the native rules, which give the module's
		// findings (builtin's TestWasmMatchesNative), in half the time.
		full := options(cfg, paths...)
		full.NativeBuiltins = true
		for round := range 4 {
			got := run(t, cached)
			want := run(t, full)
			if lines(got) != lines(want) || got.Files != want.Files {
				t.Fatalf("seed %d round %d: cached\n%s\nfull\n%s", seed, round, lines(got), lines(want))
			}
			k := 1 + r.Intn(n)
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("V%03d__f.cql", k)), []byte(genFile(r)), 0o644)
		}
	}
}
