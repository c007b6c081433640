package cqltest

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/cqltest/store"
	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// preparedStmt is a statement a node prepared: its text, the keyspace of
// the connection that prepared it, and the parsed statement.
type preparedStmt struct {
	id       []byte
	text     string
	keyspace string
	stmt     cql.Stmt
	meta     wire.Prepared
	// tableKS and table name the table the statement reads or writes, if
	// any, so that dropping or altering it can invalidate the statement.
	tableKS, table string
}

// preparedID is Cassandra's statement id: the MD5 digest of the keyspace
// the statement was prepared in (when any) followed by the query text
// (QueryProcessor.computeId).
func preparedID(keyspace, text string) []byte {
	sum := md5.Sum([]byte(keyspace + text))
	return sum[:]
}

// request is one statement to execute, with everything that came with it.
type request struct {
	conn     *conn
	stmt     cql.Stmt
	text     string
	keyspace string
	values   []wire.Value
	names    []string
	params   wire.QueryParams
	prepared *preparedStmt
}

// handleStatement serves QUERY, PREPARE, EXECUTE and BATCH. A panic in
// the engines behind it becomes a server error (0x0000) for that request,
// as a Cassandra node answers an unexpected exception, instead of taking
// the whole test process down.
func (c *conn) handleStatement(h wire.Header, body []byte) {
	var (
		resp []byte
		err  error
	)
	defer func() {
		if r := recover(); r != nil {
			c.writeError(h.Stream, ServerError(fmt.Sprintf("unexpected error executing %s: %v", h.Opcode, r)))
		}
	}()
	switch h.Opcode {
	case wire.OpQuery:
		resp, err = c.query(body)
	case wire.OpPrepare:
		resp, err = c.prepare(body)
	case wire.OpExecute:
		resp, err = c.execute(body)
	case wire.OpBatch:
		resp, err = c.batch(body)
	}
	if errors.Is(err, errDropConnection) {
		c.close()
		return
	}
	if err != nil {
		c.writeError(h.Stream, toWireError(err))
		return
	}
	c.writeFrame(h.Stream, wire.OpResult, resp)
}

// errDropConnection makes handleStatement close the connection unanswered.
var errDropConnection = errors.New("drop connection")

func (c *conn) query(body []byte) ([]byte, error) {
	q, err := wire.DecodeQuery(body)
	if err != nil {
		return nil, protocolError("%v", err)
	}
	stmt, err := cql.Parse(q.Query)
	if err != nil {
		return nil, err
	}
	if err := c.node.cluster.checkGrammar(stmt, q.Query); err != nil {
		return nil, err
	}
	r := &request{conn: c, stmt: stmt, text: q.Query, keyspace: c.currentKeyspace(),
		values: q.Params.Values, names: q.Params.Names, params: q.Params}
	return c.run(r, []string{q.Query})
}

func (c *conn) prepare(body []byte) ([]byte, error) {
	text, err := wire.DecodePrepare(body)
	if err != nil {
		return nil, protocolError("%v", err)
	}
	stmt, err := cql.Parse(text)
	if err != nil {
		return nil, err
	}
	if err := c.node.cluster.checkGrammar(stmt, text); err != nil {
		return nil, err
	}
	ks := c.currentKeyspace()
	p := &preparedStmt{id: preparedID(c.node.cluster.idKeyspace(stmt, ks), text), text: text, keyspace: ks, stmt: stmt}
	if name, ok := stmtTable(stmt); ok {
		p.tableKS, p.table = name.KeyspaceOr(ks), name.Name.Name
	}
	meta, err := c.node.cluster.prepareMetadata(c.node, stmt, p.keyspace)
	if err != nil {
		return nil, err
	}
	meta.ID = p.id
	p.meta = meta
	c.node.mu.Lock()
	c.node.prepared[string(p.id)] = p
	c.node.mu.Unlock()
	return wire.EncodePrepared(meta), nil
}

func (n *Node) lookupPrepared(id []byte) (*preparedStmt, error) {
	n.mu.Lock()
	p := n.prepared[string(id)]
	n.mu.Unlock()
	if p == nil {
		return nil, &wire.Error{Code: wire.CodeUnprepared, ID: id, Message: fmt.Sprintf(
			"Prepared query with ID %s not found (either the query was not prepared on this host (maybe the host has been restarted?) or you have prepared too many queries and it has been evicted from the internal cache)",
			hex.EncodeToString(id))}
	}
	return p, nil
}

// idKeyspace is the keyspace that goes into a statement's id. Since
// Cassandra 4.0.2 (CASSANDRA-15252) a fully qualified statement is stored
// without the session keyspace, so that clients in different keyspaces
// share it; before, the session keyspace always went in.
func (c *Cluster) idKeyspace(stmt cql.Stmt, sessionKeyspace string) string {
	if c.version >= schema.V4_0 {
		if name, ok := stmtTable(stmt); ok && name.Keyspace != nil {
			return ""
		}
	}
	return sessionKeyspace
}

// stmtTable returns the table a DML statement or SELECT names.
func stmtTable(stmt cql.Stmt) (cql.QualifiedName, bool) {
	switch s := stmt.(type) {
	case *cql.Select:
		return s.Table, true
	case *cql.Insert:
		return s.Table, true
	case *cql.Update:
		return s.Table, true
	case *cql.Delete:
		return s.Table, true
	case *cql.Truncate:
		return s.Table, true
	}
	return cql.QualifiedName{}, false
}

// invalidatePrepared forgets the prepared statements a schema change makes
// stale, as Cassandra's QueryProcessor does when a keyspace or table is
// dropped or a table's columns change: the next EXECUTE gets Unprepared and
// the driver prepares again.
func (n *Node) invalidatePrepared(eff schema.Effect) {
	var match func(p *preparedStmt) bool
	switch {
	case eff.Object == schema.ObjKeyspace && eff.Op == schema.OpDrop:
		match = func(p *preparedStmt) bool { return p.tableKS == eff.Keyspace }
	case (eff.Object == schema.ObjTable || eff.Object == schema.ObjView) && eff.Op != schema.OpCreate,
		eff.Object == schema.ObjColumn:
		match = func(p *preparedStmt) bool { return p.tableKS == eff.Keyspace && p.table == eff.Name }
	default:
		return
	}
	n.mu.Lock()
	for id, p := range n.prepared {
		if match(p) {
			delete(n.prepared, id)
		}
	}
	n.mu.Unlock()
}

// ForgetPrepared drops every statement the node prepared, as a restart
// does; the next EXECUTE of one gets an Unprepared error.
func (n *Node) ForgetPrepared() {
	n.mu.Lock()
	n.prepared = map[string]*preparedStmt{}
	n.mu.Unlock()
}

func (c *conn) execute(body []byte) ([]byte, error) {
	e, err := wire.DecodeExecute(body)
	if err != nil {
		return nil, protocolError("%v", err)
	}
	p, err := c.node.lookupPrepared(e.ID)
	if err != nil {
		return nil, err
	}
	r := &request{conn: c, stmt: p.stmt, text: p.text, keyspace: p.keyspace,
		values: e.Params.Values, names: e.Params.Names, params: e.Params, prepared: p}
	if r.keyspace == "" {
		r.keyspace = c.currentKeyspace()
	}
	return c.run(r, []string{p.text})
}

func (c *conn) batch(body []byte) ([]byte, error) {
	b, err := wire.DecodeBatch(body)
	if err != nil {
		return nil, protocolError("%v", err)
	}
	var (
		items []batchItem
		texts []string
	)
	for _, s := range b.Statements {
		it := batchItem{values: s.Values, keyspace: c.currentKeyspace()}
		if s.ID != nil {
			p, err := c.node.lookupPrepared(s.ID)
			if err != nil {
				return nil, err
			}
			it.stmt, it.text = p.stmt, p.text
			if p.keyspace != "" {
				it.keyspace = p.keyspace
			}
		} else {
			st, err := cql.Parse(s.Query)
			if err != nil {
				return nil, err
			}
			if err := c.node.cluster.checkGrammar(st, s.Query); err != nil {
				return nil, err
			}
			it.stmt, it.text = st, s.Query
		}
		switch it.stmt.Kind() {
		case cql.KindInsert, cql.KindUpdate, cql.KindDelete:
		default:
			return nil, invalidf("Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.")
		}
		items = append(items, it)
		texts = append(texts, it.text)
	}
	if act, err := c.applyFault(texts); act != nil || err != nil {
		return c.afterFault(act, err, texts, func() ([]byte, error) { return c.runBatch(b, items) })
	}
	return c.runBatch(b, items)
}

type batchItem struct {
	stmt     cql.Stmt
	text     string
	keyspace string
	values   []wire.Value
}

func (c *conn) runBatch(b wire.Batch, items []batchItem) ([]byte, error) {
	stats := &c.node.cluster.stats
	stats.statement(string(cql.KindBatch), false)
	for _, it := range items {
		stats.statement(string(it.stmt.Kind()), store.HasConditions(it.stmt))
	}
	return c.node.cluster.data.batch(context.Background(), c.node, b, items)
}

// run executes one statement after the faults had their say.
func (c *conn) run(r *request, texts []string) ([]byte, error) {
	act, err := c.applyFault(texts)
	if act != nil || err != nil {
		return c.afterFault(act, err, texts, func() ([]byte, error) { return c.exec(r) })
	}
	return c.exec(r)
}

// applyFault picks the fault acting on the request, waits its delay and
// reports a drop, stall or error. A returned injection with a nil error
// means "execute, then maybe pause".
func (c *conn) applyFault(texts []string) (*Injection, error) {
	in := c.node.cluster.faults.pick(c.node.index, texts)
	if in == nil {
		return nil, nil
	}
	c.node.cluster.stats.fault()
	f := in.fault
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-c.done:
			t.Stop()
			return in, errDropConnection
		}
	}
	switch {
	case f.Drop:
		return in, errDropConnection
	case f.Stall:
		c.stalled.Store(true)
		return in, errDropConnection
	case f.Err != nil:
		e := *f.Err
		return in, &e
	}
	return in, nil
}

func (c *conn) afterFault(in *Injection, err error, texts []string, exec func() ([]byte, error)) ([]byte, error) {
	if err != nil {
		if errors.Is(err, errDropConnection) && in.fault.Stall {
			// A stalled connection stays open and swallows every answer.
			return nil, nil
		}
		return nil, err
	}
	resp, err := exec()
	if in.fault.Pause {
		in.hold(c, strings.Join(texts, "; "))
	}
	return resp, err
}

// exec executes a parsed statement on the connection's node.
func (c *conn) exec(r *request) ([]byte, error) {
	cl := c.node.cluster
	stmt := r.stmt
	switch s := stmt.(type) {
	case *cql.Use:
		cl.stats.statement(string(cql.KindUse), false)
		cat := c.node.currentCatalog()
		if cat.Keyspace(s.Keyspace.Name) == nil {
			return nil, invalidf("Keyspace '%s' does not exist", s.Keyspace.Name)
		}
		c.setKeyspace(s.Keyspace.Name)
		return wire.EncodeSetKeyspace(s.Keyspace.Name), nil
	case *cql.Select:
		ks := s.Table.KeyspaceOr(r.keyspace)
		kind := string(cql.KindSelect)
		if schema.IsSystemKeyspace(ks) {
			kind += " system"
		}
		cl.stats.statement(kind, false)
		return cl.data.selectRows(context.Background(), c.node, r)
	}
	kind := stmt.Kind()
	cl.stats.statement(string(kind), store.HasConditions(stmt))
	if isAuthStatement(stmt) {
		return c.execAuth(stmt)
	}
	switch {
	case kind == cql.KindInsert || kind == cql.KindUpdate || kind == cql.KindDelete || kind == cql.KindBatch:
		// A CQL BEGIN BATCH ... APPLY BATCH sent as one QUERY runs like
		// the protocol's BATCH message: it is data, not a schema change.
		return cl.data.modify(context.Background(), c.node, r)
	case kind == cql.KindTruncate:
		return cl.data.truncate(c.node, r)
	}
	eff, err := cl.applyDDL(c.node, stmt, r.keyspace)
	if err != nil {
		var se *schema.Error
		if errors.As(err, &se) && se.Code == schema.CodeSyntax && se.Msg == schema.NoViableIF {
			if msg := noViableAlternative(r.text, "IF", false); msg != "" {
				return nil, &wire.Error{Code: wire.CodeSyntaxError, Message: msg}
			}
		}
		return nil, err
	}
	change, target, ks, name, args, ok := eff.SchemaChange()
	if !ok {
		return wire.EncodeVoid(), nil
	}
	return wire.EncodeSchemaChangeResult(wire.SchemaChange{Change: change, Target: target, Keyspace: ks, Name: name, ArgTypes: args}), nil
}

func invalidf(format string, args ...any) *wire.Error {
	return &wire.Error{Code: wire.CodeInvalid, Message: fmt.Sprintf(format, args...)}
}

// toWireError turns an execution error into the ERROR Cassandra would
// send: schema and store errors carry their protocol code, syntax errors
// become 0x2000, anything else a server error.
func toWireError(err error) *wire.Error {
	var we *wire.Error
	if errors.As(err, &we) {
		return we
	}
	var se *schema.Error
	if errors.As(err, &se) {
		return &wire.Error{Code: wire.ErrorCode(se.Code), Message: se.Msg, Keyspace: se.Keyspace, Table: se.Table}
	}
	var syn *cql.SyntaxError
	if errors.As(err, &syn) {
		return &wire.Error{Code: wire.CodeSyntaxError, Message: syntaxMessage(syn)}
	}
	return &wire.Error{Code: wire.CodeServerError, Message: err.Error()}
}
