package cluster

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	"github.com/cqltrack/cqltrack/engine/config"
)

// tlsConfig builds the client TLS configuration from cassandra.ssl: the CA
// bundle (the system roots when none), the client certificate and key for
// mutual TLS, and host name verification unless verify is false. Files are
// read here, before any connection, so a bad path is an input error naming
// the key rather than a handshake failure.
func tlsConfig(cfg *config.Config) (*tls.Config, error) {
	ssl := cfg.Cassandra.SSL
	// at names the key as the user wrote it: a file position or variable.
	at := func(key string) string {
		if where := cfg.At(key); where != "" {
			return where + ": " + key
		}
		return key
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: ssl.ServerName}
	if ssl.CACerts != "" {
		pem, err := os.ReadFile(ssl.CACerts)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", config.ErrInvalid, at("cassandra.ssl.ca_certs"), err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: %s: no PEM certificate in %s", config.ErrInvalid, at("cassandra.ssl.ca_certs"), ssl.CACerts)
		}
		tc.RootCAs = pool
	}
	switch {
	case ssl.CertFile != "" && ssl.KeyFile != "":
		cert, err := tls.LoadX509KeyPair(ssl.CertFile, ssl.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("%w: %s / %s: %w", config.ErrInvalid, at("cassandra.ssl.certfile"), at("cassandra.ssl.keyfile"), err)
		}
		tc.Certificates = []tls.Certificate{cert}
	case ssl.CertFile != "" || ssl.KeyFile != "":
		return nil, fmt.Errorf("%w: cassandra.ssl: certfile and keyfile go together (mutual TLS needs both)", config.ErrInvalid)
	}
	tc.InsecureSkipVerify = !ssl.Verify
	return tc, nil
}
