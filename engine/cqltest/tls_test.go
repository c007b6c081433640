package cqltest

import (
	"archive/zip"
	"bufio"
	"crypto/tls"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
)

func TestTLSAndMutualTLS(t *testing.T) {
	certs, err := NewTestCertificates(2)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name          string
		requireClient bool
		client        func() *tls.Config
		wantErr       bool
	}{
		{"server TLS", false, func() *tls.Config { return &tls.Config{RootCAs: certs.CA} }, false},
		{"mutual TLS with a client certificate", true, certs.ClientConfig, false},
		{"mutual TLS without a client certificate", true, func() *tls.Config { return &tls.Config{RootCAs: certs.CA} }, true},
		{"a client that does not trust the CA", false, func() *tls.Config { return &tls.Config{} }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := newTarget(t, true, WithNodes(2), WithTLS(certs.ServerConfig(tt.requireClient)))
			cfg := tg.config(func(cfg *gocql.ClusterConfig) {
				cfg.SslOpts = &gocql.SslOptions{Config: tt.client(), EnableHostVerification: true}
			})
			s, err := cfg.CreateSession()
			if tt.wantErr {
				if err == nil {
					s.Close()
					t.Fatal("connected")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if n := len(s.GetHosts()); n != 2 {
				t.Fatalf("%d hosts over TLS", n)
			}
			var key string
			if err := s.Query("SELECT key FROM system.local").Scan(&key); err != nil || key != "local" {
				t.Fatalf("query over TLS: %q %v", key, err)
			}
		})
	}
}

func TestTestCertificatesWriteFiles(t *testing.T) {
	certs, err := NewTestCertificates(1)
	if err != nil {
		t.Fatal(err)
	}
	ca, cert, key, err := certs.WriteFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tg := newTarget(t, true, WithTLS(certs.ServerConfig(true)))
	s := tg.session(t, func(cfg *gocql.ClusterConfig) {
		cfg.SslOpts = &gocql.SslOptions{CaPath: ca, CertPath: cert, KeyPath: key, EnableHostVerification: true}
	})
	if err := s.Query("SELECT key FROM system.local").Exec(); err != nil {
		t.Fatal(err)
	}
}

func TestSNIProxyRoutesByHostID(t *testing.T) {
	certs, err := NewTestCertificates(2)
	if err != nil {
		t.Fatal(err)
	}
	c := NewCluster(t, WithNodes(2), WithSNIProxy(certs.ServerConfig(true)))
	dial := func(serverName string) error {
		cfg := certs.ClientConfig()
		cfg.ServerName = serverName
		// The certificate names the proxy, not the host id.
		cfg.InsecureSkipVerify = true
		tc, err := tls.Dial("tcp", c.SNIProxyAddr(), cfg)
		if err != nil {
			return err
		}
		defer tc.Close()
		// An OPTIONS request answered SUPPORTED proves a node serves it.
		if _, err := tc.Write(wire.AppendFrame(nil, wire.Header{Version: wire.Version, Opcode: wire.OpOptions}, nil)); err != nil {
			return err
		}
		f, err := wire.ReadFrame(bufio.NewReader(tc), wire.MaxFrameLength)
		if err != nil {
			return err
		}
		if f.Header.Opcode != wire.OpSupported {
			t.Errorf("answer %v, want SUPPORTED", f.Header.Opcode)
		}
		return nil
	}
	two := c.Node(2).HostID()
	if err := dial(two); err != nil {
		t.Fatalf("dial node 2 by host id: %v", err)
	}
	if err := dial("0b0e7a1c-0000-4000-8000-000000000000"); err == nil {
		t.Error("a host id no node has was routed")
	}
	if err := c.Node(2).SetDown(true); err != nil {
		t.Fatal(err)
	}
	if err := dial(two); err == nil {
		t.Error("a connection reached a node that is down")
	}
	routed, rejected := c.SNIRoutes()
	if routed[two] != 1 || len(routed) != 1 || rejected != 1 {
		t.Errorf("routed %v, rejected %d; want one connection to node 2 and one refused host id", routed, rejected)
	}
	if st := c.Stats(); st.NodeRequests[1] != 1 || st.NodeRequests[0] != 0 {
		t.Errorf("requests by node %v, want the one OPTIONS on node 2", st.NodeRequests)
	}
}

func TestSNIProxyMetadataService(t *testing.T) {
	certs, err := NewTestCertificates(3)
	if err != nil {
		t.Fatal(err)
	}
	c := NewCluster(t, WithNodes(3), WithPlacement(3, "dc2", "rack1"), WithSNIProxy(certs.ServerConfig(true)))
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: certs.ClientConfig()}}
	_, port, _ := net.SplitHostPort(c.MetadataAddr())
	resp, err := client.Get("https://" + net.JoinHostPort(SNIProxyHost, port) + "/metadata")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var md struct {
		Version     int `json:"version"`
		ContactInfo struct {
			Type            string   `json:"type"`
			LocalDC         string   `json:"local_dc"`
			ContactPoints   []string `json:"contact_points"`
			SNIProxyAddress string   `json:"sni_proxy_address"`
		} `json:"contact_info"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&md); err != nil {
		t.Fatal(err)
	}
	_, proxyPort, _ := net.SplitHostPort(c.SNIProxyAddr())
	ci := md.ContactInfo
	want := []string{c.Node(1).HostID(), c.Node(2).HostID()}
	if md.Version != 1 || ci.Type != "sni_proxy" || ci.LocalDC != "datacenter1" ||
		ci.SNIProxyAddress != net.JoinHostPort(SNIProxyHost, proxyPort) || !slices.Equal(ci.ContactPoints, want) {
		t.Errorf("metadata %+v; want the proxy's address and the host ids of datacenter1 %v", md, want)
	}

	// Without the client certificate the service does not answer.
	anon := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: certs.CA}}}
	if resp, err := anon.Get("https://" + net.JoinHostPort(SNIProxyHost, port) + "/metadata"); err == nil {
		resp.Body.Close()
		t.Error("the metadata service answered a client without a certificate")
	}
}

func TestWriteSecureConnectBundle(t *testing.T) {
	certs, err := NewTestCertificates(1)
	if err != nil {
		t.Fatal(err)
	}
	plain := NewCluster(t)
	path := filepath.Join(t.TempDir(), "bundle.zip")
	if err := plain.WriteSecureConnectBundle(path, certs, "app"); err == nil {
		t.Error("wrote a bundle for a cluster without an SNI proxy")
	}
	c := NewCluster(t, WithSNIProxy(certs.ServerConfig(true)))
	if err := c.WriteSecureConnectBundle(path, certs, "app"); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], err = io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	var cfg struct {
		Host     string `json:"host"`
		Port     int    `json:"port"`
		CQLPort  int    `json:"cql_port"`
		Keyspace string `json:"keyspace"`
	}
	if err := json.Unmarshal(files["config.json"], &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Host != SNIProxyHost || net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.Port)) != c.MetadataAddr() ||
		net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.CQLPort)) != c.SNIProxyAddr() || cfg.Keyspace != "app" {
		t.Errorf("config.json %+v; want the metadata service at %s and the proxy at %s", cfg, c.MetadataAddr(), c.SNIProxyAddr())
	}
	if string(files["ca.crt"]) != string(certs.CAPEM) || string(files["cert"]) != string(certs.ClientCertPEM) || string(files["key"]) != string(certs.ClientKeyPEM) {
		t.Error("ca.crt, cert and key are not the test certificates")
	}
}
