package cluster

import (
	"archive/zip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cqltrack/cqltrack/engine/config"
)

// Bundle is an Astra DB secure connect bundle, read by ReadBundle: where
// the database's metadata service is, and the certificates that reach it.
type Bundle struct {
	// Path is the zip file the bundle was read from.
	Path string
	// Host and Port locate the metadata service (config.json's host and
	// port); the CQL endpoint is learnt from it.
	Host string
	Port int
	// CQLPort is config.json's cql_port, the SNI proxy's port Astra
	// advertised when the bundle was made; the metadata service's answer
	// takes precedence.
	CQLPort int
	// Keyspace is the keyspace the database was created with, and LocalDC
	// its data centre, both as config.json gives them ("" when absent).
	Keyspace string
	LocalDC  string

	// roots trusts ca.crt only; cert is the client certificate (cert, key)
	// every connection presents: Astra requires mutual TLS.
	roots *x509.CertPool
	cert  tls.Certificate
}

// bundleFiles are the members of a bundle cqltrack reads; Astra's bundles
// also carry Java key stores, which it does not need.
var bundleFiles = []string{"config.json", "ca.crt", "cert", "key"}

// maxBundleMember bounds what is read from one member of the zip: real
// members are a few kilobytes.
const maxBundleMember = 1 << 20

// ReadBundle reads an Astra DB secure connect bundle as Astra ships it: a
// zip holding config.json (host, port, cql_port, keyspace, localDC), ca.crt,
// and the client certificate and key as cert and key (PEM). Problems with
// the file are errors wrapping config.ErrInvalid that name it.
func ReadBundle(path string) (*Bundle, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: cassandra.secure_connect_bundle %s: %s", config.ErrInvalid, path, fmt.Sprintf(format, args...))
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, bad("%v\nhint: download the bundle of your database from the Astra portal (Connect > Drivers) and give its path", err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		for _, name := range bundleFiles {
			if f.Name != name {
				continue
			}
			r, err := f.Open()
			if err != nil {
				return nil, bad("read %s: %v", name, err)
			}
			data, err := io.ReadAll(io.LimitReader(r, maxBundleMember))
			r.Close()
			if err != nil {
				return nil, bad("read %s: %v", name, err)
			}
			files[name] = data
		}
	}
	for _, name := range bundleFiles {
		if _, ok := files[name]; !ok {
			return nil, bad("no %s in the zip; is it a secure connect bundle?", name)
		}
	}
	var cj struct {
		Host     string `json:"host"`
		Port     int    `json:"port"`
		CQLPort  int    `json:"cql_port"`
		Keyspace string `json:"keyspace"`
		LocalDC  string `json:"localDC"`
	}
	if err := json.Unmarshal(files["config.json"], &cj); err != nil {
		return nil, bad("config.json: %v", err)
	}
	if cj.Host == "" || cj.Port <= 0 || cj.Port > 65535 {
		return nil, bad("config.json names no metadata service (host %q, port %d)", cj.Host, cj.Port)
	}
	b := &Bundle{Path: path, Host: cj.Host, Port: cj.Port, CQLPort: cj.CQLPort, Keyspace: cj.Keyspace, LocalDC: cj.LocalDC,
		roots: x509.NewCertPool()}
	if !b.roots.AppendCertsFromPEM(files["ca.crt"]) {
		return nil, bad("ca.crt holds no PEM certificate")
	}
	if b.cert, err = tls.X509KeyPair(files["cert"], files["key"]); err != nil {
		return nil, bad("cert and key: %v", err)
	}
	return b, nil
}

// metadataURL is where the drivers ask for the database's contact points.
func (b *Bundle) metadataURL() string {
	return "https://" + net.JoinHostPort(b.Host, strconv.Itoa(b.Port)) + "/metadata"
}

// contactInfo is the part of the metadata service's answer the drivers
// use: the SNI proxy to dial, the host ids to ask it for, the data centre.
type contactInfo struct {
	Type            string   `json:"type"`
	LocalDC         string   `json:"local_dc"`
	ContactPoints   []string `json:"contact_points"`
	SNIProxyAddress string   `json:"sni_proxy_address"`
}

// fetchContactInfo asks the bundle's metadata service for the contact
// points, over mutual TLS with the bundle's certificates, as the DataStax
// drivers do before they open any CQL connection.
func (b *Bundle) fetchContactInfo(ctx context.Context, timeout time.Duration) (*contactInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: b.roots, Certificates: []tls.Certificate{b.cert}},
		},
		// The client certificate is for this service only: a redirect
		// elsewhere is answered as the error it is, not followed.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()
	url := b.metadataURL()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, http.NoBody)
	if err != nil {
		return nil, fmt.Errorf("ask the metadata service %s: %w", url, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ask the metadata service %s: %w", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBundleMember))
	if err != nil {
		return nil, fmt.Errorf("read the answer of the metadata service %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("metadata service %s answered %s", url, resp.Status)
	}
	var md struct {
		ContactInfo contactInfo `json:"contact_info"`
	}
	if err := json.Unmarshal(body, &md); err != nil {
		return nil, fmt.Errorf("metadata service %s: %w", url, err)
	}
	ci := &md.ContactInfo
	if ci.SNIProxyAddress == "" || len(ci.ContactPoints) == 0 {
		return nil, fmt.Errorf("metadata service %s listed no SNI proxy or no contact points", url)
	}
	if _, _, err := net.SplitHostPort(ci.SNIProxyAddress); err != nil {
		return nil, fmt.Errorf("metadata service %s: sni_proxy_address %q: %w", url, ci.SNIProxyAddress, err)
	}
	return ci, nil
}

// maxContactPoints bounds the placeholders of contactHosts (0.0.0.1 to
// 0.0.0.254); Astra lists a handful of nodes.
const maxContactPoints = 254

// contactHosts are the driver's contact points for an SNI proxy: the
// driver wants addresses, the proxy wants host ids, so contact point i is
// the placeholder address 0.0.0.i that sniDialer maps back to the i-th host
// id. Nodes the driver discovers later carry their host id themselves.
func contactHosts(ci *contactInfo) []string {
	n := min(len(ci.ContactPoints), maxContactPoints)
	hosts := make([]string, n)
	for i := range n {
		hosts[i] = net.IPv4(0, 0, 0, byte(i+1)).String()
	}
	return hosts
}

// sniDialer reaches every node of an Astra database through its SNI proxy:
// one TCP address for all nodes, the node chosen by the TLS server name,
// which is the node's host id. The proxy's certificate is verified against
// the proxy's host name (the server name is not a DNS name), as the Java
// driver's SniSslEngineFactory does.
type sniDialer struct {
	proxy     string // host:port
	proxyHost string
	contacts  []string // host ids, for the placeholder contact points
	roots     *x509.CertPool
	cert      tls.Certificate
	dialer    net.Dialer
}

func newSNIDialer(b *Bundle, ci *contactInfo, connectTimeout time.Duration) *sniDialer {
	host, _, _ := net.SplitHostPort(ci.SNIProxyAddress)
	return &sniDialer{
		proxy: ci.SNIProxyAddress, proxyHost: host, contacts: ci.ContactPoints,
		roots: b.roots, cert: b.cert, dialer: net.Dialer{Timeout: connectTimeout},
	}
}

// DialHost implements gocql.HostDialer.
func (d *sniDialer) DialHost(ctx context.Context, host *gocql.HostInfo) (*gocql.DialedHost, error) {
	id := host.HostID()
	if id == "" {
		ip := host.ConnectAddress().To4()
		if ip == nil || ip[0] != 0 || ip[1] != 0 || ip[2] != 0 || int(ip[3]) < 1 || int(ip[3]) > len(d.contacts) {
			return nil, fmt.Errorf("astra: no host id for %s", host.ConnectAddress())
		}
		id = d.contacts[ip[3]-1]
	}
	nc, err := d.dialer.DialContext(ctx, "tcp", d.proxy)
	if err != nil {
		return nil, fmt.Errorf("dial the Astra SNI proxy %s: %w", d.proxy, err)
	}
	tc := tls.Client(nc, d.tlsConfig(id))
	if err := tc.HandshakeContext(ctx); err != nil {
		nc.Close()
		return nil, fmt.Errorf("TLS with Astra node %s through %s: %w", id, d.proxy, err)
	}
	// A tls.Conn does not support writev: the driver must not coalesce.
	return &gocql.DialedHost{Conn: tc, DisableCoalesce: true}, nil
}

// tlsConfig asks the proxy for node id and checks the proxy's certificate
// chain against the bundle's CA and its name against the proxy's host.
func (d *sniDialer) tlsConfig(id string) *tls.Config {
	return &tls.Config{
		MinVersion:   tls.VersionTLS12,
		ServerName:   id,
		Certificates: []tls.Certificate{d.cert},
		RootCAs:      d.roots,
		// The standard check would compare the certificate with the host
		// id; VerifyConnection below does the real check instead.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("the SNI proxy sent no certificate")
			}
			opts := x509.VerifyOptions{Roots: d.roots, DNSName: d.proxyHost, Intermediates: x509.NewCertPool()}
			for _, c := range cs.PeerCertificates[1:] {
				opts.Intermediates.AddCert(c)
			}
			_, err := cs.PeerCertificates[0].Verify(opts)
			return err
		},
	}
}

// astraWriteConsistencies are the consistency levels Astra DB refuses for
// writes; cqltrack writes its history and lock at the session's
// consistency, so a bundle raises them to LOCAL_QUORUM.
var astraWriteConsistencies = map[gocql.Consistency]bool{gocql.Any: true, gocql.One: true, gocql.LocalOne: true}

// astraTokenUser is the user name Astra expects with an application token
// (AstraCS:...) as the password.
const astraTokenUser = "token"

// ErrKeyspacesUnsupported marks a cluster that is Amazon Keyspaces, which
// cqltrack refuses: it errors wrap config.ErrInvalid too (exit code 2).
var ErrKeyspacesUnsupported = errors.New("amazon keyspaces is not supported")

// keyspacesWhy is what the refusal says, once, for every way it is detected.
const keyspacesWhy = "cqltrack supports Apache Cassandra, DataStax Enterprise and Astra DB, not Amazon Keyspaces: " +
	"its lightweight transactions (the migration lock), schema changes (asynchronous, with no schema_version agreement to wait for) " +
	"and authentication (SigV4 or service-specific credentials) differ from Cassandra's\n" +
	"hint: use a tool built for Keyspaces, or point cqltrack at a Cassandra cluster"

// keyspacesEndpoint reports whether host is an Amazon Keyspaces service
// endpoint: cassandra.<region>.amazonaws.com, cassandra-fips.<region>...,
// the .amazonaws.com.cn endpoints of China, and VPC endpoints
// (vpce-....cassandra.<region>.vpce.amazonaws.com). Port 9142 alone proves
// nothing: it is also Cassandra's usual TLS port.
func keyspacesEndpoint(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if !strings.HasSuffix(host, ".amazonaws.com") && !strings.HasSuffix(host, ".amazonaws.com.cn") {
		return false
	}
	for _, label := range strings.Split(host, ".") {
		if label == "cassandra" || label == "cassandra-fips" {
			return true
		}
	}
	return false
}

// keyspacesPartitioner is the partitioner Amazon Keyspaces reports in
// system.local, next to cluster_name "Amazon Keyspaces".
const keyspacesPartitionerPrefix = "com.amazonaws.cassandra."

// keyspacesCluster reports whether system.local describes Amazon Keyspaces.
func keyspacesCluster(clusterName, partitioner string) bool {
	return strings.EqualFold(clusterName, "Amazon Keyspaces") || strings.HasPrefix(partitioner, keyspacesPartitionerPrefix)
}

// refuseKeyspacesHosts refuses contact points that are Keyspaces endpoints
// before anything is sent to them (the credentials included).
func refuseKeyspacesHosts(hosts []string) error {
	for _, h := range hosts {
		if keyspacesEndpoint(h) {
			return fmt.Errorf("%w: %w: cassandra.contact_points: %s is an Amazon Keyspaces endpoint; %s",
				config.ErrInvalid, ErrKeyspacesUnsupported, h, keyspacesWhy)
		}
	}
	return nil
}
