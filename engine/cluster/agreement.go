package cluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// Host is a node of the cluster as the driver sees it.
type Host struct {
	// Address is the address the driver connects to.
	Address        string `json:"address"`
	DataCenter     string `json:"data_center"`
	Rack           string `json:"rack"`
	HostID         string `json:"host_id"`
	ReleaseVersion string `json:"release_version"`
	// Up is false for a node the driver saw go down or cannot reach.
	Up bool `json:"up"`
}

// Hosts returns the nodes the driver knows, sorted by address.
func (s *Session) Hosts() []Host {
	var out []Host
	for _, h := range s.gs.GetHosts() {
		out = append(out, Host{
			Address: h.ConnectAddress().String(), DataCenter: h.DataCenter(), Rack: h.Rack(),
			HostID: h.HostID(), ReleaseVersion: strings.TrimPrefix(h.Version().String(), "v"), Up: h.IsUp(),
		})
	}
	slices.SortFunc(out, func(a, b Host) int { return strings.Compare(a.Address, b.Address) })
	return out
}

// NodeSchema is the schema version one live node reports.
type NodeSchema struct {
	Address       string `json:"address"`
	DataCenter    string `json:"data_center"`
	HostID        string `json:"host_id"`
	SchemaVersion string `json:"schema_version"`
}

func (n NodeSchema) String() string {
	return fmt.Sprintf("%s (%s) at schema version %s", n.Address, n.DataCenter, n.SchemaVersion)
}

// AgreementError reports live nodes that still disagreed on the schema
// version when the wait ran out. It matches ErrNoAgreement.
type AgreementError struct {
	// Wait is how long ExecDDL waited.
	Wait time.Duration
	// Nodes are all live nodes with the version each reported last.
	Nodes []NodeSchema
	// Majority is the version most nodes reported (the coordinator's on a tie).
	Majority string
	// Err is the last error met while reading versions, if the wait ended
	// without a complete reading.
	Err error
}

// Disagreeing returns the live nodes whose version is not the majority's.
func (e *AgreementError) Disagreeing() []NodeSchema {
	var out []NodeSchema
	for _, n := range e.Nodes {
		if n.SchemaVersion != e.Majority {
			out = append(out, n)
		}
	}
	return out
}

func (e *AgreementError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "schema agreement not reached within %s", e.Wait)
	if len(e.Nodes) == 0 {
		if e.Err != nil {
			fmt.Fprintf(&b, ": could not read schema versions: %v", e.Err)
		}
		return b.String()
	}
	dis := e.Disagreeing()
	names := make([]string, len(dis))
	for i, n := range dis {
		names[i] = n.String()
	}
	fmt.Fprintf(&b, ": %s; %d other live node(s) at schema version %s",
		strings.Join(names, ", "), len(e.Nodes)-len(dis), e.Majority)
	b.WriteString("\nhint: check the disagreeing nodes' logs and `nodetool describecluster`; raise schema.agreement_wait if the cluster is only slow")
	return b.String()
}

// Is makes errors.Is(err, ErrNoAgreement) true.
func (e *AgreementError) Is(target error) bool { return target == ErrNoAgreement }

// ExecDDL runs a schema change and then waits until every live node reports
// the same schema version, for at most schema.agreement_wait. A node the
// driver sees down is skipped: it takes the new schema when it comes back.
// The statement's own error is returned unchanged (see IsInvalid and the
// other helpers); an agreement timeout is an *AgreementError.
func (s *Session) ExecDDL(ctx context.Context, stmt string) error {
	if err := s.Exec(ctx, stmt); err != nil {
		return err
	}
	return s.AwaitSchemaAgreement(ctx)
}

// AwaitSchemaAgreement waits, for at most schema.agreement_wait, until every
// live node reports the same schema version, reading system.local and
// system.peers from one coordinator each round.
func (s *Session) AwaitSchemaAgreement(ctx context.Context) error {
	deadline := time.Now().Add(s.agreementWait)
	var (
		last    []NodeSchema
		lastErr error
	)
	for {
		nodes, err := s.SchemaVersions(ctx)
		if err == nil {
			last, lastErr = nodes, nil
			if agreed(nodes) {
				return nil
			}
		} else {
			lastErr = err
		}
		if ctx.Err() != nil {
			return fmt.Errorf("wait for schema agreement: %w", ctx.Err())
		}
		wait := time.Until(deadline)
		if wait <= 0 {
			break
		}
		t := time.NewTimer(min(s.poll, wait))
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("wait for schema agreement: %w", ctx.Err())
		case <-t.C:
		}
	}
	return &AgreementError{Wait: s.agreementWait, Nodes: last, Majority: majority(last), Err: lastErr}
}

func agreed(nodes []NodeSchema) bool {
	for _, n := range nodes[1:] {
		if n.SchemaVersion != nodes[0].SchemaVersion {
			return false
		}
	}
	return true
}

// majority returns the most common version; on a tie the first node's (the
// coordinator's) wins.
func majority(nodes []NodeSchema) string {
	count := map[string]int{}
	best := ""
	for _, n := range nodes {
		count[n.SchemaVersion]++
	}
	for _, n := range nodes {
		if best == "" || count[n.SchemaVersion] > count[best] {
			best = n.SchemaVersion
		}
	}
	return best
}

// OnOneNode calls read with a query function whose statements all go to
// one live node, and again with the next live node when read fails there
// (a node that went down, a timeout). For reads that must see one node's
// view: the system_schema tables differ between nodes while a schema
// change spreads, and a table read from one node with the columns of
// another is no schema at all.
func (s *Session) OnOneNode(ctx context.Context, read func(query func(stmt string, args ...any) *gocql.Query) error) error {
	var up []*gocql.HostInfo
	for _, h := range s.gs.GetHosts() {
		if h.IsUp() {
			up = append(up, h)
		}
	}
	if len(up) == 0 {
		return errors.New("no live node")
	}
	var errs []error
	for _, h := range up {
		err := read(func(stmt string, args ...any) *gocql.Query {
			return s.Query(ctx, stmt, args...).SetHostID(h.HostID())
		})
		if err == nil || ctx.Err() != nil {
			return err
		}
		errs = append(errs, fmt.Errorf("%s: %w", h.ConnectAddress(), err))
	}
	return errors.Join(errs...)
}

// SchemaVersions reads the schema version of every live node: the
// coordinator's from system.local, the others' from its system.peers. Nodes
// the driver sees down are left out. The coordinator comes first.
func (s *Session) SchemaVersions(ctx context.Context) ([]NodeSchema, error) {
	down := map[string]bool{}
	var up []*gocql.HostInfo
	for _, h := range s.gs.GetHosts() {
		if h.IsUp() {
			up = append(up, h)
		} else {
			down[h.HostID()] = true
		}
	}
	if len(up) == 0 {
		return nil, errors.New("read schema versions: no live node")
	}
	var errs []error
	for _, h := range up {
		nodes, err := s.versionsFrom(ctx, h, down)
		if err == nil {
			return nodes, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		errs = append(errs, fmt.Errorf("%s: %w", h.ConnectAddress(), err))
	}
	return nil, fmt.Errorf("read schema versions: %w", errors.Join(errs...))
}

// versionsFrom reads system.local and system.peers from host h.
func (s *Session) versionsFrom(ctx context.Context, h *gocql.HostInfo, down map[string]bool) ([]NodeSchema, error) {
	var (
		hostID, dc string
		version    gocql.UUID
	)
	err := s.Query(ctx, "SELECT host_id, data_center, schema_version FROM system.local WHERE key = 'local'").
		SetHostID(h.HostID()).Scan(&hostID, &dc, &version)
	if err != nil {
		return nil, fmt.Errorf("system.local: %w", err)
	}
	nodes := []NodeSchema{{Address: h.ConnectAddress().String(), DataCenter: dc, HostID: hostID, SchemaVersion: uuidString(version)}}
	iter := s.Query(ctx, "SELECT peer, rpc_address, host_id, data_center, schema_version FROM system.peers").
		SetHostID(h.HostID()).Iter()
	var (
		peer, rpc net.IP
		id        gocql.UUID
		v         gocql.UUID
	)
	for iter.Scan(&peer, &rpc, &id, &dc, &v) {
		// Skip down nodes, and rows without a host id or schema version:
		// leftovers of removed nodes ("ghost peers"), which drivers ignore
		// too, would otherwise never agree.
		if down[id.String()] || id == (gocql.UUID{}) || v == (gocql.UUID{}) {
			peer, rpc, id, v, dc = nil, nil, gocql.UUID{}, gocql.UUID{}, ""
			continue
		}
		addr := peer
		if rpc != nil && !rpc.IsUnspecified() {
			addr = rpc
		}
		nodes = append(nodes, NodeSchema{Address: addr.String(), DataCenter: dc, HostID: id.String(), SchemaVersion: uuidString(v)})
		peer, rpc, id, v, dc = nil, nil, gocql.UUID{}, gocql.UUID{}, ""
	}
	if err := iter.Close(); err != nil {
		return nil, fmt.Errorf("system.peers: %w", err)
	}
	return nodes, nil
}

// uuidString renders a schema version, "" for a missing one (a node still
// starting), so that it never agrees with a real version.
func uuidString(u gocql.UUID) string {
	if u == (gocql.UUID{}) {
		return ""
	}
	return u.String()
}
