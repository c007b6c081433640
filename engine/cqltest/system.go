package cqltest

import (
	"github.com/cqltrack/cqltrack/engine/schema"
)

// systemTableDef is a table of Cassandra's system or system_auth keyspace
// that the server fills itself: columns as "name type", partition key and
// clustering columns, and the releases that have it.
type systemTableDef struct {
	keyspace, name, comment string
	columns                 []string
	pk, ck                  []string
	since, until            schema.Version
}

// systemTableDefs follow SystemKeyspace.java and AuthKeyspace.java of
// Cassandra 4.x/5.0; 3.11 has no *_port columns, no peers_v2, and still
// lists thrift_version in system.local.
var systemTableDefs = []systemTableDef{
	{keyspace: "system", name: "local", comment: "information about the local node",
		columns: []string{"key text", "bootstrapped text", "broadcast_address inet", "broadcast_port int",
			"cluster_name text", "cql_version text", "data_center text", "gossip_generation int", "host_id uuid",
			"listen_address inet", "listen_port int", "native_protocol_version text", "partitioner text",
			"rack text", "release_version text", "rpc_address inet", "rpc_port int", "schema_version uuid",
			"tokens set<text>", "truncated_at map<uuid, blob>"},
		pk: []string{"key"}, since: schema.V4_0},
	{keyspace: "system", name: "local", comment: "information about the local node",
		columns: []string{"key text", "bootstrapped text", "broadcast_address inet",
			"cluster_name text", "cql_version text", "data_center text", "gossip_generation int", "host_id uuid",
			"listen_address inet", "native_protocol_version text", "partitioner text",
			"rack text", "release_version text", "rpc_address inet", "schema_version uuid", "thrift_version text",
			"tokens set<text>", "truncated_at map<uuid, blob>"},
		pk: []string{"key"}, since: schema.V3_11, until: schema.V4_0},
	{keyspace: "system", name: "peers", comment: "information about known peers in the cluster",
		columns: []string{"peer inet", "data_center text", "host_id uuid", "preferred_ip inet", "rack text",
			"release_version text", "rpc_address inet", "schema_version uuid", "tokens set<text>"},
		pk: []string{"peer"}, since: schema.V3_11},
	{keyspace: "system", name: "peers_v2", comment: "information about known peers in the cluster",
		columns: []string{"peer inet", "peer_port int", "data_center text", "host_id uuid", "native_address inet",
			"native_port int", "preferred_ip inet", "preferred_port int", "rack text", "release_version text",
			"schema_version uuid", "tokens set<text>"},
		pk: []string{"peer"}, ck: []string{"peer_port"}, since: schema.V4_0},
	{keyspace: "system_virtual_schema", name: "keyspaces", comment: "virtual keyspace definitions",
		columns: []string{"keyspace_name text"}, pk: []string{"keyspace_name"}, since: schema.V4_0},
	{keyspace: "system_virtual_schema", name: "tables", comment: "virtual table definitions",
		columns: []string{"keyspace_name text", "table_name text", "comment text"},
		pk:      []string{"keyspace_name"}, ck: []string{"table_name"}, since: schema.V4_0},
	{keyspace: "system_virtual_schema", name: "columns", comment: "virtual column definitions",
		columns: []string{"keyspace_name text", "table_name text", "column_name text", "clustering_order text",
			"column_name_bytes blob", "kind text", "position int", "type text"},
		pk: []string{"keyspace_name"}, ck: []string{"table_name", "column_name"}, since: schema.V4_0},
	{keyspace: "system_auth", name: "roles", comment: "role definitions",
		columns: []string{"role text", "can_login boolean", "is_superuser boolean", "member_of set<text>",
			"salted_hash text"},
		pk: []string{"role"}, since: schema.V3_11},
}

func (d systemTableDef) in(v schema.Version) bool {
	return v >= d.since && (d.until == 0 || v < d.until)
}

func (d systemTableDef) table(v schema.Version) *schema.Table {
	t := schema.SystemTable(v, d.keyspace, d.name, d.comment, d.columns, d.pk, d.ck)
	if d.keyspace == "system" {
		t.Options.GCGraceSeconds = 0
		t.Options.MemtableFlushPeriodInMs = 3600 * 1000
	}
	return t
}

// newCatalog returns a node's initial schema: Cassandra's own keyspaces,
// with the system tables the server serves.
func (c *Cluster) newCatalog() *schema.Catalog {
	cat := schema.New(c.version)
	cat.Now = c.now
	// Cassandra 4.0+ expands NetworkTopologyStrategy's replication_factor
	// shorthand to the data centres it knows.
	seen := map[string]bool{}
	for i := 1; i <= c.cfg.nodes; i++ {
		dc := c.placement(i).DataCenter
		if !seen[dc] {
			seen[dc] = true
			cat.Datacenters = append(cat.Datacenters, dc)
		}
	}
	if c.cfg.views != nil {
		cat.DisableMaterializedViews = !*c.cfg.views
	} else {
		cat.DisableMaterializedViews = c.version >= schema.V4_0
	}
	// A node loads only the trigger classes in its triggers directory.
	cat.TriggerClasses = c.cfg.triggers
	if cat.TriggerClasses == nil {
		cat.TriggerClasses = map[string]bool{}
	}
	for _, d := range systemTableDefs {
		if !d.in(c.version) {
			continue
		}
		if ks := cat.Keyspaces[d.keyspace]; ks != nil {
			ks.Tables[d.name] = d.table(c.version)
		}
	}
	return cat
}

// systemRows returns the rows of a table the server fills itself, as seen
// from node n, or ok false when the table is not one of them.
func (c *Cluster) systemRows(n *Node, keyspace, table string) (rows []map[string]any, ok bool) {
	switch keyspace + "." + table {
	case "system.local":
		return []map[string]any{c.localRow(n)}, true
	case "system.peers":
		return c.peerRows(n, false), true
	case "system.peers_v2":
		return c.peerRows(n, true), true
	case "system_virtual_schema.keyspaces", "system_virtual_schema.tables", "system_virtual_schema.columns":
		return virtualSchemaRows(n.currentCatalog(), table), true
	case "system_auth.roles":
		if !c.auth.enabled() {
			return nil, true
		}
		return c.roles.rows(), true
	}
	return nil, false
}

func (c *Cluster) localRow(n *Node) map[string]any {
	n.mu.Lock()
	sv := n.schemaVersion
	n.mu.Unlock()
	row := map[string]any{
		"key": "local", "bootstrapped": "COMPLETED", "broadcast_address": n.ip,
		"cluster_name": c.cfg.clusterName, "cql_version": c.cqlVersion(),
		"data_center": n.placement.DataCenter, "gossip_generation": n.generation,
		"host_id": n.hostID, "listen_address": n.ip, "native_protocol_version": "4",
		"partitioner": "org.apache.cassandra.dht.Murmur3Partitioner", "rack": n.placement.Rack,
		"release_version": c.cfg.release, "rpc_address": n.ip, "schema_version": sv,
		"tokens": n.tokens, "truncated_at": nil,
	}
	if c.version >= schema.V4_0 {
		row["broadcast_port"] = int32(7000)
		row["listen_port"] = int32(7000)
		row["rpc_port"] = int32(c.cfg.port)
	} else {
		row["thrift_version"] = "20.1.0"
	}
	return row
}

// peerRows lists every node but n, down ones included, as gossip keeps
// them.
func (c *Cluster) peerRows(n *Node, v2 bool) []map[string]any {
	var rows []map[string]any
	for _, p := range c.nodes {
		if p == n {
			continue
		}
		p.mu.Lock()
		sv := p.schemaVersion
		p.mu.Unlock()
		row := map[string]any{
			"peer": p.ip, "data_center": p.placement.DataCenter, "host_id": p.hostID,
			"preferred_ip": nil, "rack": p.placement.Rack, "release_version": c.cfg.release,
			"schema_version": sv, "tokens": p.tokens,
		}
		if v2 {
			row["peer_port"] = int32(7000)
			row["native_address"] = p.ip
			row["native_port"] = int32(c.cfg.port)
			row["preferred_port"] = nil
		} else {
			row["rpc_address"] = p.ip
		}
		rows = append(rows, row)
	}
	return rows
}

// virtualSchemaRows describes the virtual keyspaces and their tables as
// Cassandra 4.0+ does in system_virtual_schema (system_schema leaves them
// out).
func virtualSchemaRows(cat *schema.Catalog, table string) []map[string]any {
	var rows []map[string]any
	for _, ksName := range cat.AllKeyspaceNames() {
		ks := cat.Keyspaces[ksName]
		if !ks.Virtual {
			continue
		}
		if table == "keyspaces" {
			rows = append(rows, map[string]any{"keyspace_name": ksName})
			continue
		}
		for _, tn := range ks.TableNames() {
			t := ks.Tables[tn]
			if table == "tables" {
				rows = append(rows, map[string]any{"keyspace_name": ksName, "table_name": tn, "comment": t.Options.Comment})
				continue
			}
			for _, c := range t.OrderedColumns() {
				rows = append(rows, map[string]any{
					"keyspace_name": ksName, "table_name": tn, "column_name": c.Name,
					"clustering_order": string(c.Order), "column_name_bytes": []byte(c.Name),
					"kind": string(c.Kind), "position": int32(c.Position), "type": c.Type.String(),
				})
			}
		}
	}
	return rows
}
