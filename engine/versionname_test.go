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
}
