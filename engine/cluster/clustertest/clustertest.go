// Package clustertest gives the tests of cqltrack's cluster-facing packages
// one target: a fresh engine/cqltest stand-in, or the real cluster named by
// CQLTRACK_TEST_HOSTS (comma-separated host[:port]) when it is set, so the
// same suite runs against both. Tests that need the stand-in's controls
// (faults, a manual clock, nodes that never agree) ask for it with
// NewStandIn and are skipped on a real cluster.
package clustertest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/cqltest"
)

// EnvHosts is the variable naming a real cluster to test against.
const EnvHosts = "CQLTRACK_TEST_HOSTS"

// Target is the cluster a test talks to.
type Target struct {
	// Cluster is the stand-in, nil on a real cluster.
	Cluster *cqltest.Cluster
	Hosts   []string
	Port    int
}

// Real reports whether tests run against a real cluster.
func Real() bool { return os.Getenv(EnvHosts) != "" }

// New returns the real cluster when CQLTRACK_TEST_HOSTS is set, otherwise a
// stand-in started with opts and closed when the test ends.
func New(t testing.TB, opts ...cqltest.Option) *Target {
	t.Helper()
	if v := os.Getenv(EnvHosts); v != "" {
		return realTarget(t, v)
	}
	c := cqltest.NewCluster(t, opts...)
	return &Target{Cluster: c, Hosts: c.Hosts(), Port: c.Port()}
}

// NewStandIn returns a stand-in started with opts, and skips the test on a
// real cluster, giving why it needs the stand-in.
func NewStandIn(t testing.TB, why string, opts ...cqltest.Option) *Target {
	t.Helper()
	if Real() {
		t.Skipf("needs engine/cqltest (%s); %s is set", why, EnvHosts)
	}
	return New(t, opts...)
}

func realTarget(t testing.TB, v string) *Target {
	tg := &Target{Port: config.DefaultPort}
	for _, h := range strings.Split(v, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		host, port, err := net.SplitHostPort(h)
		if err != nil {
			tg.Hosts = append(tg.Hosts, h)
			continue
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			t.Fatalf("%s: bad port in %q", EnvHosts, h)
		}
		tg.Hosts, tg.Port = append(tg.Hosts, host), p
	}
	return tg
}

// Config returns the default configuration pointed at the target, for
// keyspace, with waits short enough for tests.
func (tg *Target) Config(keyspace string) *config.Config {
	cfg := config.Default()
	cfg.Cassandra.ContactPoints = append([]string(nil), tg.Hosts...)
	cfg.Cassandra.Port = tg.Port
	cfg.Cassandra.ConnectTimeout = 5 * time.Second
	cfg.Cassandra.RequestTimeout = 10 * time.Second
	cfg.Keyspace.Name = keyspace
	cfg.Schema.AgreementWait = 10 * time.Second
	return cfg
}

// Connect opens a session with cfg (tg.Config("") when nil) and closes it
// when the test ends.
func (tg *Target) Connect(t testing.TB, cfg *config.Config, opts ...cluster.Option) *cluster.Session {
	t.Helper()
	if cfg == nil {
		cfg = tg.Config("")
	}
	opts = append([]cluster.Option{cluster.WithAgreementPoll(20 * time.Millisecond)}, opts...)
	s, err := cluster.Connect(context.Background(), cfg, opts...)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Keyspace creates a keyspace with a unique name (prefix "cqltrack_t_") and
// drops it when the test ends.
func Keyspace(t testing.TB, s *cluster.Session) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "cqltrack_t_" + hex.EncodeToString(b)
	ctx := context.Background()
	if err := s.ExecDDL(ctx, "CREATE KEYSPACE "+name+" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"); err != nil {
		t.Fatalf("create keyspace %s: %v", name, err)
	}
	t.Cleanup(func() { _ = s.ExecDDL(context.Background(), "DROP KEYSPACE IF EXISTS "+name) })
	return name
}
