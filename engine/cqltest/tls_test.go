package cqltest

import (
	"crypto/tls"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
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
