package cqltest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

// TestCertificates is a throw-away certificate authority with a server
// certificate valid for the nodes' addresses and a client certificate, for
// TLS and mutual-TLS tests. Never use it outside tests.
type TestCertificates struct {
	// CAPEM is the CA certificate; CA is the same as a pool.
	CAPEM []byte
	CA    *x509.CertPool
	// Server is presented by every node.
	Server tls.Certificate
	// Client is what a client presents for mutual TLS; ClientCertPEM and
	// ClientKeyPEM are the same as PEM for tools that read files.
	Client        tls.Certificate
	ClientCertPEM []byte
	ClientKeyPEM  []byte

	caCert *x509.Certificate
	caKey  *ecdsa.PrivateKey
	serial atomic.Int64
}

// NewTestCertificates creates a CA, a server certificate for 127.0.0.1 to
// 127.0.0.nodes (and "localhost"), and a client certificate, valid for a day.
func NewTestCertificates(nodes int) (*TestCertificates, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate CA key: %w", err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "cqltest CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("create CA certificate: %w", err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, fmt.Errorf("parse CA certificate: %w", err)
	}
	tc := &TestCertificates{CAPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), CA: x509.NewCertPool(),
		caCert: caCert, caKey: caKey}
	tc.serial.Store(1)
	tc.CA.AddCert(caCert)

	var ips []net.IP
	for i := 1; i <= nodes; i++ {
		ips = append(ips, net.IPv4(127, 0, 0, byte(i)))
	}
	if tc.Server, _, _, err = tc.leaf("cqltest node", x509.ExtKeyUsageServerAuth, now.Add(-time.Hour), now.Add(24*time.Hour), ips, []string{"localhost"}); err != nil {
		return nil, fmt.Errorf("create server certificate: %w", err)
	}
	if tc.Client, tc.ClientCertPEM, tc.ClientKeyPEM, err = tc.leaf("cqltest client", x509.ExtKeyUsageClientAuth, now.Add(-time.Hour), now.Add(24*time.Hour), nil, nil); err != nil {
		return nil, fmt.Errorf("create client certificate: %w", err)
	}
	return tc, nil
}

// IssueServer issues another server certificate from the CA, valid from
// notBefore to notAfter for hosts (IP addresses or DNS names): one that has
// expired, or one for names the nodes do not have, for tests of what a
// client says about it. Put it in ServerConfig's Certificates.
func (tc *TestCertificates) IssueServer(notBefore, notAfter time.Time, hosts ...string) (tls.Certificate, error) {
	var ips []net.IP
	var dns []string
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			ips = append(ips, ip)
		} else {
			dns = append(dns, h)
		}
	}
	cert, _, _, err := tc.leaf("cqltest node", x509.ExtKeyUsageServerAuth, notBefore, notAfter, ips, dns)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("issue server certificate: %w", err)
	}
	return cert, nil
}

// leaf issues a certificate signed by the CA and returns it with its PEM
// encoding and that of its key.
func (tc *TestCertificates) leaf(cn string, usage x509.ExtKeyUsage, notBefore, notAfter time.Time, ips []net.IP, dns []string) (tls.Certificate, []byte, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(tc.serial.Add(1)), Subject: pkix.Name{CommonName: cn},
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
		IPAddresses: ips, DNSNames: dns,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tc.caCert, &key.PublicKey, tc.caKey)
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	return cert, certPEM, keyPEM, err
}

// ServerConfig is the TLS configuration for WithTLS; with requireClientCert
// the nodes demand a client certificate signed by the CA (mutual TLS).
func (tc *TestCertificates) ServerConfig(requireClientCert bool) *tls.Config {
	cfg := &tls.Config{Certificates: []tls.Certificate{tc.Server}, MinVersion: tls.VersionTLS12}
	if requireClientCert {
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
		cfg.ClientCAs = tc.CA
	}
	return cfg
}

// ClientConfig trusts the CA and presents the client certificate.
func (tc *TestCertificates) ClientConfig() *tls.Config {
	return &tls.Config{RootCAs: tc.CA, Certificates: []tls.Certificate{tc.Client}, MinVersion: tls.VersionTLS12}
}

// WriteFiles writes ca.pem, client.pem and client-key.pem into dir, for
// code that takes certificate paths, and returns the three paths.
func (tc *TestCertificates) WriteFiles(dir string) (caPath, certPath, keyPath string, err error) {
	caPath = filepath.Join(dir, "ca.pem")
	certPath = filepath.Join(dir, "client.pem")
	keyPath = filepath.Join(dir, "client-key.pem")
	for path, data := range map[string][]byte{caPath: tc.CAPEM, certPath: tc.ClientCertPEM, keyPath: tc.ClientKeyPEM} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return "", "", "", fmt.Errorf("write test certificates: %w", err)
		}
	}
	return caPath, certPath, keyPath, nil
}
