package cqltest

import (
	"crypto/md5"
	"crypto/tls"
	"net"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// Node is one simulated Cassandra node: an address, a place in the ring and
// its own view of the schema.
type Node struct {
	cluster    *Cluster
	index      int
	ip         net.IP
	placement  Placement
	hostID     [16]byte
	tokens     []string
	generation int32

	mu            sync.Mutex
	catalog       *schema.Catalog // replaced, never mutated, once published
	schemaSeq     uint64
	schemaVersion [16]byte
	digests       map[string][16]byte // per keyspace, behind schemaVersion
	agrees        bool
	delay         time.Duration // schema delay for this node; <0: the cluster's
	down          bool
	listener      net.Listener
	conns         map[*conn]struct{}
	prepared      map[string]*preparedStmt
	ddl           int
	acceptWG      sync.WaitGroup
}

// Addr returns the node's host:port.
func (n *Node) Addr() string {
	return net.JoinHostPort(n.ip.String(), strconv.Itoa(n.cluster.cfg.port))
}

// IP returns the node's address.
func (n *Node) IP() net.IP { return n.ip }

// HostID returns the node's host_id in its canonical string form.
func (n *Node) HostID() string { return schema.UUID(n.hostID).String() }

// Tokens returns the Murmur3 tokens the node owns, as system.local lists them.
func (n *Node) Tokens() []string { return append([]string(nil), n.tokens...) }

// SchemaVersion returns the node's current schema_version.
func (n *Node) SchemaVersion() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return schema.UUID(n.schemaVersion).String()
}

// Catalog returns a copy of the node's current schema.
func (n *Node) Catalog() *schema.Catalog { return n.currentCatalog().Clone() }

// DDLCount returns how many schema-changing statements this node
// coordinated successfully.
func (n *Node) DDLCount() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.ddl
}

// SetSchemaAgreement cuts the node off from schema exchange, or joins it
// again. A node that does not agree keeps its schema_version while changes
// coordinated elsewhere pass it by, and a change it coordinates itself stays
// with it, so clients waiting for schema agreement time out whichever node
// they used. Turning agreement back on gives the node the cluster's newest
// schema at once (a change it made alone is lost, as the stand-in does not
// merge schemas).
func (n *Node) SetSchemaAgreement(agree bool) {
	n.mu.Lock()
	n.agrees = agree
	n.mu.Unlock()
	if agree {
		n.cluster.syncNode(n, true)
	}
}

// SetSchemaDelay makes schema changes coordinated elsewhere reach this
// node only after d, overriding WithSchemaDelay for it; a negative d goes
// back to the cluster's delay.
func (n *Node) SetSchemaDelay(d time.Duration) {
	n.mu.Lock()
	n.delay = d
	n.mu.Unlock()
}

func (n *Node) schemaDelay() time.Duration {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.delay >= 0 {
		return n.delay
	}
	return n.cluster.cfg.schemaDelay
}

// SetDown stops the node: it refuses connections and drops the ones it had,
// yet stays in the other nodes' system.peers, as a crashed Cassandra node
// does. The other nodes send STATUS_CHANGE DOWN events. SetDown(false)
// brings it back (it catches up with the schema) and announces it UP.
func (n *Node) SetDown(down bool) error {
	n.mu.Lock()
	was := n.down
	n.down = down
	n.mu.Unlock()
	if was == down {
		return nil
	}
	if down {
		n.stopListening()
		n.closeConns()
		n.cluster.broadcastStatus(n, "DOWN")
		return nil
	}
	l, err := net.Listen("tcp", n.Addr())
	if err != nil {
		n.mu.Lock()
		n.down = true
		n.mu.Unlock()
		return err
	}
	n.serve(l)
	n.cluster.syncNode(n, false)
	n.cluster.broadcastStatus(n, "UP")
	return nil
}

// IsDown reports whether the node was stopped with SetDown.
func (n *Node) IsDown() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.down
}

// DropConnections closes every client connection of the node without an
// answer, as a node restart would; the node keeps listening.
func (n *Node) DropConnections() { n.closeConns() }

func (n *Node) currentCatalog() *schema.Catalog {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.catalog
}

// setCatalog publishes cat as the node's schema. Catalogs are shared
// between nodes and never mutated once published: a change is applied to a
// clone. The caller holds no lock.
func (n *Node) setCatalog(st schemaState) {
	n.mu.Lock()
	n.catalog = st.cat
	n.schemaSeq = st.seq
	n.schemaVersion = st.version
	n.digests = st.digests
	n.mu.Unlock()
}

func (n *Node) schemaState() schemaState {
	n.mu.Lock()
	defer n.mu.Unlock()
	return schemaState{cat: n.catalog, seq: n.schemaSeq, version: n.schemaVersion, digests: n.digests}
}

func (n *Node) serve(l net.Listener) {
	if n.cluster.cfg.tls != nil {
		l = tls.NewListener(l, n.cluster.cfg.tls)
	}
	n.mu.Lock()
	n.listener = l
	n.mu.Unlock()
	n.acceptWG.Add(1)
	go func() {
		defer n.acceptWG.Done()
		for {
			nc, err := l.Accept()
			if err != nil {
				return
			}
			c := newConn(n, nc)
			n.mu.Lock()
			if n.down || n.listener != l {
				n.mu.Unlock()
				nc.Close()
				continue
			}
			n.conns[c] = struct{}{}
			n.mu.Unlock()
			n.cluster.stats.connection()
			go c.serve()
		}
	}()
}

func (n *Node) stopListening() {
	n.mu.Lock()
	l := n.listener
	n.listener = nil
	n.mu.Unlock()
	if l != nil {
		l.Close()
		n.acceptWG.Wait()
	}
}

func (n *Node) closeConns() {
	n.mu.Lock()
	conns := make([]*conn, 0, len(n.conns))
	for c := range n.conns {
		conns = append(conns, c)
	}
	n.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
}

func (n *Node) removeConn(c *conn) {
	n.mu.Lock()
	delete(n.conns, c)
	n.mu.Unlock()
}

// sendEvent writes an EVENT to every connection of this node registered for
// the event type.
func (n *Node) sendEvent(kind string, body []byte) {
	n.mu.Lock()
	var targets []*conn
	for c := range n.conns {
		if c.registered(kind) {
			targets = append(targets, c)
		}
	}
	n.mu.Unlock()
	for _, c := range targets {
		c.writeFrame(-1, wire.OpEvent, body)
	}
}

// schemaState is a published schema: the catalog, its sequence number in
// the cluster's history, and its schema_version with the per-keyspace
// digests it combines.
type schemaState struct {
	cat     *schema.Catalog
	seq     uint64
	version [16]byte
	digests map[string][16]byte
}

// newSchemaState digests every keyspace of cat.
func newSchemaState(cat *schema.Catalog, seq uint64) schemaState {
	st := schemaState{cat: cat, seq: seq, digests: make(map[string][16]byte, len(cat.Keyspaces))}
	for name, ks := range cat.Keyspaces {
		st.digests[name] = keyspaceDigest(ks, cat.Version)
	}
	st.version = combineDigests(st.digests)
	return st
}

// changed derives the state of cat, a changed copy of prev's catalog,
// digesting again only the keyspace the change touched.
func (prev schemaState) changed(cat *schema.Catalog, seq uint64, keyspace string) schemaState {
	st := schemaState{cat: cat, seq: seq, digests: make(map[string][16]byte, len(prev.digests)+1)}
	for k, v := range prev.digests {
		st.digests[k] = v
	}
	if ks := cat.Keyspace(keyspace); ks != nil {
		st.digests[keyspace] = keyspaceDigest(ks, cat.Version)
	} else {
		delete(st.digests, keyspace)
	}
	st.version = combineDigests(st.digests)
	return st
}

// keyspaceDigest is an MD5 digest of a keyspace's definition (its CQL and
// table ids).
func keyspaceDigest(ks *schema.Keyspace, v schema.Version) [16]byte {
	h := md5.New()
	h.Write([]byte(schema.RenderKeyspace(ks, v)))
	for _, tn := range ks.TableNames() {
		id := ks.Tables[tn].ID
		h.Write(id[:])
	}
	var d [16]byte
	copy(d[:], h.Sum(nil))
	return d
}

// combineDigests derives a schema_version from the keyspace digests as
// Cassandra does from its schema (an MD5 digest, as a name-based UUID), so
// that nodes with the same schema report the same version.
func combineDigests(digests map[string][16]byte) [16]byte {
	names := make([]string, 0, len(digests))
	for name := range digests {
		names = append(names, name)
	}
	slices.Sort(names)
	h := md5.New()
	for _, name := range names {
		d := digests[name]
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write(d[:])
	}
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x30
	u[8] = u[8]&0x3f | 0x80
	return u
}
