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
func tlsConfig(ssl config.SSL) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: ssl.ServerName}
	if ssl.CACerts != "" {
		pem, err := os.ReadFile(ssl.CACerts)
		if err != nil {
			return nil, fmt.Errorf("%w: cassandra.ssl.ca_certs: %w", config.ErrInvalid, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: cassandra.ssl.ca_certs: no PEM certificate in %s", config.ErrInvalid, ssl.CACerts)
		}
		tc.RootCAs = pool
	}
	switch {
	case ssl.CertFile != "" && ssl.KeyFile != "":
		cert, err := tls.LoadX509KeyPair(ssl.CertFile, ssl.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("%w: cassandra.ssl.certfile/keyfile: %w", config.ErrInvalid, err)
		}
		tc.Certificates = []tls.Certificate{cert}
	case ssl.CertFile != "" || ssl.KeyFile != "":
		return nil, fmt.Errorf("%w: cassandra.ssl: certfile and keyfile go together (mutual TLS needs both)", config.ErrInvalid)
	}
	tc.InsecureSkipVerify = !ssl.Verify
	return tc, nil
}
