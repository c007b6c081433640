package cluster_test

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/cluster/clustertest"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/cqltest"
)

func TestConnectReadsClusterInfo(t *testing.T) {
	tg := clustertest.New(t, cqltest.WithNodes(2), cqltest.WithClusterName("Prod Ring"), cqltest.WithReleaseVersion("4.1.7"))
	s := tg.Connect(t, nil)
	if s.ClusterName() == "" || s.ReleaseVersion() == "" {
		t.Fatalf("cluster name %q, release %q: want both", s.ClusterName(), s.ReleaseVersion())
	}
	if tg.Cluster == nil {
		return
	}
	if s.ClusterName() != "Prod Ring" || s.ReleaseVersion() != "4.1.7" {
		t.Errorf("cluster name %q, release %q; want Prod Ring, 4.1.7", s.ClusterName(), s.ReleaseVersion())
	}
	hosts := s.Hosts()
	if len(hosts) != 2 || hosts[0].Address != "127.0.0.1" || hosts[1].Address != "127.0.0.2" {
		t.Fatalf("hosts %+v, want 127.0.0.1 and 127.0.0.2", hosts)
	}
	for _, h := range hosts {
		if !h.Up || h.DataCenter != "datacenter1" || h.HostID == "" || h.ReleaseVersion != "4.1.7" {
			t.Errorf("host %+v: want up, in datacenter1, with a host id, at 4.1.7", h)
		}
	}
}

func TestWithKeyspaceResolvesUnqualifiedNames(t *testing.T) {
	tg := clustertest.New(t)
	admin := tg.Connect(t, nil)
	ks := clustertest.Keyspace(t, admin)
	s := tg.Connect(t, nil, cluster.WithKeyspace(ks))
	ctx := context.Background()
	if err := s.ExecDDL(ctx, "CREATE TABLE users (id int PRIMARY KEY, name text)"); err != nil {
		t.Fatal(err)
	}
	if err := s.Exec(ctx, "INSERT INTO users (id, name) VALUES (?, ?)", 1, "ada"); err != nil {
		t.Fatal(err)
	}
	var name string
	if err := admin.Query(ctx, "SELECT name FROM "+ks+".users WHERE id = 1").Scan(&name); err != nil || name != "ada" {
		t.Fatalf("row written through the keyspace session: %q, %v", name, err)
	}
	if s.Keyspace() != ks {
		t.Errorf("Keyspace() = %q, want %q", s.Keyspace(), ks)
	}
}

func TestConnectFailures(t *testing.T) {
	tg := clustertest.NewStandIn(t, "credentials of a stand-in", cqltest.WithCredentials("admin", "s3cr3t-pw"))
	free := freePort(t)
	tests := []struct {
		name    string
		mod     func(*config.Config)
		want    error
		wantMsg []string
	}{
		{"unreachable", func(c *config.Config) { c.Cassandra.ContactPoints = []string{"127.0.0.1"}; c.Cassandra.Port = free },
			cluster.ErrConnect, []string{"127.0.0.1:" + strconv.Itoa(free), "check cassandra.contact_points and port"}},
		{"bad password", func(c *config.Config) {
			c.Cassandra.Auth = config.Auth{Username: "admin", Password: "wrong-horse-battery"}
		}, cluster.ErrConnect, []string{`user "admin"`, "cassandra.auth"}},
		{"no credentials", func(c *config.Config) {}, cluster.ErrConnect, []string{"requires authentication"}},
		{"bundle", func(c *config.Config) { c.Cassandra.SecureConnectBundle = "/tmp/bundle.zip" },
			config.ErrInvalid, []string{"secure_connect_bundle", "/tmp/bundle.zip"}},
		{"bad consistency", func(c *config.Config) { c.Cassandra.Consistency = "MOSTLY" }, config.ErrInvalid, []string{"cassandra.consistency"}},
		{"missing CA", func(c *config.Config) {
			c.Cassandra.SSL = config.SSL{Enabled: true, Verify: true, CACerts: "/nonexistent/ca.pem"}
		}, config.ErrInvalid, []string{"cassandra.ssl.ca_certs", "/nonexistent/ca.pem"}},
		{"cert without key", func(c *config.Config) {
			c.Cassandra.SSL = config.SSL{Enabled: true, Verify: true, CertFile: "/x/cert.pem"}
		}, config.ErrInvalid, []string{"certfile and keyfile"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tg.Config("")
			cfg.Cassandra.ConnectTimeout = 2 * time.Second
			tt.mod(cfg)
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
			for _, secret := range []string{"wrong-horse-battery", "s3cr3t-pw"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q shows the password", err)
				}
			}
		})
	}
}

func TestConnectWithPassword(t *testing.T) {
	tg := clustertest.NewStandIn(t, "credentials of a stand-in", cqltest.WithCredentials("admin", "s3cr3t-pw"))
	cfg := tg.Config("")
	cfg.Cassandra.Auth = config.Auth{Username: "admin", Password: "s3cr3t-pw"}
	s := tg.Connect(t, cfg)
	if err := s.Query(context.Background(), "SELECT release_version FROM system.local").Exec(); err != nil {
		t.Fatal(err)
	}
}

func TestConnectTLS(t *testing.T) {
	certs, err := cqltest.NewTestCertificates(1)
	if err != nil {
		t.Fatal(err)
	}
	ca, cert, key, err := certs.WriteFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	otherCerts, err := cqltest.NewTestCertificates(1)
	if err != nil {
		t.Fatal(err)
	}
	otherCA, otherCert, otherKey, err := otherCerts.WriteFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	expired, err := certs.IssueServer(time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour), "127.0.0.1", "localhost")
	if err != nil {
		t.Fatal(err)
	}
	otherName, err := certs.IssueServer(time.Now().Add(-time.Hour), time.Now().Add(time.Hour), "db.example.com")
	if err != nil {
		t.Fatal(err)
	}
	serving := func(c tls.Certificate) *tls.Config {
		cfg := certs.ServerConfig(true)
		cfg.Certificates = []tls.Certificate{c}
		return cfg
	}
	valid := clustertest.NewStandIn(t, "throw-away certificates", cqltest.WithTLS(certs.ServerConfig(true)))
	plain := clustertest.NewStandIn(t, "a cluster without TLS")
	tls12cfg := certs.ServerConfig(true)
	tls12cfg.MaxVersion = tls.VersionTLS12 // as a Java node with TLSv1.2 only
	tls12 := clustertest.NewStandIn(t, "a TLS 1.2 server", cqltest.WithTLS(tls12cfg))
	stale := clustertest.NewStandIn(t, "an expired certificate", cqltest.WithTLS(serving(expired)))
	misnamed := clustertest.NewStandIn(t, "a certificate for another name", cqltest.WithTLS(serving(otherName)))
	mtls := config.SSL{Enabled: true, Verify: true, CACerts: ca, CertFile: cert, KeyFile: key}
	with := func(f func(*config.SSL)) config.SSL {
		s := mtls
		f(&s)
		return s
	}
	tests := []struct {
		name    string
		target  *clustertest.Target
		ssl     config.SSL
		wantMsg []string // empty: connects
		warning bool
	}{
		{"mutual TLS verified", valid, mtls, nil, false},
		{"server name given", misnamed, with(func(s *config.SSL) { s.ServerName = "db.example.com" }), nil, false},
		{"unknown CA refused", valid, with(func(s *config.SSL) { s.CACerts = otherCA }),
			[]string{"TLS handshake failed", "unknown authority", "hint: the cluster's certificate is not signed by a CA cqltrack trusts"}, false},
		{"system roots do not know a private CA", valid, with(func(s *config.SSL) { s.CACerts = "" }),
			[]string{"unknown authority", "cassandra.ssl.ca_certs"}, false},
		{"unknown CA without verification", valid, with(func(s *config.SSL) { s.CACerts = otherCA; s.Verify = false }), nil, true},
		{"expired server certificate", stale, mtls,
			[]string{"expired", "hint: the cluster's certificate is outside its validity period"}, false},
		{"expired server certificate without verification", stale, with(func(s *config.SSL) { s.Verify = false }), nil, true},
		{"host name not in the certificate", misnamed, mtls,
			[]string{"127.0.0.1", "hint: the cluster's certificate does not name the host cqltrack dialled", "cassandra.ssl.server_name"}, false},
		{"wrong server name", valid, with(func(s *config.SSL) { s.ServerName = "db.example.com" }),
			[]string{"not db.example.com"}, false},
		{"no client certificate", valid, with(func(s *config.SSL) { s.CertFile, s.KeyFile = "", "" }),
			[]string{"certificate required", "hint: the cluster requires a client certificate (mutual TLS): set cassandra.ssl.certfile and cassandra.ssl.keyfile"}, false},
		{"plain client on a TLS port", valid, config.SSL{Verify: true},
			[]string{"closed the connection without answering", "if the cluster requires TLS (client encryption), set cassandra.ssl.enabled"}, false},
		{"TLS on a plain port", plain, mtls,
			[]string{"TLS handshake failed", "hint: the port does not speak TLS"}, false},
		{"no client certificate, TLS 1.2", tls12, with(func(s *config.SSL) { s.CertFile, s.KeyFile = "", "" }),
			[]string{"TLS handshake failed", "hint: the cluster requires a client certificate (mutual TLS)"}, false},
		{"mutual TLS 1.2", tls12, mtls, nil, false},
		{"client certificate of another CA", valid, with(func(s *config.SSL) { s.CertFile, s.KeyFile = otherCert, otherKey }),
			[]string{"unknown certificate authority", "refused the client certificate"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.target.Config("")
			cfg.Cassandra.ConnectTimeout = 2 * time.Second
			cfg.Cassandra.SSL = tt.ssl
			var logs strings.Builder
			s, err := cluster.Connect(context.Background(), cfg,
				cluster.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))))
			if len(tt.wantMsg) == 0 && err != nil {
				t.Fatalf("connect: %v", err)
			}
			if len(tt.wantMsg) > 0 {
				if err == nil {
					s.Close()
					t.Fatal("connected, want an error")
				}
				if !errors.Is(err, cluster.ErrConnect) {
					t.Errorf("error %q does not match ErrConnect", err)
				}
				for _, w := range tt.wantMsg {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				return
			}
			s.Close()
			if got := strings.Contains(logs.String(), "verify is false"); got != tt.warning {
				t.Errorf("warning logged %v, want %v; log:\n%s", got, tt.warning, logs.String())
			}
		})
	}
}

// Without a logger, or with one that drops warnings, the warning that
// verification is off still reaches slog.Default (standard error in the
// command), once per configuration.
func TestInsecureTLSWarnsWithoutALogger(t *testing.T) {
	certs, err := cqltest.NewTestCertificates(1)
	if err != nil {
		t.Fatal(err)
	}
	tg := clustertest.NewStandIn(t, "throw-away certificates", cqltest.WithTLS(certs.ServerConfig(false)))
	var logs strings.Builder
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	defer slog.SetDefault(prev)
	// As the engine does: a logger that discards everything.
	discard := cluster.WithLogger(slog.New(slog.DiscardHandler))
	for _, opts := range [][]cluster.Option{nil, {discard}} {
		logs.Reset()
		cfg := tg.Config("")
		cfg.Cassandra.SSL = config.SSL{Enabled: true, Verify: false}
		for range 2 {
			s, err := cluster.Connect(context.Background(), cfg, opts...)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
		}
		if n := strings.Count(logs.String(), "cassandra.ssl.verify is false"); n != 1 {
			t.Errorf("warned %d times for two sessions of one configuration, want once; log:\n%s", n, logs.String())
		}
	}
}

func TestExecDDLWaitsForAgreement(t *testing.T) {
	tg := clustertest.New(t, cqltest.WithNodes(3), cqltest.WithSchemaDelay(150*time.Millisecond))
	s := tg.Connect(t, nil)
	ctx := context.Background()
	ks := clustertest.Keyspace(t, s)
	for i := range 3 {
		if err := s.ExecDDL(ctx, "CREATE TABLE "+ks+".t"+strconv.Itoa(i)+" (id int PRIMARY KEY)"); err != nil {
			t.Fatal(err)
		}
		if tg.Cluster != nil {
			assertAgreed(t, tg.Cluster)
		}
	}
	nodes, err := s.SchemaVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tg.Cluster != nil && len(nodes) != 3 {
		t.Fatalf("versions of %d nodes, want 3: %v", len(nodes), nodes)
	}
}

func assertAgreed(t *testing.T, c *cqltest.Cluster) {
	t.Helper()
	want := c.Node(1).SchemaVersion()
	for _, n := range c.Nodes() {
		if n.SchemaVersion() != want {
			t.Fatalf("after ExecDDL node %s is at %s, node 127.0.0.1 at %s", n.IP(), n.SchemaVersion(), want)
		}
	}
}

func TestExecDDLNamesTheNodeThatNeverAgrees(t *testing.T) {
	tg := clustertest.NewStandIn(t, "a node that never agrees", cqltest.WithNodes(3), cqltest.WithPlacement(3, "dc2", "r1"))
	cfg := tg.Config("")
	cfg.Schema.AgreementWait = 300 * time.Millisecond
	// Coordinators from datacenter1 only: a schema change coordinated by
	// node 3 would reach the others and agree.
	cfg.Cassandra.LocalDC = "datacenter1"
	s := tg.Connect(t, cfg)
	tg.Cluster.Node(3).SetSchemaAgreement(false)
	stale := tg.Cluster.Node(3).SchemaVersion()

	start := time.Now()
	err := s.ExecDDL(context.Background(), "CREATE KEYSPACE k1 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	var ae *cluster.AgreementError
	if !errors.As(err, &ae) || !errors.Is(err, cluster.ErrNoAgreement) {
		t.Fatalf("error %v, want an AgreementError", err)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Errorf("gave up after %s, before schema.agreement_wait", waited)
	}
	dis := ae.Disagreeing()
	if len(dis) != 1 || dis[0].Address != "127.0.0.3" || dis[0].DataCenter != "dc2" || dis[0].SchemaVersion != stale {
		t.Fatalf("disagreeing %+v, want 127.0.0.3 in dc2 at %s", dis, stale)
	}
	for _, w := range []string{"127.0.0.3 (dc2) at schema version " + stale, "2 other live node(s) at schema version " + tg.Cluster.Node(1).SchemaVersion(), "300ms"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
}

func TestExecDDLSkipsDownNodes(t *testing.T) {
	tg := clustertest.NewStandIn(t, "stopping a node", cqltest.WithNodes(3))
	s := tg.Connect(t, nil)
	if err := tg.Cluster.Node(3).SetDown(true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		for _, h := range s.Hosts() {
			if h.Address == "127.0.0.3" {
				return !h.Up
			}
		}
		return false
	})
	if err := s.ExecDDL(context.Background(), "CREATE KEYSPACE k1 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"); err != nil {
		t.Fatalf("ExecDDL with a node down: %v", err)
	}
	nodes, err := s.SchemaVersions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		if n.Address == "127.0.0.3" {
			t.Errorf("down node 127.0.0.3 counted in agreement: %v", nodes)
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestServerErrorsKeepTheirCode(t *testing.T) {
	tg := clustertest.New(t)
	s := tg.Connect(t, nil)
	ctx := context.Background()
	ks := clustertest.Keyspace(t, s)
	if err := s.ExecDDL(ctx, "CREATE TABLE "+ks+".t (id int PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	type check struct {
		name string
		is   func(error) bool
	}
	all := []check{{"AlreadyExists", cluster.IsAlreadyExists}, {"Invalid", cluster.IsInvalid}, {"Syntax", cluster.IsSyntax},
		{"Unavailable", cluster.IsUnavailable}, {"Timeout", cluster.IsTimeout}}
	tests := []struct {
		stmt   string
		want   string
		fault  *cqltest.Fault
		uncert bool
	}{
		{stmt: "CREATE TABLE " + ks + ".t (id int PRIMARY KEY)", want: "AlreadyExists"},
		{stmt: "ALTER TABLE " + ks + ".nope ADD x int", want: "Invalid"},
		{stmt: "CREAT TABLE " + ks + ".u (id int PRIMARY KEY)", want: "Syntax"},
		{stmt: "INSERT INTO " + ks + ".t (id) VALUES (1)", want: "Unavailable", uncert: true,
			fault: &cqltest.Fault{Match: "INSERT INTO", Err: cqltest.Unavailable(0x0006, 2, 1)}},
		{stmt: "INSERT INTO " + ks + ".t (id) VALUES (2)", want: "Timeout", uncert: true,
			fault: &cqltest.Fault{Match: "INSERT INTO", Err: cqltest.WriteTimeout(0x0006, 1, 2, "SIMPLE")}},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if tt.fault != nil {
				if tg.Cluster == nil {
					t.Skip("needs fault injection of engine/cqltest")
				}
				in := tg.Cluster.Inject(*tt.fault)
				defer in.Remove()
			}
			err := s.Exec(ctx, tt.stmt)
			if err == nil {
				t.Fatal("no error")
			}
			for _, c := range all {
				if got := c.is(err); got != (c.name == tt.want) {
					t.Errorf("Is%s(%q) = %v", c.name, err, got)
				}
			}
			if cluster.IsUncertain(err) != tt.uncert {
				t.Errorf("IsUncertain(%q) = %v, want %v", err, !tt.uncert, tt.uncert)
			}
		})
	}
	if cluster.Code(errors.New("local")) != -1 || cluster.IsInvalid(nil) {
		t.Error("a local error has a server code")
	}
}

func TestScanCAS(t *testing.T) {
	tg := clustertest.New(t)
	s := tg.Connect(t, nil)
	ctx := context.Background()
	ks := clustertest.Keyspace(t, s)
	if err := s.ExecDDL(ctx, "CREATE TABLE "+ks+".l (id text PRIMARY KEY, owner text)"); err != nil {
		t.Fatal(err)
	}
	insert := "INSERT INTO " + ks + ".l (id, owner) VALUES ('x', ?) IF NOT EXISTS"
	applied, cur, err := s.ScanCAS(ctx, insert, "a")
	if err != nil || !applied || cur != nil {
		t.Fatalf("first insert: applied %v, current %v, err %v; want applied", applied, cur, err)
	}
	applied, cur, err = s.ScanCAS(ctx, insert, "b")
	if err != nil || applied || cur["owner"] != "a" {
		t.Fatalf("second insert: applied %v, current %v, err %v; want not applied, owner a", applied, cur, err)
	}
	var owner string
	if err := s.ReadSerial(ctx, "SELECT owner FROM "+ks+".l WHERE id = 'x'").Scan(&owner); err != nil || owner != "a" {
		t.Fatalf("serial read: %q, %v", owner, err)
	}
}

func TestConnectHonoursContext(t *testing.T) {
	// A listener that accepts and never answers: the driver would wait for
	// its connect timeout; the context ends first.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	cfg := config.Default()
	cfg.Cassandra.Port = l.Addr().(*net.TCPAddr).Port
	cfg.Cassandra.ConnectTimeout = 5 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = cluster.Connect(ctx, cfg)
	if !errors.Is(err, cluster.ErrConnect) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want ErrConnect and the deadline", err)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("Connect returned after %s, past its context", time.Since(start))
	}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func TestReadsAreRetriedWritesAreNot(t *testing.T) {
	tg := clustertest.NewStandIn(t, "fault injection")
	s := tg.Connect(t, nil)
	ctx := context.Background()
	ks := clustertest.Keyspace(t, s)
	if err := s.ExecDDL(ctx, "CREATE TABLE "+ks+".t (id int PRIMARY KEY, v text)"); err != nil {
		t.Fatal(err)
	}
	read := tg.Cluster.Inject(cqltest.Fault{Match: "SELECT v FROM " + ks, Nth: 1, Err: cqltest.ReadTimeout(0x0006, 0, 1, false)})
	var v string
	if err := s.Query(ctx, "SELECT v FROM "+ks+".t WHERE id = 1").Scan(&v); err != nil && err.Error() != "not found" {
		t.Fatalf("read after one timeout: %v, want a retry to succeed", err)
	}
	if read.Hits() != 1 {
		t.Errorf("read fault hit %d times, want 1", read.Hits())
	}
	broken := tg.Cluster.Inject(cqltest.Fault{Match: "SELECT v FROM " + ks, Err: cqltest.ServerError("boom")})
	if err := s.Query(ctx, "SELECT v FROM "+ks+".t WHERE id = 2").Scan(&v); err == nil || broken.Hits() != 1 {
		t.Errorf("read failing with a server error: %v after %d attempts; want the error, once", err, broken.Hits())
	}
	broken.Remove()
	write := tg.Cluster.Inject(cqltest.Fault{Match: "INSERT INTO " + ks, Nth: 1, Err: cqltest.WriteTimeout(0x0006, 0, 1, "SIMPLE")})
	err := s.Exec(ctx, "INSERT INTO "+ks+".t (id, v) VALUES (1, 'x')")
	if !cluster.IsTimeout(err) || write.Hits() != 1 {
		t.Fatalf("write: %v after %d attempts; want the write timeout, once", err, write.Hits())
	}
	if st := tg.Cluster.Stats(); st.Statements["INSERT"] != 0 {
		t.Errorf("the write was retried: %d INSERTs executed", st.Statements["INSERT"])
	}
}
