package engine_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/schema"
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

// TestOfflineReleaseFromConfig: with no cluster, schema.release decides
// the release offline schemas are built as. A 3.11 project's
// read_repair_chance is refused as 5.0 (the default) and accepted as 3.11,
// whose defaults the plan, the migrations' schema and a file then carry.
func TestOfflineReleaseFromConfig(t *testing.T) {
	fsys := files(map[string]string{
		"V1__users.cql": "CREATE TABLE users (id uuid PRIMARY KEY, name text) WITH read_repair_chance = 0.2;",
	})
	path := filepath.Join(t.TempDir(), "users.cql")
	if err := os.WriteFile(path, []byte("CREATE TABLE users (id uuid PRIMARY KEY, name text) WITH dclocal_read_repair_chance = 0.05;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	newEngine := func(release string) *engine.Engine {
		cfg := config.Default()
		cfg.Keyspace.Name = "app"
		cfg.Schema.Release = release
		e, err := engine.New(cfg, engine.WithMigrations(fsys, "migrations"))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}

	e := newEngine("")
	if got := e.OfflineRelease(); got != engine.OfflineRelease {
		t.Errorf("offline release without schema.release = %s, want %s", got, engine.OfflineRelease)
	}
	if _, err := e.PlanOffline(ctx); err == nil || !strings.Contains(err.Error(), "Unknown property 'read_repair_chance'") || !errors.Is(err, engine.ErrInvalidInput) {
		t.Errorf("plan as 5.0: err = %v, want Unknown property (an input error)", err)
	}
	if _, err := e.FileSchema(path, 0); err == nil || !strings.Contains(err.Error(), "Unknown property 'dclocal_read_repair_chance'") {
		t.Errorf("file as 5.0: err = %v, want Unknown property", err)
	}

	e = newEngine("3.11.17")
	if got := e.OfflineRelease(); got != schema.V3_11 {
		t.Errorf("offline release = %s, want 3.11", got)
	}
	plan, err := e.PlanOffline(ctx)
	if err != nil {
		t.Fatalf("plan as 3.11: %v", err)
	}
	// 3.11 compresses in 64 KiB chunks, 5.0 in 16.
	if !strings.Contains(plan.Schema, "read_repair_chance = 0.2") || !strings.Contains(plan.Schema, "'chunk_length_in_kb': '64'") {
		t.Errorf("plan schema is not 3.11's:\n%s", plan.Schema)
	}
	m, err := e.MigrationsSchema(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.FileSchema(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != schema.V3_11 || f.Version != schema.V3_11 {
		t.Errorf("migrations read as %s, file as %s, want 3.11", m.Version, f.Version)
	}
	d := engine.Diff(f, m)
	if got := strings.TrimSpace(d.Script); got != "ALTER TABLE app.users WITH dclocal_read_repair_chance = 0.1;\nALTER TABLE app.users WITH read_repair_chance = 0.2;" {
		t.Errorf("file -> migrations script:\n%s", got)
	}
	// A release given by the caller (a live cluster's) wins.
	if f, err := e.FileSchema(path, schema.V4_0); err == nil {
		t.Errorf("file read as %s accepted a 3.11 option", f.Version)
	}
}

// TestReleaseMismatchWarns: a cluster whose release is not schema.release
// is worked on as its own, with a warning that the offline work no longer
// matches it; a matching one, or no schema.release, warns nothing.
func TestReleaseMismatchWarns(t *testing.T) {
	tg := newStandIn(t, "presents Cassandra 4.0", cqltest.WithReleaseVersion("4.0.13"))
	for _, tt := range []struct{ release, want string }{
		{"3.11", "the cluster runs Cassandra 4.0.13 but schema.release is 3.11"},
		{"4.0", ""},
		{"", ""},
	} {
		var logs bytes.Buffer
		cfg := tg.Config(tg.ks)
		cfg.Schema.Release = tt.release
		e, err := engine.New(cfg, engine.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Init(context.Background()); err != nil {
			t.Fatalf("init: %v", err)
		}
		e.Close()
		got := logs.String()
		switch {
		case tt.want == "" && strings.Contains(got, "schema.release"):
			t.Errorf("schema.release %q: unexpected warning: %s", tt.release, got)
		case tt.want != "" && !strings.Contains(got, tt.want):
			t.Errorf("schema.release %q: logs %q, want %q", tt.release, got, tt.want)
		}
	}
}
