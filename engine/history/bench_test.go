package history_test

import (
	"context"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine/cluster/clustertest"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/history"
)

// BenchmarkStatementBookkeeping is what the tracking tables add to each
// applied statement (one Progress write), and to each migration (Start,
// Finish and an event), in round trips.
func BenchmarkStatementBookkeeping(b *testing.B) {
	tg := clustertest.NewStandIn(b, "request counters", cqltest.WithNodes(3))
	s := tg.Connect(b, nil)
	ks := clustertest.Keyspace(b, s)
	ctx := context.Background()
	if err := history.EnsureSchema(ctx, s, ks); err != nil {
		b.Fatal(err)
	}
	st := history.New(s, ks)
	tg.Cluster.ResetStats()
	b.ResetTimer()
	for i := range b.N {
		if err := st.Start(ctx, history.Record{Version: i, Description: "d", Checksum: "c", StatementsTotal: 1}); err != nil {
			b.Fatal(err)
		}
		if err := st.Progress(ctx, i, 1); err != nil {
			b.Fatal(err)
		}
		if err := st.Finish(ctx, i, 1, time.Millisecond); err != nil {
			b.Fatal(err)
		}
		if _, err := st.LogEvent(ctx, history.Event{Kind: history.EventApplied, Version: i}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	stats := tg.Cluster.Stats()
	b.ReportMetric(float64(stats.Requests["EXECUTE"]+stats.Requests["QUERY"]+stats.Requests["PREPARE"])/float64(b.N), "requests/op")
}
