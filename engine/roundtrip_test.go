package engine_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/cluster/clustertest"
	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/cqltest"
)

// TestSnapshotRoundTrip creates a schema with every kind of object and
// option on one cluster, snapshots it, replays the snapshot on an empty
// cluster, and expects the second snapshot to be byte-identical to the
// first: a snapshot loses nothing.
func TestSnapshotRoundTrip(t *testing.T) {
	src, err := os.ReadFile("testdata/rich.cql")
	if err != nil {
		t.Fatal(err)
	}
	// materialized_views_enabled, as a real test cluster needs in
	// cassandra.yaml, and the trigger's class, as a jar in its triggers
	// directory would be.
	placement := []cqltest.Option{cqltest.WithNodes(2), cqltest.WithMaterializedViews(true),
		cqltest.WithTriggerClasses("org.example.AuditTrigger"),
		cqltest.WithPlacement(1, "dc1", "rack1"), cqltest.WithPlacement(2, "dc2", "rack1")}
	script := string(src)
	if clustertest.Real() {
		// A real cluster has its own data centres: keep the rest of the
		// schema, replicate simply.
		script = strings.Replace(script, "{'class': 'NetworkTopologyStrategy', 'dc1': '3', 'dc2': '2'}", "{'class': 'SimpleStrategy', 'replication_factor': 1}", 1)
		// Nor does it have the example trigger class installed.
		script = strings.Replace(script, "CREATE TRIGGER audit ON orders USING 'org.example.AuditTrigger';", "", 1)
	}

	first := clustertest.New(t, placement...)
	runScript(t, first, script)
	snap1 := snapshot(t, first, "shop")

	second := first
	if !clustertest.Real() {
		second = clustertest.New(t, placement...)
	} else {
		dropKeyspaces(t, first, "shop", `"Analytics"`)
	}
	runScript(t, second, snap1)
	snap2 := snapshot(t, second, "shop")
	if snap1 != snap2 {
		t.Errorf("the snapshot of the replayed snapshot differs:\n--- first\n%s\n--- second\n%s", snap1, snap2)
	}
	for _, want := range []string{"CREATE TYPE shop.contact", "CLUSTERING ORDER BY (placed DESC, item ASC)",
		"MASKED WITH", "vector<float, 3>", "CREATE MATERIALIZED VIEW", "CREATE FUNCTION", "CREATE AGGREGATE", "static"} {
		if !strings.Contains(snap1, want) {
			t.Errorf("snapshot lacks %q:\n%s", want, snap1)
		}
	}
}

// runScript executes every statement of script, switching keyspace on USE
// as cqlsh would (the driver refuses USE on a pooled session).
func runScript(t *testing.T, tg *clustertest.Target, script string) {
	t.Helper()
	stmts, err := cql.Split([]byte(script))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var s *cluster.Session = tg.Connect(t, nil)
	for _, st := range stmts {
		parsed, err := cql.ParseStatement(st)
		if err != nil {
			t.Fatalf("line %d: %v", st.Pos.Line, err)
		}
		if use, ok := parsed.(*cql.Use); ok {
			s = tg.Connect(t, tg.Config(use.Keyspace.Name), cluster.WithKeyspace(use.Keyspace.Name))
			continue
		}
		if err := s.ExecDDL(ctx, st.Text); err != nil {
			t.Fatalf("line %d: %s: %v", st.Pos.Line, st.Text, err)
		}
	}
}

func snapshot(t *testing.T, tg *clustertest.Target, keyspace string) string {
	t.Helper()
	e, err := engine.New(tg.Config(keyspace))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	r, err := e.Snapshot(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	return r.CQL
}

func dropKeyspaces(t *testing.T, tg *clustertest.Target, names ...string) {
	t.Helper()
	s := tg.Connect(t, nil)
	for _, n := range names {
		if err := s.ExecDDL(context.Background(), "DROP KEYSPACE IF EXISTS "+n); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDiffAcrossReleases reads the same schema from clusters that present
// themselves as Cassandra 3.11, 4.0, 4.1 and 5.0 (each with its own
// system_schema layout and option names) and expects no differences: a
// snapshot of one release compares with another. Compression is set
// explicitly because its default really differs (64 KiB chunks before 4.0,
// 16 KiB since), which diff rightly reports.
func TestDiffAcrossReleases(t *testing.T) {
	const script = `CREATE KEYSPACE app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
USE app;
CREATE TYPE address (street text, city text);
CREATE TABLE users (id uuid PRIMARY KEY, name text, home frozen<address>, tags set<text>) WITH comment = 'people' AND gc_grace_seconds = 3600 AND compression = {'class': 'LZ4Compressor', 'chunk_length_in_kb': 16};
CREATE TABLE events (user uuid, at timeuuid, what text, PRIMARY KEY (user, at)) WITH CLUSTERING ORDER BY (at DESC) AND compression = {'class': 'LZ4Compressor', 'chunk_length_in_kb': 16};
CREATE INDEX users_name ON users (name);`
	schemas := map[string]*engine.Schema{}
	for _, release := range []string{"3.11.17", "4.0.13", "4.1.5", "5.0.2"} {
		tg := clustertest.NewStandIn(t, "presents several Cassandra releases", cqltest.WithReleaseVersion(release))
		runScript(t, tg, script)
		e, err := engine.New(tg.Config("app"))
		if err != nil {
			t.Fatal(err)
		}
		s, err := e.LiveSchema(context.Background(), "", false)
		e.Close()
		if err != nil {
			t.Fatalf("%s: %v", release, err)
		}
		schemas[release] = s
	}
	for _, release := range []string{"3.11.17", "4.0.13", "4.1.5"} {
		d := engine.Diff(schemas[release], schemas["5.0.2"])
		if !d.Equal {
			t.Errorf("Cassandra %s and 5.0 differ:\n%s", release, d.Script)
		}
	}
	if v := schemas["3.11.17"].Version.String(); v != "3.11" {
		t.Errorf("3.11 cluster read as %s", v)
	}
}
