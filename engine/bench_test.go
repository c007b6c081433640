package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/cqltest"
)

// requests is the number of requests the stand-in answered since its
// counters were last reset, all opcodes together: each is a round trip.
func requests(c *cqltest.Cluster) int {
	n := 0
	for _, v := range c.Stats().Requests {
		n += v
	}
	return n
}

// BenchmarkRoundTripsPerStatement counts the round trips Migrate makes, from
// the server's counters. Each iteration applies a one-statement migration
// and then an eleven-statement one, each in its own run, so the difference
// is the cost of ten statements (requests/stmt) and the rest is the fixed
// cost of a run (requests/run: history reads, lock, live schema check,
// release). A statement costs its own request and the progress write; a
// schema change adds the agreement check (system.local and system.peers);
// gocql prepares DML, so a DML text it has not seen adds a PREPARE.
func BenchmarkRoundTripsPerStatement(b *testing.B) {
	kinds := []struct {
		name string
		stmt func(v, i int) string
		// setup is a migration run before the timer: it also opens the
		// session migration statements run on, which the engine opens on
		// first use.
		setup string
	}{
		{"DDL", func(v, i int) string { return fmt.Sprintf("CREATE TABLE t%d_%d (id int PRIMARY KEY, v text);", v, i) },
			"CREATE TABLE warm (id int PRIMARY KEY);"},
		{"DML", func(v, i int) string { return fmt.Sprintf("INSERT INTO kv (k, v) VALUES ('%d_%d', 'x');", v, i) },
			"CREATE TABLE kv (k text PRIMARY KEY, v text);"},
	}
	for _, kind := range kinds {
		b.Run(kind.name, func(b *testing.B) {
			tg := newStandIn(b, "request counters")
			fsys := fstest.MapFS{}
			version := 0
			add := func(stmts ...string) {
				version++
				fsys[fmt.Sprintf("migrations/V%05d__bench.cql", version)] = &fstest.MapFile{Data: []byte(strings.Join(stmts, "\n") + "\n")}
			}
			e := tg.initialized(b, fsys)
			ctx := context.Background()
			run := func() int {
				tg.Cluster.ResetStats()
				r, err := e.Migrate(ctx, engine.MigrateOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if len(r.Migrations) != 1 {
					b.Fatalf("ran %d migrations, want 1", len(r.Migrations))
				}
				return requests(tg.Cluster)
			}
			add(kind.setup)
			run()
			var one, eleven int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				add(kind.stmt(version+1, 0))
				one += run()
				var stmts []string
				for j := 0; j < 11; j++ {
					stmts = append(stmts, kind.stmt(version+1, j))
				}
				add(stmts...)
				eleven += run()
			}
			perStmt := float64(eleven-one) / float64(10*b.N)
			b.ReportMetric(perStmt, "requests/stmt")
			b.ReportMetric(float64(one)/float64(b.N)-perStmt, "requests/run")
		})
	}
}
