package cqltest

import (
	"archive/zip"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"
)

// SNIProxyHost is the host name the SNI proxy and the metadata service are
// known by in the bundles WriteSecureConnectBundle writes: a name, not an
// address, because Astra's drivers verify the proxy's certificate against
// the name while the TLS server name they send is a host id. The
// certificates of NewTestCertificates are valid for it.
const SNIProxyHost = "localhost"

// WithSNIProxy puts the cluster behind one TLS endpoint that routes each
// connection by its TLS server name, the way Astra DB serves CQL: a client
// asks for a node by sending the node's host_id as the SNI server name, the
// proxy terminates TLS with cfg (set cfg.ClientAuth for the mutual TLS
// Astra requires) and hands the connection to that node. A server name
// that is no node's host id, or a node that is down, fails the handshake.
//
// Next to it an HTTPS metadata service, also served with cfg, answers GET
// /metadata with what Astra's metadata service returns and what the
// drivers read from it: contact_info with the proxy's address
// (sni_proxy_address), the local data centre and the host ids of its
// nodes as contact points. WriteSecureConnectBundle writes a bundle that
// points at both.
//
// The nodes keep their own listeners (plain, or TLS with WithTLS), so a
// client that ignores the proxy and dials a node's address is not routed.
func WithSNIProxy(cfg *tls.Config) Option { return func(c *config) { c.sni = cfg } }

// sniProxy is the routing endpoint and the metadata service of WithSNIProxy.
type sniProxy struct {
	cluster  *Cluster
	listener net.Listener
	meta     *http.Server
	metaAddr string
	wg       sync.WaitGroup

	mu       sync.Mutex
	routed   map[string]int
	rejected int
}

// startSNIProxy listens for CQL and metadata requests on 127.0.0.1, each on
// a port of its own.
func (c *Cluster) startSNIProxy() error {
	p := &sniProxy{cluster: c, routed: map[string]int{}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen for the SNI proxy: %w", err)
	}
	cfg := c.cfg.sni.Clone()
	base := c.cfg.sni
	cfg.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		if c.nodeByHostID(hello.ServerName) == nil {
			p.reject()
			return nil, fmt.Errorf("no node with host id %q", hello.ServerName)
		}
		if base.GetConfigForClient != nil {
			return base.GetConfigForClient(hello)
		}
		return nil, nil
	}
	p.listener = l
	ml, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		l.Close()
		return fmt.Errorf("listen for the metadata service: %w", err)
	}
	p.metaAddr = ml.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metadata", p.metadata)
	// Handshakes that clients abandon are the tests' business, not log
	// lines on their output.
	p.meta = &http.Server{Handler: mux, TLSConfig: c.cfg.sni.Clone(), ReadHeaderTimeout: 5 * time.Second,
		ErrorLog: log.New(io.Discard, "", 0)}
	p.wg.Add(2)
	go func() {
		defer p.wg.Done()
		_ = p.meta.ServeTLS(ml, "", "")
	}()
	go func() {
		defer p.wg.Done()
		for {
			nc, err := l.Accept()
			if err != nil {
				return
			}
			go p.route(tls.Server(nc, cfg))
		}
	}()
	c.sni = p
	return nil
}

// route finishes the handshake and gives the connection to the node whose
// host id the client sent as its server name.
func (p *sniProxy) route(tc *tls.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := tc.HandshakeContext(ctx); err != nil {
		tc.Close()
		return
	}
	id := tc.ConnectionState().ServerName
	n := p.cluster.nodeByHostID(id)
	if n == nil || !n.adopt(tc) {
		tc.Close()
		return
	}
	p.mu.Lock()
	p.routed[id]++
	p.mu.Unlock()
}

func (p *sniProxy) reject() {
	p.mu.Lock()
	p.rejected++
	p.mu.Unlock()
}

// metadata answers as Astra's metadata service does (version 1).
func (p *sniProxy) metadata(w http.ResponseWriter, _ *http.Request) {
	c := p.cluster
	dc := c.placement(1).DataCenter
	var ids []string
	for _, n := range c.nodes {
		if n.placement.DataCenter == dc {
			ids = append(ids, n.HostID())
		}
	}
	_, port, _ := net.SplitHostPort(p.listener.Addr().String())
	body := map[string]any{
		"version": 1,
		"region":  "local",
		"contact_info": map[string]any{
			"type":              "sni_proxy",
			"local_dc":          dc,
			"contact_points":    ids,
			"sni_proxy_address": net.JoinHostPort(SNIProxyHost, port),
		},
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

func (p *sniProxy) close() {
	p.listener.Close()
	_ = p.meta.Close()
	p.wg.Wait()
}

// adopt serves nc as a client connection of the node, as if the node had
// accepted it; it reports false when the node is down or the cluster closed.
func (n *Node) adopt(nc net.Conn) bool {
	c := newConn(n, nc)
	n.mu.Lock()
	// Checked under n.mu: Close marks the cluster closed before it closes
	// each node's connections under the same lock, so none slips past it.
	closed := false
	select {
	case <-n.cluster.closed:
		closed = true
	default:
	}
	if n.down || closed {
		n.mu.Unlock()
		return false
	}
	n.conns[c] = struct{}{}
	n.mu.Unlock()
	n.cluster.stats.connection()
	go c.serve()
	return true
}

func (c *Cluster) nodeByHostID(id string) *Node {
	for _, n := range c.nodes {
		if n.HostID() == id {
			return n
		}
	}
	return nil
}

// SNIProxyAddr returns the host:port of the SNI proxy (on 127.0.0.1), or ""
// without WithSNIProxy.
func (c *Cluster) SNIProxyAddr() string {
	if c.sni == nil {
		return ""
	}
	return c.sni.listener.Addr().String()
}

// MetadataAddr returns the host:port of the HTTPS metadata service (on
// 127.0.0.1), or "" without WithSNIProxy.
func (c *Cluster) MetadataAddr() string {
	if c.sni == nil {
		return ""
	}
	return c.sni.metaAddr
}

// SNIRoutes returns how many connections the SNI proxy handed to each node,
// by host id, and how many it refused because their server name was no
// node's host id.
func (c *Cluster) SNIRoutes() (routed map[string]int, rejected int) {
	routed = map[string]int{}
	if c.sni == nil {
		return routed, 0
	}
	c.sni.mu.Lock()
	defer c.sni.mu.Unlock()
	for k, v := range c.sni.routed {
		routed[k] = v
	}
	return routed, c.sni.rejected
}

// WriteSecureConnectBundle writes to path a secure connect bundle for the
// cluster, laid out as Astra DB ships one: a zip holding config.json (host
// and port of the metadata service, cql_port of the SNI proxy, keyspace,
// localDC and the file names), ca.crt, and the client certificate and key
// as cert and key (PEM). Astra's bundles also hold Java key stores
// (identity.jks, trustStore.jks); this one does not, as Go and Python
// clients read the PEM files. The cluster must run WithSNIProxy with a
// configuration made from certs.
func (c *Cluster) WriteSecureConnectBundle(path string, certs *TestCertificates, keyspace string) error {
	if c.sni == nil {
		return errors.New("write secure connect bundle: the cluster has no SNI proxy (start it WithSNIProxy)")
	}
	_, metaPort, _ := net.SplitHostPort(c.sni.metaAddr)
	_, cqlPort, _ := net.SplitHostPort(c.sni.listener.Addr().String())
	mp, _ := strconv.Atoi(metaPort)
	cp, _ := strconv.Atoi(cqlPort)
	cfg, err := json.MarshalIndent(map[string]any{
		"host":           SNIProxyHost,
		"port":           mp,
		"cql_port":       cp,
		"keyspace":       keyspace,
		"localDC":        c.placement(1).DataCenter,
		"caCertLocation": "./ca.crt",
		"keyLocation":    "./key",
		"certLocation":   "./cert",
	}, "", "  ")
	if err != nil {
		return fmt.Errorf("write secure connect bundle: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("write secure connect bundle: %w", err)
	}
	zw := zip.NewWriter(f)
	for _, e := range []struct {
		name string
		data []byte
	}{{"config.json", cfg}, {"ca.crt", certs.CAPEM}, {"cert", certs.ClientCertPEM}, {"key", certs.ClientKeyPEM}} {
		w, err := zw.Create(e.name)
		if err == nil {
			_, err = w.Write(e.data)
		}
		if err != nil {
			f.Close()
			return fmt.Errorf("write secure connect bundle %s: %w", e.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return fmt.Errorf("write secure connect bundle: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write secure connect bundle: %w", err)
	}
	return nil
}
