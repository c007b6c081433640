package engine_test

import (
	"testing"
	"testing/fstest"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/config"
)

// TestVersionName: versions are named as their files write them, a version
// no file has as V<n>, and 0 as none; no cluster is needed.
func TestVersionName(t *testing.T) {
	fsys := fstest.MapFS{
		"m/V003__users.cql": {Data: []byte("CREATE TABLE users (id int PRIMARY KEY);\n")},
		"m/V12__orders.cql": {Data: []byte("CREATE TABLE orders (id int PRIMARY KEY);\n")},
	}
	cfg := config.Default()
	cfg.Keyspace.Name = "app"
	e, err := engine.New(cfg, engine.WithMigrations(fsys, "m"))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for v, want := range map[int64]string{3: "V003", 12: "V12", 7: "V7", 0: "none"} {
		if got := e.VersionName(v); got != want {
			t.Errorf("VersionName(%d) = %q, want %q", v, got, want)
		}
	}

	// VersionNames gives the same names, in a map the caller may change.
	names := e.VersionNames()
	if len(names) != 2 || names[3] != "V003" || names[12] != "V12" {
		t.Errorf("VersionNames() = %v, want 3: V003 and 12: V12", names)
	}
	names[3] = "changed"
	if got := e.VersionName(3); got != "V003" {
		t.Errorf("after the caller changed its map, VersionName(3) = %q, want V003", got)
	}

	// One file that does not load does not cost the others their names.
	fsys["m/V004__bad.cql"] = &fstest.MapFile{Data: []byte("CREATE TABLE t (k int PRIMARY KEY); /* never closed\n")}
	broken, err := engine.New(cfg, engine.WithMigrations(fsys, "m"))
	if err != nil {
		t.Fatal(err)
	}
	defer broken.Close()
	if got := broken.VersionName(3); got != "V003" {
		t.Errorf("with a broken V004, VersionName(3) = %q, want V003", got)
	}
}
