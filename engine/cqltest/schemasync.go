package cqltest

import (
	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// applyDDL applies a schema change on its coordinator at once and sends it
// on to the other nodes, after the configured delay, unless the coordinator
// itself is cut off from schema exchange (SetSchemaAgreement(false)). Each node holds its own
// copy of the resulting schema (so table ids agree cluster-wide, as they do
// in Cassandra where the coordinator's schema mutations are pushed).
//
// Schema changes are serialised cluster-wide. A change coordinated by a node
// that has not yet received an earlier one is applied to that node's older
// schema, and the later snapshot wins everywhere: concurrent DDL on
// different nodes within the delay can lose a change, which real Cassandra
// would merge (docs/testing.md lists this).
func (c *Cluster) applyDDL(coord *Node, stmt cql.Stmt, keyspace string) (schema.Effect, error) {
	c.ddlMu.Lock()
	defer c.ddlMu.Unlock()
	prev := coord.schemaState()
	cat := prev.cat.Clone()
	eff, err := cat.Apply(stmt, keyspace)
	if err != nil || !eff.Changed() {
		return eff, err
	}
	c.schemaSeq++
	st := prev.changed(cat, c.schemaSeq, eff.Keyspace)
	coord.setCatalog(st)
	coord.mu.Lock()
	coord.ddl++
	isolated := !coord.agrees
	coord.mu.Unlock()
	c.stats.ddl(coord.index)
	if isolated {
		// A node cut off from schema exchange keeps its own change: the
		// others never see it, and the cluster disagrees whoever
		// coordinated.
		coord.invalidatePrepared(eff)
		coord.sendSchemaEvent(eff)
		return eff, nil
	}
	c.latest = st
	c.data.types.Store(cat)
	c.dropData(eff)
	// Cassandra drops the prepared statements of a table whose columns
	// change (onAlterTable with affectsStatements), not on option changes.
	inval := eff
	if at, ok := stmt.(*cql.AlterTable); ok && at.Action == cql.AlterTableWith {
		inval = schema.Effect{}
	}
	coord.invalidatePrepared(inval)
	coord.sendSchemaEvent(eff)
	for _, n := range c.nodes {
		if n == coord {
			continue
		}
		n := n
		d := n.schemaDelay()
		if d <= 0 {
			c.deliver(n, st, eff, inval)
			continue
		}
		c.after(d, func() { c.deliver(n, st, eff, inval) })
	}
	return eff, nil
}

// dropData forgets the rows of dropped tables and keyspaces, so that one
// created again under the same name starts empty.
func (c *Cluster) dropData(eff schema.Effect) {
	if eff.Op != schema.OpDrop {
		return
	}
	switch eff.Object {
	case schema.ObjKeyspace:
		c.data.store.DropKeyspace(eff.Keyspace)
	case schema.ObjTable:
		c.data.store.DropTable(eff.Keyspace, eff.Name)
	}
}

// deliver installs a schema on a node unless the node is down, does not
// agree, or already has a newer one.
func (c *Cluster) deliver(n *Node, st schemaState, eff, inval schema.Effect) {
	n.mu.Lock()
	skip := n.down || !n.agrees || n.schemaSeq >= st.seq
	n.mu.Unlock()
	if skip {
		return
	}
	n.setCatalog(st)
	n.invalidatePrepared(inval)
	n.sendSchemaEvent(eff)
}

// syncNode brings a node that comes back up, or starts agreeing again, to
// the cluster's newest schema. With force it replaces whatever the node
// has, changes it made alone while cut off included, as a node that rejoins
// pulls the cluster's schema.
func (c *Cluster) syncNode(n *Node, force bool) {
	c.ddlMu.Lock()
	defer c.ddlMu.Unlock()
	st := c.latest
	n.mu.Lock()
	skip := n.down || !n.agrees || (!force && n.schemaSeq >= st.seq) || n.schemaVersion == st.version
	n.mu.Unlock()
	if !skip {
		n.setCatalog(st)
	}
}

func (n *Node) sendSchemaEvent(eff schema.Effect) {
	change, target, ks, name, args, ok := eff.SchemaChange()
	if !ok {
		return
	}
	n.sendEvent("SCHEMA_CHANGE", wire.EncodeSchemaChangeEvent(wire.SchemaChange{
		Change: change, Target: target, Keyspace: ks, Name: name, ArgTypes: args}))
}

// broadcastStatus tells the registered connections of every other live
// node that n went DOWN or came UP.
func (c *Cluster) broadcastStatus(n *Node, change string) {
	body := wire.EncodeNodeEvent("STATUS_CHANGE", change, n.ip, c.cfg.port)
	for _, o := range c.nodes {
		if o != n && !o.IsDown() {
			o.sendEvent("STATUS_CHANGE", body)
		}
	}
}
