package cluster

import (
	"errors"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/engine/config"
)

func TestTLSHint(t *testing.T) {
	withCert := config.SSL{Enabled: true, CertFile: "c.pem", KeyFile: "k.pem"}
	tests := []struct {
		msg  string
		ssl  config.SSL
		want string
	}{
		{"x509: certificate signed by unknown authority", withCert, "set cassandra.ssl.ca_certs"},
		{"x509: certificate has expired or is not yet valid: current time", withCert, "renew it"},
		{"x509: certificate is valid for db1, not 10.0.0.1", withCert, "cassandra.ssl.server_name"},
		{"x509: cannot validate certificate for 10.0.0.1 because it doesn't contain any IP SANs", withCert, "cassandra.ssl.server_name"},
		{"remote error: tls: certificate required", config.SSL{Enabled: true}, "requires a client certificate"},
		// TLS 1.2 (a Java server): no client certificate is a "bad certificate".
		{"remote error: tls: bad certificate", config.SSL{Enabled: true}, "requires a client certificate"},
		{"remote error: tls: handshake failure", config.SSL{Enabled: true}, "requires a client certificate"},
		{"remote error: tls: bad certificate", withCert, "refused the client certificate"},
		{"remote error: tls: unknown certificate authority", withCert, "refused the client certificate"},
		{"tls: first record does not look like a TLS handshake", withCert, "does not speak TLS"},
		{"tls: something new", withCert, "check cassandra.ssl"},
	}
	for _, tt := range tests {
		if got := tlsHint(tt.msg, tt.ssl); !strings.Contains(got, tt.want) {
			t.Errorf("tlsHint(%q) = %q, want it to say %q", tt.msg, got, tt.want)
		}
	}
}

func TestConnectErrorHints(t *testing.T) {
	plain := config.Default()
	tlsOn := config.Default()
	tlsOn.Cassandra.SSL.Enabled = true
	astra := config.Default()
	astra.Cassandra.SecureConnectBundle = "scb.zip"
	astra.Cassandra.Auth.Password = "AstraCS:x:1"
	tests := []struct {
		name string
		cfg  *config.Config
		err  string
		want []string
	}{
		{"plain client hung up on", plain, "gocql: unable to create session: unable to discover protocol version: EOF",
			[]string{"closed the connection without answering: EOF", "set cassandra.ssl.enabled"}},
		{"TLS client hung up on", tlsOn, "EOF", []string{"no contact point answered"}},
		{"Astra proxy certificate", astra, "TLS with Astra node 1f0c through db:29042: tls: failed to verify certificate: x509: certificate signed by unknown authority",
			[]string{"TLS with the Astra SNI proxy failed", "download its current secure connect bundle"}},
		{"Astra token", astra, "Provided username token and/or password are incorrect",
			[]string{`user "token"`, "application token (AstraCS:...)"}},
	}
	for _, tt := range tests {
		got := connectError(tt.cfg, "h:9042", errors.New(tt.err)).Error()
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q does not say %q", tt.name, got, w)
			}
		}
		if strings.Contains(got, "AstraCS:x:1") {
			t.Errorf("%s: %q shows the token", tt.name, got)
		}
	}
}
