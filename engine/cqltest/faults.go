package cqltest

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
)

// Fault tells the server to misbehave on the statements that match it, the
// way real clusters do. A statement is the text of a QUERY, of the prepared
// statement an EXECUTE runs, or of any statement inside a BATCH; PREPARE
// requests are never faulted.
//
// Match selects statements containing the substring (case-insensitively,
// with runs of white space compared as one space); Regexp selects those
// matching it; with both empty every statement matches. Node limits the
// fault to statements coordinated by that node (from 1). Nth acts only on
// the Nth matching statement (from 1), and on the Count-1 after it; with Nth
// 0 it acts on every match.
//
// The action, in this order: wait Delay; then Drop closes the connection
// without an answer, Stall stops all answers on the connection (the client
// sees a timeout), Err answers with that error instead of executing;
// otherwise the statement executes, and with Pause the answer is held until
// Injection.Resume, so a test can kill the client between a statement and
// its acknowledgement.
type Fault struct {
	Match  string
	Regexp *regexp.Regexp
	Node   int
	Nth    int
	Count  int
	Delay  time.Duration
	Drop   bool
	Stall  bool
	Err    *wire.Error
	Pause  bool
}

// Injection is a fault in force. It counts its hits and, for a pausing
// fault, reports the statements it holds.
type Injection struct {
	cluster *Cluster
	fault   Fault
	match   string

	mu      sync.Mutex
	seen    int
	hits    int
	removed bool
	paused  chan string
	release chan struct{}
}

// Inject puts a fault in force until Remove. Faults are checked in the
// order they were injected; the first one that acts on a statement wins.
func (c *Cluster) Inject(f Fault) *Injection {
	in := &Injection{cluster: c, fault: f, match: normalizeSpace(strings.ToLower(f.Match)),
		paused: make(chan string, 64), release: make(chan struct{})}
	if f.Nth > 0 && in.fault.Count == 0 {
		in.fault.Count = 1
	}
	c.faults.mu.Lock()
	c.faults.list = append(c.faults.list, in)
	c.faults.mu.Unlock()
	return in
}

// Hits returns how many statements the fault acted on.
func (in *Injection) Hits() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.hits
}

// Paused delivers the text of each statement a Pause fault holds.
func (in *Injection) Paused() <-chan string { return in.paused }

// Resume lets every statement held by a Pause fault answer, now and later:
// after Resume the fault no longer pauses.
func (in *Injection) Resume() {
	in.mu.Lock()
	defer in.mu.Unlock()
	select {
	case <-in.release:
	default:
		close(in.release)
	}
}

// Remove takes the fault out of force and resumes what it holds.
func (in *Injection) Remove() {
	in.cluster.faults.mu.Lock()
	list := in.cluster.faults.list
	for i, x := range list {
		if x == in {
			in.cluster.faults.list = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	in.cluster.faults.mu.Unlock()
	in.mu.Lock()
	in.removed = true
	in.mu.Unlock()
	in.Resume()
}

// matches reports whether the fault selects statement text on node.
func (in *Injection) matches(node int, text string) bool {
	if in.fault.Node != 0 && in.fault.Node != node {
		return false
	}
	if in.match != "" && !strings.Contains(normalizeSpace(strings.ToLower(text)), in.match) {
		return false
	}
	if in.fault.Regexp != nil && !in.fault.Regexp.MatchString(text) {
		return false
	}
	return true
}

// take counts a matching statement and reports whether the fault acts on it.
func (in *Injection) take() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.removed {
		return false
	}
	in.seen++
	if in.fault.Nth > 0 && (in.seen < in.fault.Nth || in.seen >= in.fault.Nth+in.fault.Count) {
		return false
	}
	in.hits++
	return true
}

type faultSet struct {
	mu   sync.Mutex
	list []*Injection
}

// pick returns the fault acting on a request made of the given statements,
// or nil. A request counts once per fault however many of its statements
// match.
func (s *faultSet) pick(node int, texts []string) *Injection {
	s.mu.Lock()
	list := append([]*Injection(nil), s.list...)
	s.mu.Unlock()
	for _, in := range list {
		for _, t := range texts {
			if in.matches(node, t) {
				if in.take() {
					return in
				}
				break
			}
		}
	}
	return nil
}

func (s *faultSet) releaseAll() {
	s.mu.Lock()
	list := append([]*Injection(nil), s.list...)
	s.mu.Unlock()
	for _, in := range list {
		in.Resume()
	}
}

// hold blocks a paused statement until Resume, the connection closing or
// the cluster closing.
func (in *Injection) hold(c *conn, text string) {
	select {
	case <-in.release:
		return
	default:
	}
	select {
	case in.paused <- text:
	default:
	}
	select {
	case <-in.release:
	case <-c.done:
	case <-in.cluster.closed:
	}
}

func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// Unavailable is the error a coordinator answers when too few replicas are
// alive for the consistency level.
func Unavailable(cl wire.Consistency, required, alive int) *wire.Error {
	return &wire.Error{Code: wire.CodeUnavailable, Message: fmt.Sprintf("Cannot achieve consistency level %s", cl),
		Consistency: cl, Required: int32(required), Alive: int32(alive)}
}

// Overloaded is the error of a node shedding load.
func Overloaded() *wire.Error {
	return &wire.Error{Code: wire.CodeOverloaded, Message: "Server is in overloaded state. Cannot accept more requests at this point"}
}

// WriteTimeout is the error of a write whose replicas did not answer in
// time. For a lightweight transaction use write type wire.WriteCAS and a
// serial consistency (CASWriteTimeout words it as Cassandra does).
func WriteTimeout(cl wire.Consistency, received, blockFor int, writeType string) *wire.Error {
	return &wire.Error{Code: wire.CodeWriteTimeout,
		Message:     fmt.Sprintf("Operation timed out - received only %d responses.", received),
		Consistency: cl, Received: int32(received), BlockFor: int32(blockFor), WriteType: writeType}
}

// CASWriteTimeout is the write timeout of a lightweight transaction whose
// Paxos round did not complete, with Cassandra 4's wording.
func CASWriteTimeout(cl wire.Consistency, received, blockFor, contentions int) *wire.Error {
	return &wire.Error{Code: wire.CodeWriteTimeout,
		Message: fmt.Sprintf("CAS operation timed out: received %d of %d required responses after %d contention retries",
			received, blockFor, contentions),
		Consistency: cl, Received: int32(received), BlockFor: int32(blockFor), WriteType: wire.WriteCAS}
}

// ReadTimeout is the error of a read whose replicas did not answer in time.
func ReadTimeout(cl wire.Consistency, received, blockFor int, dataPresent bool) *wire.Error {
	return &wire.Error{Code: wire.CodeReadTimeout,
		Message:     fmt.Sprintf("Operation timed out - received only %d responses.", received),
		Consistency: cl, Received: int32(received), BlockFor: int32(blockFor), DataPresent: dataPresent}
}

// ServerError is an unexpected server-side failure (code 0x0000).
func ServerError(msg string) *wire.Error {
	return &wire.Error{Code: wire.CodeServerError, Message: msg}
}
