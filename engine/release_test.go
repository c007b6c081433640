package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/cqltest"
)

// TestDriftOnOlderReleases migrates a cluster of an older release and
// expects no drift right after: the migrations are replayed as that
// release, with its defaults (3.11 compresses in 64 KiB chunks, 5.0 in 16)
// and the options it accepts (read_repair_chance exists only before 4.0).
func TestDriftOnOlderReleases(t *testing.T) {
	for _, tt := range []struct {
		release string
		extra   string
	}{
		{"3.11.17", "ALTER TABLE users WITH read_repair_chance = 0.2 AND dclocal_read_repair_chance = 0.05;"},
		{"4.0.13", "ALTER TABLE users WITH comment = 'people';"},
		{"4.1.5", "ALTER TABLE users WITH memtable = 'default';"},
	} {
		t.Run(tt.release, func(t *testing.T) {
			tg := newStandIn(t, "presents an older Cassandra release", cqltest.WithReleaseVersion(tt.release))
			fsys := files(map[string]string{
				"V1__users.cql":  "CREATE TABLE users (id uuid PRIMARY KEY, name text);",
				"V2__events.cql": "CREATE TABLE events (user uuid, at timeuuid, PRIMARY KEY (user, at)) WITH CLUSTERING ORDER BY (at DESC);",
				"V3__extra.cql":  tt.extra,
			})
			e := tg.initialized(t, fsys)
			ctx := context.Background()
			if _, err := e.Migrate(ctx, engine.MigrateOptions{}); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			d, err := e.Drift(ctx)
			if err != nil {
				t.Fatalf("drift: %v", err)
			}
			if d.Drift {
				t.Errorf("drift right after migrate on %s: %+v", tt.release, d.Changes)
			}
		})
	}
}

// TestDiffScriptRunsOnSource compares live keyspaces of clusters of
// different releases: the script and its reverse are meant for the source
// cluster, so they must apply there cleanly, and afterwards the source
// matches the target.
func TestDiffScriptRunsOnSource(t *testing.T) {
	const base = `CREATE KEYSPACE app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
USE app;
CREATE TABLE users (id uuid PRIMARY KEY, name text) WITH compression = {'class': 'LZ4Compressor', 'chunk_length_in_kb': 16};`
	const more = `
ALTER TABLE users ADD email text;
ALTER TABLE users WITH gc_grace_seconds = 3600;
CREATE TABLE events (user uuid, at timeuuid, what text, PRIMARY KEY (user, at)) WITH CLUSTERING ORDER BY (at DESC) AND comment = 'audit';`
	for _, tt := range []struct{ source, target string }{
		{"3.11.17", "5.0.2"},
		{"4.0.13", "5.0.2"},
		{"4.1.5", "5.0.2"},
		{"5.0.2", "3.11.17"},
	} {
		t.Run(tt.source+"<-"+tt.target, func(t *testing.T) {
			src := newStandIn(t, "presents two Cassandra releases", cqltest.WithReleaseVersion(tt.source))
			dst := newStandIn(t, "presents two Cassandra releases", cqltest.WithReleaseVersion(tt.target))
			runScript(t, src.Target, base)
			runScript(t, dst.Target, base+more)
			ctx := context.Background()
			live := func(tg *target) *engine.Schema {
				t.Helper()
				e, err := engine.New(tg.Config("app"))
				if err != nil {
					t.Fatal(err)
				}
				defer e.Close()
				s, err := e.LiveSchema(ctx, "", false)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			before := live(src)
			d := engine.Diff(before, live(dst))
			if d.Equal {
				t.Fatal("no differences")
			}
			runScript(t, src.Target, "USE app;\n"+d.Script)
			if after := engine.Diff(live(src), live(dst)); !after.Equal {
				t.Errorf("after the script the source still differs:\n%s", after.Script)
			}
			runScript(t, src.Target, "USE app;\n"+d.Reverse)
			if back := engine.Diff(live(src), before); !back.Equal {
				t.Errorf("after the reverse script the source differs from before:\n%s", back.Script)
			}
		})
	}
}

// TestFileSchemaAtRelease reads a CQL file as the release of the cluster it
// is compared with: an option only that release has is accepted, and the
// release's defaults fill in what the file leaves out.
func TestFileSchemaAtRelease(t *testing.T) {
	tg := newStandIn(t, "presents Cassandra 3.11", cqltest.WithReleaseVersion("3.11.17"))
	runScript(t, tg.Target, `CREATE KEYSPACE app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
USE app;
CREATE TABLE users (id uuid PRIMARY KEY, name text) WITH read_repair_chance = 0.2;`)
	path := filepath.Join(t.TempDir(), "wanted.cql")
	wanted := "CREATE TABLE users (id uuid PRIMARY KEY, name text, email text) WITH read_repair_chance = 0.2;\n"
	if err := os.WriteFile(path, []byte(wanted), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(tg.Config("app"))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	live, err := e.LiveSchema(ctx, "", false)
	if err != nil {
		t.Fatal(err)
	}
	file, err := e.FileSchema(path, live.Version)
	if err != nil {
		t.Fatalf("file schema as %s: %v", live.Version, err)
	}
	if file.Version != live.Version {
		t.Errorf("file read as %s, cluster runs %s", file.Version, live.Version)
	}
	d := engine.Diff(live, file)
	if got := strings.TrimSpace(d.Script); got != "ALTER TABLE app.users ADD email text;" {
		t.Errorf("script:\n%s\nwant only the new column", got)
	}
	if _, err := cql.ParseScript([]byte(d.Reverse)); err != nil {
		t.Errorf("reverse: %v", err)
	}
}
