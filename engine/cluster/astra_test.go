package cluster_test

import (
	"archive/zip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/cluster/clustertest"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/cqltest"
)

const astraToken = "AstraCS:qvXkLbFh:4c9f0e0d1b2a39485766aabbccddeeff00112233445566778899aabbccddeeff"

// astraStandIn starts a stand-in behind an SNI proxy, as Astra DB serves,
// with token authentication, and writes its secure connect bundle.
func astraStandIn(t *testing.T, nodes int) (*cqltest.Cluster, *cqltest.TestCertificates, string) {
	t.Helper()
	if clustertest.Real() {
		t.Skipf("needs engine/cqltest's SNI proxy; %s is set", clustertest.EnvHosts)
	}
	certs, err := cqltest.NewTestCertificates(nodes)
	if err != nil {
		t.Fatal(err)
	}
	c := cqltest.NewCluster(t, cqltest.WithNodes(nodes), cqltest.WithCredentials("token", astraToken),
		cqltest.WithSNIProxy(certs.ServerConfig(true)))
	bundle := filepath.Join(t.TempDir(), "secure-connect-db.zip")
	if err := c.WriteSecureConnectBundle(bundle, certs, "app"); err != nil {
		t.Fatal(err)
	}
	return c, certs, bundle
}

func astraConfig(bundle string) *config.Config {
	cfg := config.Default()
	// Contact points and port are the bundle's business: these lead nowhere.
	cfg.Cassandra.ContactPoints = []string{"192.0.2.1"}
	cfg.Cassandra.Port = 1
	cfg.Cassandra.SecureConnectBundle = bundle
	cfg.Cassandra.Auth.Password = config.Secret(astraToken)
	cfg.Cassandra.ConnectTimeout = 3 * time.Second
	return cfg
}

func TestConnectAstraBundleRoutesEveryNodeByHostID(t *testing.T) {
	c, _, bundle := astraStandIn(t, 3)
	s, err := cluster.Connect(context.Background(), astraConfig(bundle), cluster.WithAgreementPoll(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := s.ExecDDL(ctx, "CREATE KEYSPACE app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}"); err != nil {
		t.Fatal(err)
	}
	if err := s.ExecDDL(ctx, "CREATE TABLE app.t (id int PRIMARY KEY, v text)"); err != nil {
		t.Fatal(err)
	}
	if err := s.Exec(ctx, "INSERT INTO app.t (id, v) VALUES (1, 'through the proxy')"); err != nil {
		t.Fatal(err)
	}
	var v string
	if err := s.Query(ctx, "SELECT v FROM app.t WHERE id = 1").Scan(&v); err != nil || v != "through the proxy" {
		t.Fatalf("read back %q, %v", v, err)
	}
	if s.Consistency() != gocql.LocalQuorum {
		t.Errorf("consistency %v: Astra refuses writes at LOCAL_ONE, want LOCAL_QUORUM", s.Consistency())
	}
	if hosts := s.Hosts(); len(hosts) != 3 {
		t.Errorf("driver knows %d nodes, want 3: %+v", len(hosts), hosts)
	}
	routed, rejected := c.SNIRoutes()
	for _, n := range c.Nodes() {
		if routed[n.HostID()] == 0 {
			t.Errorf("no connection reached node %s (%s) through the proxy: %v", n.Addr(), n.HostID(), routed)
		}
	}
	if rejected != 0 {
		t.Errorf("the proxy refused %d connections for unknown host ids", rejected)
	}
}

func TestConnectAstraBundleFailures(t *testing.T) {
	c, _, bundle := astraStandIn(t, 1)
	dir := t.TempDir()
	notZip := filepath.Join(dir, "bundle.zip")
	if err := os.WriteFile(notZip, []byte("not a zip"), 0o600); err != nil {
		t.Fatal(err)
	}
	noKey := filepath.Join(dir, "nokey.zip")
	copyBundle(t, bundle, noKey, "key")
	other, err := cqltest.NewTestCertificates(1)
	if err != nil {
		t.Fatal(err)
	}
	// A bundle of another database: its CA did not sign the proxy's
	// certificate, and the proxy does not trust its client certificate.
	foreign := filepath.Join(dir, "foreign.zip")
	if err := c.WriteSecureConnectBundle(foreign, other, "app"); err != nil {
		t.Fatal(err)
	}
	gone := filepath.Join(dir, "gone.zip")
	stopped := cqltest.NewCluster(t, cqltest.WithSNIProxy(other.ServerConfig(true)))
	if err := stopped.WriteSecureConnectBundle(gone, other, "app"); err != nil {
		t.Fatal(err)
	}
	stopped.Close()

	tests := []struct {
		name    string
		bundle  string
		mod     func(*config.Config)
		want    error
		wantMsg []string
	}{
		{"not a zip", notZip, nil, config.ErrInvalid, []string{"cassandra.secure_connect_bundle", notZip, "hint: download the bundle"}},
		{"missing key", noKey, nil, config.ErrInvalid, []string{noKey, "no key in the zip"}},
		{"missing file", filepath.Join(dir, "absent.zip"), nil, config.ErrInvalid, []string{"absent.zip"}},
		{"another database's certificates", foreign, nil, cluster.ErrConnect, []string{"metadata service", "unknown authority"}},
		{"database not running", gone, nil, cluster.ErrConnect, []string{"metadata service", "hibernated"}},
		{"wrong token", bundle, func(c *config.Config) { c.Cassandra.Auth.Password = "AstraCS:wrong:0000" }, cluster.ErrConnect,
			[]string{`user "token"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := astraConfig(tt.bundle)
			if tt.mod != nil {
				tt.mod(cfg)
			}
			s, err := cluster.Connect(context.Background(), cfg)
			if err == nil {
				s.Close()
				t.Fatal("connected, want an error")
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("error %q does not match %v", err, tt.want)
			}
			for _, w := range tt.wantMsg {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			for _, secret := range []string{astraToken, "AstraCS:wrong:0000"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q shows the token", err)
				}
			}
		})
	}
}

// copyBundle copies a bundle without the member named drop.
func copyBundle(t *testing.T, from, to, drop string) {
	t.Helper()
	rewriteBundle(t, from, to, func(name string, data []byte) []byte {
		if name == drop {
			return nil
		}
		return data
	})
}

func rewriteBundle(t *testing.T, from, to string, edit func(name string, data []byte) []byte) {
	t.Helper()
	zr, err := zip.OpenReader(from)
	if err != nil {
		t.Fatal(err)
	}
	type member struct {
		name string
		data []byte
	}
	var members []member
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		r.Close()
		if data := edit(f.Name, data); data != nil {
			members = append(members, member{f.Name, data})
		}
	}
	zr.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	for _, m := range members {
		w, err := zw.Create(m.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(m.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestConnectRefusesAmazonKeyspaces(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*testing.T, *config.Config)
	}{
		{"by its endpoint, before connecting", func(t *testing.T, c *config.Config) {
			c.Cassandra.ContactPoints = []string{"cassandra.eu-west-1.amazonaws.com"}
			c.Cassandra.Port = 9142
		}},
		{"by its system.local", func(t *testing.T, c *config.Config) {
			tg := clustertest.NewStandIn(t, "a cluster that says it is Keyspaces", cqltest.WithClusterName("Amazon Keyspaces"))
			*c = *tg.Config("")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			tt.mod(t, cfg)
			s, err := cluster.Connect(context.Background(), cfg)
			if err == nil {
				s.Close()
				t.Fatal("connected to Amazon Keyspaces")
			}
			if !errors.Is(err, cluster.ErrKeyspacesUnsupported) || !errors.Is(err, config.ErrInvalid) {
				t.Errorf("error %q: want ErrKeyspacesUnsupported and config.ErrInvalid", err)
			}
			for _, w := range []string{"Amazon Keyspaces", "lightweight transactions", "schema", "authentication"} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// Whatever the file holds, ReadBundle returns a bundle or an input error,
// never a panic or another kind of error.
func FuzzReadBundle(f *testing.F) {
	certs, err := cqltest.NewTestCertificates(1)
	if err != nil {
		f.Fatal(err)
	}
	c := cqltest.NewCluster(f, cqltest.WithSNIProxy(certs.ServerConfig(true)))
	path := filepath.Join(f.TempDir(), "bundle.zip")
	if err := c.WriteSecureConnectBundle(path, certs, "app"); err != nil {
		f.Fatal(err)
	}
	valid, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "b.zip")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		b, err := cluster.ReadBundle(p)
		if err != nil {
			if !errors.Is(err, config.ErrInvalid) {
				t.Fatalf("error %v is not an input error", err)
			}
			return
		}
		if b.Host == "" || b.Port <= 0 {
			t.Fatalf("bundle without a metadata service: %+v", b)
		}
	})
}
