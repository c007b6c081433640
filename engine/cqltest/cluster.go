// Package cqltest is an in-process stand-in for an Apache Cassandra cluster,
// for tests, as net/http/httptest is for HTTP servers.
//
// Start (or NewCluster in a test) listens on 127.0.0.1, 127.0.0.2, ... (one
// simulated node per address, all on one port) and speaks native protocol v4
// to any driver: gocql with an ordinary ClusterConfig connects to it,
// discovers every node and its token ring from system.local and
// system.peers(_v2), reads schema metadata from system_schema, prepares,
// executes, pages and waits for schema agreement.
//
// Each node keeps its own copy of the schema (engine/schema) and reports its
// own schema_version; a schema change reaches the other nodes after a
// configurable delay, or never for a node told not to agree. Row data lives
// in one shared store (engine/cqltest/store) with lightweight transactions
// and TTL against a clock the test controls. Faults (errors, delays, dropped
// or stalled connections, pauses) are injected per statement, and request
// counters let tests assert how many round trips a client made.
//
// Nodes serve plain CQL, or TLS with WithTLS (NewTestCertificates makes
// throw-away certificates, mutual TLS included); WithSNIProxy puts them
// behind one TLS endpoint that routes by host id with a metadata service,
// as Astra DB does, and WriteSecureConnectBundle writes the bundle a client
// connects with.
//
// It is a test stand-in, not a database: see docs/testing.md for what it
// covers and what it does not.
package cqltest

import (
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine/schema"
)

// ErrUnsupportedRelease is returned by Start for a release version the
// stand-in does not model.
var ErrUnsupportedRelease = errors.New("unsupported release")

// DefaultReleaseVersion is the Cassandra release the server reports unless
// told otherwise.
const DefaultReleaseVersion = "5.0.4"

// DefaultClusterName is the cluster_name of system.local, Cassandra's default.
const DefaultClusterName = "Test Cluster"

// Clock tells the server the time. TTL expiry, server-side write timestamps
// and now() read it, so a test that advances a manual clock sees TTLs
// expire without sleeping.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Placement is the data centre and rack of a node.
type Placement struct {
	DataCenter string
	Rack       string
}

type config struct {
	nodes       int
	port        int
	placements  map[int]Placement
	username    string
	password    string
	tls         *tls.Config
	sni         *tls.Config
	release     string
	clusterName string
	schemaDelay time.Duration
	clock       Clock
	numTokens   int
	views       *bool
	triggers    map[string]bool // loadable trigger classes; nil: none
}

// Option configures a cluster at Start.
type Option func(*config)

// WithNodes sets the number of nodes (default 1). Node i (from 1) listens on
// 127.0.0.i.
func WithNodes(n int) Option { return func(c *config) { c.nodes = n } }

// WithPort sets the port every node listens on (default: a free port chosen
// at start). The sandbox uses 9042.
func WithPort(port int) Option { return func(c *config) { c.port = port } }

// WithPlacement puts node i (from 1) in a data centre and rack. Nodes
// default to datacenter1 / rack1, Cassandra's defaults.
func WithPlacement(node int, dc, rack string) Option {
	return func(c *config) { c.placements[node] = Placement{DataCenter: dc, Rack: rack} }
}

// WithCredentials turns on PasswordAuthenticator: clients must log in with
// SASL PLAIN as this user, and system_auth.roles lists the role.
func WithCredentials(username, password string) Option {
	return func(c *config) { c.username, c.password = username, password }
}

// WithTLS serves every node over TLS with cfg. Set cfg.ClientAuth to
// tls.RequireAndVerifyClientCert (with ClientCAs) for mutual TLS.
func WithTLS(cfg *tls.Config) Option { return func(c *config) { c.tls = cfg } }

// WithReleaseVersion sets the Cassandra release the nodes report and model
// ("3.11.17", "4.0.13", "4.1.7", "5.0.4"): system.local.release_version,
// the system_schema layout and the table option defaults. 3.11 has no
// system.peers_v2.
func WithReleaseVersion(v string) Option { return func(c *config) { c.release = v } }

// WithClusterName sets system.local.cluster_name.
func WithClusterName(name string) Option { return func(c *config) { c.clusterName = name } }

// WithSchemaDelay makes a schema change reach the nodes other than its
// coordinator only after d, so that clients must wait for schema agreement.
func WithSchemaDelay(d time.Duration) Option { return func(c *config) { c.schemaDelay = d } }

// WithClock sets the clock the server reads (default: the system clock).
func WithClock(clk Clock) Option { return func(c *config) { c.clock = clk } }

// WithNumTokens sets the number of tokens each node owns (default 16, the
// num_tokens default of Cassandra 4.0 and later).
func WithNumTokens(n int) Option { return func(c *config) { c.numTokens = n } }

// WithTriggerClasses names the trigger classes the nodes can load, as
// jars in a real node's triggers directory would. By default there are
// none, as on a fresh install: CREATE TRIGGER fails with "Trigger class
// '...' couldn't be loaded".
func WithTriggerClasses(classes ...string) Option {
	return func(c *config) {
		c.triggers = map[string]bool{}
		for _, cl := range classes {
			c.triggers[cl] = true
		}
	}
}

// WithMaterializedViews sets cassandra.yaml's materialized_views_enabled.
// Like Cassandra, the stand-in refuses CREATE MATERIALIZED VIEW by default
// from 4.0 on and allows it on 3.11.
func WithMaterializedViews(enabled bool) Option {
	return func(c *config) { c.views = &enabled }
}

// Cluster is a running simulated cluster.
type Cluster struct {
	cfg     config
	version schema.Version
	nodes   []*Node
	data    *dataStore
	auth    *authenticator
	roles   *roleRegistry

	// ddlMu serialises schema changes across the cluster, as Cassandra's
	// schema updates are serialised per node.
	ddlMu sync.Mutex
	// schemaSeq numbers schema snapshots so that a node never replaces a
	// newer schema by an older delivery.
	schemaSeq uint64
	// latest is the newest schema, for nodes that catch up.
	latest schemaState

	faults faultSet
	stats  statsCounter
	// sni is the SNI proxy and metadata service of WithSNIProxy, or nil.
	sni *sniProxy

	closeOnce sync.Once
	closed    chan struct{}
	timers    sync.WaitGroup
}

// Start starts a cluster and returns once every node accepts connections.
func Start(opts ...Option) (*Cluster, error) {
	cfg := config{nodes: 1, placements: map[int]Placement{}, release: DefaultReleaseVersion,
		clusterName: DefaultClusterName, clock: systemClock{}, numTokens: 16}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.nodes < 1 || cfg.nodes > 254 {
		return nil, fmt.Errorf("start cluster: %d nodes, want 1 to 254", cfg.nodes)
	}
	if cfg.numTokens < 1 {
		return nil, fmt.Errorf("start cluster: %d tokens per node, want at least 1", cfg.numTokens)
	}
	line, err := schema.ParseVersion(cfg.release)
	if err != nil {
		return nil, fmt.Errorf("start cluster: %w: %w", ErrUnsupportedRelease, err)
	}
	if cfg.release != line.String() && !strings.HasPrefix(cfg.release, line.String()+".") {
		// ParseVersion maps a release newer than the newest line onto it,
		// as a client must; a stand-in must not claim a release it does
		// not model.
		return nil, fmt.Errorf("start cluster: %w %q: the stand-in models 3.11.x, 4.0.x, 4.1.x and 5.0.x", ErrUnsupportedRelease, cfg.release)
	}
	c := &Cluster{cfg: cfg, version: line, closed: make(chan struct{})}
	c.data = newDataStore(c)
	c.roles = newRoleRegistry(cfg.username, cfg.password)
	c.auth = newAuthenticator(cfg.username, c.roles)
	c.stats.reset(cfg.nodes)

	tokens := allocateTokens(cfg.nodes, cfg.numTokens)
	generation := int32(time.Now().Unix())
	initial := newSchemaState(c.newCatalog(), 0)
	c.latest = initial
	c.data.types.Store(initial.cat)
	for i := 1; i <= cfg.nodes; i++ {
		p := c.placement(i)
		n := &Node{
			cluster: c, index: i, ip: net.IPv4(127, 0, 0, byte(i)).To4(),
			placement: p, hostID: randomUUID(), tokens: tokens[i-1],
			generation: generation, agrees: true, delay: -1, conns: map[*conn]struct{}{},
			prepared: map[string]*preparedStmt{},
		}
		n.setCatalog(initial)
		c.nodes = append(c.nodes, n)
	}
	if err := c.listenAll(); err != nil {
		c.Close()
		return nil, fmt.Errorf("start cluster: %w", err)
	}
	if cfg.sni != nil {
		if err := c.startSNIProxy(); err != nil {
			c.Close()
			return nil, fmt.Errorf("start cluster: %w", err)
		}
	}
	return c, nil
}

// placement returns node i's data centre and rack, with Cassandra's
// defaults (datacenter1, rack1) for what the options left out.
func (c *Cluster) placement(i int) Placement {
	p := c.cfg.placements[i]
	if p.DataCenter == "" {
		p.DataCenter = "datacenter1"
	}
	if p.Rack == "" {
		p.Rack = "rack1"
	}
	return p
}

// NewCluster starts a cluster for a test and closes it when the test ends;
// a failure to start fails the test.
func NewCluster(t testing.TB, opts ...Option) *Cluster {
	t.Helper()
	c, err := Start(opts...)
	if err != nil {
		t.Fatalf("cqltest: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// listenAll binds every node. With no fixed port the first node picks a free
// one and the others take the same; if one of them is busy the whole
// attempt is retried on a new port. Nodes start serving only once every
// address is bound and the port is known.
func (c *Cluster) listenAll() error {
	var lastErr error
	for attempt := 0; attempt < 20; attempt++ {
		port := c.cfg.port
		listeners := make([]net.Listener, 0, len(c.nodes))
		lastErr = nil
		for _, n := range c.nodes {
			l, err := net.Listen("tcp", net.JoinHostPort(n.ip.String(), strconv.Itoa(port)))
			if err != nil {
				lastErr = err
				break
			}
			if port == 0 {
				port = l.Addr().(*net.TCPAddr).Port
			}
			listeners = append(listeners, l)
		}
		if lastErr == nil {
			c.cfg.port = port
			for i, n := range c.nodes {
				n.serve(listeners[i])
			}
			return nil
		}
		for _, l := range listeners {
			l.Close()
		}
		if c.cfg.port != 0 {
			break
		}
	}
	return lastErr
}

// Close stops every node and closes every connection. It is safe to call
// more than once.
func (c *Cluster) Close() {
	c.closeOnce.Do(func() {
		close(c.closed)
		if c.sni != nil {
			c.sni.close()
		}
		for _, n := range c.nodes {
			n.stopListening()
			n.closeConns()
		}
		c.faults.releaseAll()
		c.timers.Wait()
	})
}

// Hosts returns the address of every node ("127.0.0.1", "127.0.0.2", ...),
// down nodes included, for gocql.NewCluster(c.Hosts()...).
func (c *Cluster) Hosts() []string {
	out := make([]string, len(c.nodes))
	for i, n := range c.nodes {
		out[i] = n.ip.String()
	}
	return out
}

// Port returns the port every node listens on.
func (c *Cluster) Port() int { return c.cfg.port }

// Addrs returns host:port of every node.
func (c *Cluster) Addrs() []string {
	out := make([]string, len(c.nodes))
	for i, n := range c.nodes {
		out[i] = n.Addr()
	}
	return out
}

// Node returns node i, counting from 1 as the addresses do.
func (c *Cluster) Node(i int) *Node {
	if i < 1 || i > len(c.nodes) {
		panic(fmt.Sprintf("cqltest: node %d of a %d-node cluster", i, len(c.nodes)))
	}
	return c.nodes[i-1]
}

// Nodes returns all nodes in address order.
func (c *Cluster) Nodes() []*Node { return append([]*Node(nil), c.nodes...) }

// ReleaseVersion returns the release_version the nodes report.
func (c *Cluster) ReleaseVersion() string { return c.cfg.release }

func (c *Cluster) now() time.Time { return c.cfg.clock.Now() }

// after runs f after d unless the cluster closes first.
func (c *Cluster) after(d time.Duration, f func()) {
	c.timers.Add(1)
	go func() {
		defer c.timers.Done()
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			f()
		case <-c.closed:
		}
	}()
}

func randomUUID() [16]byte {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}
