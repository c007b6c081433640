package cqltest

import (
	"sync"

	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
)

// Stats is a snapshot of what the cluster served since it started or since
// the last ResetStats.
type Stats struct {
	// Connections is the number of client connections accepted.
	Connections int
	// Requests counts requests by opcode name: "STARTUP", "OPTIONS",
	// "QUERY", "PREPARE", "EXECUTE", "BATCH", "REGISTER", "AUTH_RESPONSE".
	Requests map[string]int
	// NodeRequests counts requests of any kind by the node that received
	// them (index 0 is node 1), so a test can see where a driver routed.
	NodeRequests []int
	// Statements counts executed statements by kind ("SELECT", "INSERT",
	// "CREATE TABLE", "USE", ...; a BATCH counts as "BATCH" and each of its
	// statements by its own kind). Reads of Cassandra's own keyspaces
	// (system, system_schema, system_auth, ...), which drivers issue for
	// discovery and metadata, count as "SELECT system" so that a test can
	// count a tool's own round trips.
	Statements map[string]int
	// LWT counts conditional statements (IF NOT EXISTS, IF EXISTS, IF ...).
	LWT int
	// DDL counts successful schema changes by coordinating node (index 0
	// is node 1).
	DDL []int
	// Faults counts statements a fault acted on.
	Faults int
}

type statsCounter struct {
	mu sync.Mutex
	s  Stats
}

func (sc *statsCounter) reset(nodes int) {
	sc.mu.Lock()
	sc.s = Stats{Requests: map[string]int{}, Statements: map[string]int{}, DDL: make([]int, nodes), NodeRequests: make([]int, nodes)}
	sc.mu.Unlock()
}

func (sc *statsCounter) connection() {
	sc.mu.Lock()
	sc.s.Connections++
	sc.mu.Unlock()
}

func (sc *statsCounter) request(node int, op wire.Opcode) {
	sc.mu.Lock()
	sc.s.Requests[op.String()]++
	sc.s.NodeRequests[node-1]++
	sc.mu.Unlock()
}

func (sc *statsCounter) statement(kind string, lwt bool) {
	sc.mu.Lock()
	sc.s.Statements[kind]++
	if lwt {
		sc.s.LWT++
	}
	sc.mu.Unlock()
}

func (sc *statsCounter) ddl(node int) {
	sc.mu.Lock()
	sc.s.DDL[node-1]++
	sc.mu.Unlock()
}

func (sc *statsCounter) fault() {
	sc.mu.Lock()
	sc.s.Faults++
	sc.mu.Unlock()
}

// Stats returns a snapshot of the request counters.
func (c *Cluster) Stats() Stats {
	c.stats.mu.Lock()
	defer c.stats.mu.Unlock()
	s := c.stats.s
	s.Requests = make(map[string]int, len(c.stats.s.Requests))
	for k, v := range c.stats.s.Requests {
		s.Requests[k] = v
	}
	s.Statements = make(map[string]int, len(c.stats.s.Statements))
	for k, v := range c.stats.s.Statements {
		s.Statements[k] = v
	}
	s.DDL = append([]int(nil), c.stats.s.DDL...)
	s.NodeRequests = append([]int(nil), c.stats.s.NodeRequests...)
	return s
}

// ResetStats sets every counter back to zero.
func (c *Cluster) ResetStats() { c.stats.reset(len(c.nodes)) }
