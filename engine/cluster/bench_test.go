package cluster_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/cluster/clustertest"
	"github.com/cqltrack/cqltrack/engine/config"
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

// BenchmarkConnect measures opening and closing a session to a 3-node
// stand-in: plain, over mutual TLS, and through an Astra secure connect
// bundle (metadata request, then every node through the SNI proxy).
func BenchmarkConnect(b *testing.B) {
	if clustertest.Real() {
		b.Skipf("needs engine/cqltest; %s is set", clustertest.EnvHosts)
	}
	certs, err := cqltest.NewTestCertificates(3)
	if err != nil {
		b.Fatal(err)
	}
	ca, cert, key, err := certs.WriteFiles(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	plain := clustertest.New(b, cqltest.WithNodes(3))
	mtls := clustertest.New(b, cqltest.WithNodes(3), cqltest.WithTLS(certs.ServerConfig(true)))
	astra := cqltest.NewCluster(b, cqltest.WithNodes(3), cqltest.WithCredentials("token", "AstraCS:bench:00"),
		cqltest.WithSNIProxy(certs.ServerConfig(true)))
	bundle := filepath.Join(b.TempDir(), "bundle.zip")
	if err := astra.WriteSecureConnectBundle(bundle, certs, "app"); err != nil {
		b.Fatal(err)
	}
	tlsCfg := mtls.Config("")
	tlsCfg.Cassandra.SSL = config.SSL{Enabled: true, Verify: true, CACerts: ca, CertFile: cert, KeyFile: key}
	astraCfg := config.Default()
	astraCfg.Cassandra.SecureConnectBundle = bundle
	astraCfg.Cassandra.Auth.Password = "AstraCS:bench:00"
	for _, bc := range []struct {
		name string
		cfg  *config.Config
	}{{"plain", plain.Config("")}, {"mutual-TLS", tlsCfg}, {"astra-bundle", astraCfg}} {
		b.Run(bc.name, func(b *testing.B) {
			for range b.N {
				s, err := cluster.Connect(context.Background(), bc.cfg)
				if err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
	}
}
