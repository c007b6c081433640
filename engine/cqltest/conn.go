package cqltest

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
)

// connection states, as Cassandra's ServerConnection tracks them.
const (
	stateUninitialized = iota
	stateAuthentication
	stateReady
)

// cqlVersions are the CQL versions Cassandra releases report.
var cqlVersions = map[string]string{"3.11": "3.4.4", "4.0": "3.4.5", "4.1": "3.4.6", "5.0": "3.4.7"}

// conn is one client connection to a node.
type conn struct {
	node *Node
	nc   net.Conn

	wmu sync.Mutex
	bw  *bufio.Writer

	mu       sync.Mutex
	state    int
	username string // the logged-in role; empty when anonymous
	keyspace string
	events   map[string]bool

	stalled   atomic.Bool
	closeOnce sync.Once
	done      chan struct{}
	inflight  sync.WaitGroup
}

func newConn(n *Node, nc net.Conn) *conn {
	return &conn{node: n, nc: nc, bw: bufio.NewWriter(nc), events: map[string]bool{}, done: make(chan struct{})}
}

func (c *conn) close() {
	c.closeOnce.Do(func() {
		close(c.done)
		c.nc.Close()
	})
}

func (c *conn) registered(kind string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state == stateReady && c.events[kind]
}

// user returns the role the connection logged in as, or "" for an
// anonymous client.
func (c *conn) user() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.username
}

func (c *conn) currentKeyspace() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.keyspace
}

func (c *conn) setKeyspace(ks string) {
	c.mu.Lock()
	c.keyspace = ks
	c.mu.Unlock()
}

// writeFrame sends one response frame. A stalled connection swallows it, as
// a node that stopped answering would.
func (c *conn) writeFrame(stream int16, op wire.Opcode, body []byte) {
	c.writeFrameVersion(wire.Version, stream, op, body)
}

func (c *conn) writeFrameVersion(version byte, stream int16, op wire.Opcode, body []byte) {
	if c.stalled.Load() {
		return
	}
	frame := wire.AppendFrame(nil, wire.Header{Version: version, Response: true, Stream: stream, Opcode: op}, body)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := c.bw.Write(frame); err == nil {
		err = c.bw.Flush()
		if err != nil {
			c.close()
		}
	} else {
		c.close()
	}
}

func (c *conn) writeError(stream int16, e *wire.Error) {
	c.writeFrame(stream, wire.OpError, wire.EncodeError(e))
}

func protocolError(format string, args ...any) *wire.Error {
	return &wire.Error{Code: wire.CodeProtocolError, Message: fmt.Sprintf(format, args...)}
}

// supportedVersions is what the server lists in SUPPORTED and in its
// version errors, formatted as Cassandra's ProtocolVersion.toString.
var supportedVersions = []string{"3/v3", "4/v4"}

func (c *conn) serve() {
	defer func() {
		c.close()
		c.inflight.Wait()
		c.node.removeConn(c)
	}()
	br := bufio.NewReader(c.nc)
	for {
		f, err := wire.ReadFrame(br, wire.MaxFrameLength)
		if err != nil {
			if errors.Is(err, wire.ErrFrameTooLarge) {
				c.writeError(f.Header.Stream, protocolError("Request is too big: length %d exceeds maximum allowed length %d.",
					f.Header.Length, wire.MaxFrameLength))
			}
			return
		}
		if f.Header.Version != wire.Version {
			c.rejectVersion(f.Header)
			return
		}
		if f.Header.Response {
			c.writeError(f.Header.Stream, protocolError("Invalid request direction: got a response frame"))
			return
		}
		body := f.Body
		if f.Header.Flags&wire.FlagCompression != 0 {
			c.writeError(f.Header.Stream, protocolError("Received frame with compression flag set, but no compression was negotiated"))
			return
		}
		if f.Header.Flags&wire.FlagCustomPayload != 0 {
			// A request's custom payload precedes its message; the server
			// has no use for it and skips it.
			r := wire.NewReader(body)
			r.BytesMap()
			if r.Err() != nil {
				c.writeError(f.Header.Stream, protocolError("Invalid custom payload: %v", r.Err()))
				return
			}
			body = body[len(body)-r.Len():]
		}
		c.node.cluster.stats.request(c.node.index, f.Header.Opcode)
		c.dispatch(f.Header, body)
	}
}

// rejectVersion answers a frame of a protocol version the server does not
// speak the way Cassandra does (ProtocolVersion.decode): an old version gets
// the error in its own version, a newer one in the highest version the
// server has, so the client can read it and retry with a lower version.
// v5 is the exception: before STARTUP its frames have the v4 layout (spec
// v5 section 2.3.1), and drivers such as gocql only accept an answer in the
// version they sent, so it is answered as v5. v3 is refused as Cassandra
// does with native_transport_allow_older_protocols off.
func (c *conn) rejectVersion(h wire.Header) {
	msg := invalidVersionMessage(h.Version)
	version := h.Version
	switch {
	case h.Version == 3:
		msg = "Rejecting Protocol Version 3/v3 < 4/v4."
	case h.Version > 5:
		version = wire.Version
	}
	c.writeFrameVersion(version, h.Stream, wire.OpError, wire.EncodeError(protocolError("%s", msg)))
}

func invalidVersionMessage(v byte) string {
	return fmt.Sprintf("Invalid or unsupported protocol version (%d); supported versions are (%s)",
		v, strings.Join(supportedVersions, ", "))
}

// dispatch handles one request. Handshake messages are answered in order;
// statements run concurrently, as Cassandra serves the streams of one
// connection in parallel.
func (c *conn) dispatch(h wire.Header, body []byte) {
	c.mu.Lock()
	state := c.state
	c.mu.Unlock()
	switch state {
	case stateUninitialized:
		if h.Opcode != wire.OpStartup && h.Opcode != wire.OpOptions {
			c.writeError(h.Stream, protocolError("Unexpected message %s, expecting STARTUP or OPTIONS", h.Opcode))
			return
		}
	case stateAuthentication:
		if h.Opcode != wire.OpAuthResponse {
			c.writeError(h.Stream, protocolError("Unexpected message %s, expecting SASL_RESPONSE", h.Opcode))
			return
		}
	case stateReady:
		if h.Opcode == wire.OpStartup {
			c.writeError(h.Stream, protocolError("Unexpected message STARTUP, the connection is already initialized"))
			return
		}
	}
	switch h.Opcode {
	case wire.OpOptions:
		c.writeFrame(h.Stream, wire.OpSupported, c.supported())
	case wire.OpStartup:
		c.startup(h.Stream, body)
	case wire.OpAuthResponse:
		c.authResponse(h.Stream, body)
	case wire.OpRegister:
		c.register(h.Stream, body)
	case wire.OpQuery, wire.OpPrepare, wire.OpExecute, wire.OpBatch:
		c.inflight.Add(1)
		go func() {
			defer c.inflight.Done()
			c.handleStatement(h, body)
		}()
	default:
		c.writeError(h.Stream, protocolError("Unknown opcode %d", byte(h.Opcode)))
	}
}

func (c *conn) supported() []byte {
	cluster := c.node.cluster
	m := map[string][]string{
		"CQL_VERSION":       {cluster.cqlVersion()},
		"COMPRESSION":       {},
		"PROTOCOL_VERSIONS": supportedVersions,
	}
	return wire.EncodeSupported([]string{"PROTOCOL_VERSIONS", "COMPRESSION", "CQL_VERSION"}, m)
}

func (c *Cluster) cqlVersion() string {
	if v, ok := cqlVersions[c.version.String()]; ok {
		return v
	}
	return cqlVersions["5.0"]
}

func (c *conn) startup(stream int16, body []byte) {
	opts, err := wire.DecodeStartup(body)
	if err != nil {
		c.writeError(stream, protocolError("%v", err))
		return
	}
	cv, ok := opts["CQL_VERSION"]
	if !ok {
		c.writeError(stream, protocolError("Missing value CQL_VERSION in STARTUP message"))
		return
	}
	if !validCQLVersion(cv) {
		c.writeError(stream, protocolError("Invalid or unsupported CQL version %s", cv))
		return
	}
	if comp, ok := opts["COMPRESSION"]; ok && comp != "" {
		c.writeError(stream, protocolError("Unknown compression algorithm: %s", comp))
		return
	}
	if c.node.cluster.auth.enabled() {
		c.mu.Lock()
		c.state = stateAuthentication
		c.mu.Unlock()
		c.writeFrame(stream, wire.OpAuthenticate, wire.EncodeAuthenticate(passwordAuthenticator))
		return
	}
	c.mu.Lock()
	c.state = stateReady
	c.mu.Unlock()
	c.writeFrame(stream, wire.OpReady, nil)
}

// validCQLVersion accepts what Cassandra accepts: a version whose major
// number is 3 (the server then speaks its own 3.x).
func validCQLVersion(v string) bool {
	major, _, _ := strings.Cut(v, ".")
	return major == "3"
}

func (c *conn) authResponse(stream int16, body []byte) {
	tok, err := wire.DecodeAuthResponse(body)
	if err != nil {
		c.writeError(stream, protocolError("%v", err))
		return
	}
	user, e := c.node.cluster.auth.check(tok)
	if e != nil {
		c.writeError(stream, e)
		return
	}
	c.mu.Lock()
	c.state = stateReady
	c.username = user
	c.mu.Unlock()
	c.writeFrame(stream, wire.OpAuthSuccess, wire.EncodeToken(nil))
}

func (c *conn) register(stream int16, body []byte) {
	kinds, err := wire.DecodeRegister(body)
	if err != nil {
		c.writeError(stream, protocolError("%v", err))
		return
	}
	for _, k := range kinds {
		switch k {
		case "TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE":
		default:
			c.writeError(stream, protocolError("Invalid value '%s' for Type", k))
			return
		}
	}
	c.mu.Lock()
	for _, k := range kinds {
		c.events[k] = true
	}
	c.mu.Unlock()
	c.writeFrame(stream, wire.OpReady, nil)
}
