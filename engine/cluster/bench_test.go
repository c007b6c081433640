package cluster_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/cqltrack/cqltrack/engine/cluster/clustertest"
	"github.com/cqltrack/cqltrack/engine/cqltest"
)

// roundTrips is the number of statement requests (QUERY, PREPARE, EXECUTE,
// BATCH) the stand-in served, and how many of them read system tables.
func roundTrips(c *cqltest.Cluster) (all, system int) {
	st := c.Stats()
	return st.Requests["QUERY"] + st.Requests["PREPARE"] + st.Requests["EXECUTE"] + st.Requests["BATCH"], st.Statements["SELECT system"]
}

// BenchmarkExecDDL measures a schema change with its agreement wait on a
// 3-node stand-in, and reports the round trips each costs.
func BenchmarkExecDDL(b *testing.B) {
	tg := clustertest.NewStandIn(b, "request counters", cqltest.WithNodes(3))
	s := tg.Connect(b, nil)
	ks := clustertest.Keyspace(b, s)
	ctx := context.Background()
	tg.Cluster.ResetStats()
	b.ResetTimer()
	for i := range b.N {
		if err := s.ExecDDL(ctx, "CREATE TABLE "+ks+".t"+strconv.Itoa(i)+" (id int PRIMARY KEY)"); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	all, system := roundTrips(tg.Cluster)
	b.ReportMetric(float64(all)/float64(b.N), "requests/op")
	b.ReportMetric(float64(system)/float64(b.N), "system-reads/op")
}
