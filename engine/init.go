package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/history"
	"github.com/cqltrack/cqltrack/engine/lock"
)

// InitReport says what Init found and did.
type InitReport struct {
	Keyspace string `json:"keyspace"`
	// KeyspaceCreated is true when Init created the keyspace, false when it
	// existed (its replication is then left alone).
	KeyspaceCreated bool `json:"keyspace_created"`
	// Replication is the replication the keyspace was created with.
	Replication string `json:"replication,omitempty"`
	// TablesCreated lists the tracking tables Init created (empty when they
	// all existed; columns missing from cql-track 1.x tables are added too).
	TablesCreated []string `json:"tables_created"`
	Cluster       string   `json:"cluster"`
	Release       string   `json:"release_version"`
	// Warnings: an existing keyspace whose replication is not the
	// configured one (Init leaves it alone).
	Warnings []string `json:"warnings,omitempty"`
}

// Init creates the configured keyspace with the configured replication and
// the tracking tables (history, event log, lock), waiting for schema
// agreement after each change. Running it again changes nothing; a
// cql-track 1.x keyspace gains the columns cqltrack needs.
func (e *Engine) Init(ctx context.Context) (*InitReport, error) {
	ks, err := e.keyspaceName()
	if err != nil {
		return nil, err
	}
	s, err := e.session(ctx)
	if err != nil {
		return nil, err
	}
	r := &InitReport{Keyspace: ks, TablesCreated: []string{}, Cluster: s.ClusterName(), Release: s.ReleaseVersion()}
	before, err := liveTables(ctx, s, ks)
	if err != nil {
		return nil, err
	}
	live, exists, err := keyspaceReplication(ctx, s, ks)
	if err != nil {
		return nil, err
	}
	if exists && !replicationMatches(e.cfg.Keyspace.Replication, live) {
		r.Warnings = append(r.Warnings, fmt.Sprintf("keyspace %s exists with replication %s, not the configured %s: init leaves it as it is; if the configuration is right, ALTER KEYSPACE it and run a full repair",
			ks, replicationLiteral(live), e.cfg.ReplicationCQL()))
	}
	if !exists {
		r.Replication = e.cfg.ReplicationCQL()
		stmt := "CREATE KEYSPACE IF NOT EXISTS " + cql.QuoteIdent(ks) + " WITH replication = " + r.Replication
		if err := s.ExecDDL(ctx, stmt); err != nil {
			return nil, classifySchemaChange(fmt.Errorf("create keyspace %s: %w", ks, err))
		}
		r.KeyspaceCreated = true
	}
	if err := history.EnsureSchema(ctx, s, ks); err != nil {
		return nil, classifySchemaChange(fmt.Errorf("create tracking tables: %w", err))
	}
	if err := lock.EnsureSchema(ctx, s, ks); err != nil {
		return nil, classifySchemaChange(fmt.Errorf("create lock table: %w", err))
	}
	for _, t := range []string{history.HistoryTable, history.EventsTable, lock.Table} {
		if !before[t] {
			r.TablesCreated = append(r.TablesCreated, t)
		}
	}
	return r, nil
}

// keyspaceReplication reads a keyspace's replication from
// system_schema.keyspaces; found is false when the keyspace does not exist.
func keyspaceReplication(ctx context.Context, s *cluster.Session, ks string) (replication map[string]string, found bool, err error) {
	iter := s.Query(ctx, "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", ks).Iter()
	found = iter.Scan(&replication)
	if err := iter.Close(); err != nil {
		return nil, false, fmt.Errorf("read system_schema.keyspaces: %w", err)
	}
	return replication, found, nil
}

// replicationMatches reports whether a keyspace's replication, as
// system_schema.keyspaces holds it (the class in full, factors as text),
// is the configured one. A NetworkTopologyStrategy replication_factor
// stands for every datacenter Cassandra expanded it to.
func replicationMatches(want config.Replication, live map[string]string) bool {
	class := live["class"]
	if i := strings.LastIndexByte(class, '.'); i >= 0 {
		class = class[i+1:]
	}
	if class != want.Class {
		return false
	}
	if want.Class == config.SimpleStrategy {
		return live["replication_factor"] == strconv.Itoa(want.Factor)
	}
	seen := 0
	for dc, v := range live {
		if dc == "class" {
			continue
		}
		rf, ok := want.DataCenters[dc]
		if !ok {
			rf = want.Factor
		} else {
			seen++
		}
		if rf == 0 || v != strconv.Itoa(rf) {
			return false
		}
	}
	return seen == len(want.DataCenters)
}

// replicationLiteral writes a replication map as CQL does, class first.
func replicationLiteral(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		if k != "class" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	parts := []string{"'class': '" + m["class"] + "'"}
	for _, k := range keys {
		parts = append(parts, "'"+k+"': '"+m[k]+"'")
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// liveTables returns the names of the tables of keyspace ks.
func liveTables(ctx context.Context, s *cluster.Session, ks string) (map[string]bool, error) {
	iter := s.Query(ctx, "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", ks).Iter()
	out := map[string]bool{}
	var name string
	for iter.Scan(&name) {
		out[name] = true
	}
	if err := iter.Close(); err != nil {
		return nil, fmt.Errorf("read system_schema.tables: %w", err)
	}
	return out, nil
}

// classifySchemaChange marks the errors of Init's schema changes: those
// classifyServer knows, and, as for a migration's statement, a change the
// cluster did not complete (no schema agreement, a timeout, too few
// replicas) as ErrMigrationFailed.
func classifySchemaChange(err error) error {
	err = classifyServer(err)
	for _, c := range []error{ErrInvalidInput, ErrConnect} {
		if errors.Is(err, c) {
			return err
		}
	}
	if errors.Is(err, cluster.ErrNoAgreement) || cluster.IsTimeout(err) || cluster.IsUnavailable(err) || cluster.IsUncertain(err) {
		return withCategory(ErrMigrationFailed, err)
	}
	return err
}

// classifyServer marks errors the cluster raised: statements it rejected as
// invalid or misconfigured are bad input, lost connections are connection
// errors; anything else keeps its own category.
func classifyServer(err error) error {
	switch {
	case cluster.IsInvalid(err) || cluster.IsConfig(err) || cluster.IsSyntax(err):
		return InputError(err)
	case cluster.IsUnauthorized(err):
		return withCategory(ErrConnect, err)
	}
	return err
}
