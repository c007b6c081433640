package store

import (
	"bytes"
	"encoding/binary"
	"math"
	"sort"
	"sync"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// noTS marks the absence of a timestamp or deletion.
const noTS = math.MinInt64

// Options configures a Store.
type Options struct {
	// Clock is the time source; nil means the wall clock.
	Clock Clock
	// Types resolves user-defined types of column types. It receives the
	// type's keyspace, or the table's keyspace when the type is unqualified.
	Types TypeResolver
}

// Store holds the rows of many tables in memory. Tables are keyed by
// keyspace, name and table id, so a table dropped and created again under
// the same name starts empty. All operations are serialized by one lock,
// which also makes lightweight transactions linearizable.
type Store struct {
	mu     sync.Mutex
	clock  Clock
	types  TypeResolver
	tables map[tableKey]*tableData
	lastTS int64
	seq    int64 // list element paths
	gen    *timeUUIDGen
}

type tableKey struct {
	keyspace, name string
	id             schema.UUID
}

// New returns an empty store.
func New(opts Options) *Store {
	if opts.Clock == nil {
		opts.Clock = WallClock{}
	}
	return &Store{clock: opts.Clock, types: opts.Types, tables: map[tableKey]*tableData{}, gen: &timeUUIDGen{}}
}

// Clock returns the store's clock.
func (s *Store) Clock() Clock { return s.clock }

// DropTable forgets the data of every table named keyspace.table (any id).
func (s *Store) DropTable(keyspace, table string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.tables {
		if k.keyspace == keyspace && k.name == table {
			delete(s.tables, k)
		}
	}
}

// DropKeyspace forgets the data of every table of keyspace.
func (s *Store) DropKeyspace(keyspace string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.tables {
		if k.keyspace == keyspace {
			delete(s.tables, k)
		}
	}
}

// nextTimestamp returns a server-side write timestamp in microseconds:
// the clock, but always above the previous one, as Cassandra's coordinator
// makes them, so that successive writes order even when the clock stands.
func (s *Store) nextTimestamp() int64 {
	ts := s.clock.Now().UnixMicro()
	if ts <= s.lastTS {
		ts = s.lastTS + 1
	}
	s.lastTS = ts
	return ts
}

// tableData is the content of one table.
type tableData struct {
	parts map[string]*partition
	// order holds the partitions sorted by token then key bytes: the order
	// of a full scan.
	order []*partition
}

func (s *Store) table(t *schema.Table, create bool) *tableData {
	k := tableKey{t.Keyspace, t.Name, t.ID}
	td := s.tables[k]
	if td == nil && create {
		td = &tableData{parts: map[string]*partition{}}
		s.tables[k] = td
	}
	return td
}

func (td *tableData) partition(key []byte, values []any, create bool) *partition {
	if p := td.parts[string(key)]; p != nil || !create {
		return p
	}
	p := &partition{key: string(key), token: Token(key), values: values, deletion: noTS}
	td.parts[p.key] = p
	i := sort.Search(len(td.order), func(i int) bool { return !partitionLess(td.order[i], p) })
	td.order = append(td.order, nil)
	copy(td.order[i+1:], td.order[i:])
	td.order[i] = p
	return p
}

func partitionLess(a, b *partition) bool {
	if a.token != b.token {
		return a.token < b.token
	}
	return a.key < b.key
}

// partition is one partition: its key, tombstones, static row and rows in
// clustering order.
type partition struct {
	key      string
	token    int64
	values   []any
	deletion int64
	ranges   []rangeTombstone
	static   *row
	rows     []*row
}

// rangeTombstone deletes, at ts, the rows whose clustering matches every
// restriction (DELETE with a clustering prefix or slice).
type rangeTombstone struct {
	match func(ck []any) bool
	ts    int64
}

// row is one CQL row (or the static row of a partition).
type row struct {
	ck       []any
	marker   liveness
	deletion int64
	cells    map[string]*cell
	complex  map[string]*complexCell
}

func newRow(ck []any) *row {
	return &row{ck: ck, marker: liveness{ts: noTS}, deletion: noTS, cells: map[string]*cell{}, complex: map[string]*complexCell{}}
}

// liveness is a row marker: written by INSERT, it keeps a row alive even
// when all its columns are null.
type liveness struct {
	ts     int64
	ttl    int32
	expire int64 // unix seconds; 0 for none
}

// cell is a value (or tombstone) written at ts, possibly expiring.
type cell struct {
	ts     int64
	ttl    int32
	expire int64
	value  any
	dead   bool
}

// complexCell is a non-frozen collection: elements as cells of their own,
// and a collection-wide deletion.
type complexCell struct {
	deletion int64
	elems    []*elem
}

// elem is one element of a non-frozen collection. key is the list path
// (int64), the set element or the map key.
type elem struct {
	key any
	cell
}

// tableView is what a statement needs to know about its table.
type tableView struct {
	t     *schema.Table
	pk    []*schema.Column
	ck    []*schema.Column
	codec Codec
}

func (s *Store) view(t *schema.Table) *tableView {
	v := &tableView{t: t, pk: t.PartitionKey(), ck: t.ClusteringColumns()}
	if s.types != nil {
		ks := t.Keyspace
		v.codec = Codec{Types: func(keyspace, name string) (*UserType, error) {
			if keyspace == "" {
				keyspace = ks
			}
			return s.types(keyspace, name)
		}}
	}
	return v
}

// partitionKey serializes partition key values as Cassandra does: the value
// itself for one column; for several, each as a 2-byte length, the bytes
// and a zero byte.
func (v *tableView) partitionKey(values []any) ([]byte, error) {
	if len(v.pk) == 1 {
		return v.codec.Encode(v.pk[0].Type, values[0])
	}
	var out []byte
	for i, c := range v.pk {
		b, err := v.codec.Encode(c.Type, values[i])
		if err != nil {
			return nil, err
		}
		out = binary.BigEndian.AppendUint16(out, uint16(len(b)))
		out = append(out, b...)
		out = append(out, 0)
	}
	return out, nil
}

// compareClustering orders clustering prefixes as the table stores them,
// honouring each column's clustering order.
func (v *tableView) compareClustering(a, b []any) int {
	for i := 0; i < len(a) && i < len(b) && i < len(v.ck); i++ {
		r := v.codec.Compare(v.ck[i].Type, a[i], b[i])
		if v.ck[i].Order == schema.Desc {
			r = -r
		}
		if r != 0 {
			return r
		}
	}
	return 0
}

// findRow returns the index of the row with clustering ck, or where it
// would go, and whether it exists.
func (v *tableView) findRow(p *partition, ck []any) (int, bool) {
	i := sort.Search(len(p.rows), func(i int) bool { return v.compareClustering(p.rows[i].ck, ck) >= 0 })
	return i, i < len(p.rows) && v.compareClustering(p.rows[i].ck, ck) == 0
}

func (v *tableView) row(p *partition, ck []any, create bool) *row {
	if len(v.ck) == 0 {
		// A table without clustering columns has one row per partition.
		ck = nil
	}
	i, ok := v.findRow(p, ck)
	if ok {
		return p.rows[i]
	}
	if !create {
		return nil
	}
	r := newRow(ck)
	p.rows = append(p.rows, nil)
	copy(p.rows[i+1:], p.rows[i:])
	p.rows[i] = r
	return r
}

// wins reports whether a write (ts, dead, value) supersedes old, by
// Cassandra's reconciliation: the higher timestamp; on a tie a tombstone;
// then the later expiry; then the greater value bytes.
func (v *tableView) wins(t cql.Type, ts int64, dead bool, expire int64, value any, old *cell) bool {
	if old == nil {
		return true
	}
	if ts != old.ts {
		return ts > old.ts
	}
	if dead != old.dead {
		return dead
	}
	if dead {
		return false
	}
	if (expire == 0) != (old.expire == 0) {
		return expire == 0
	}
	if expire != old.expire {
		return expire > old.expire
	}
	a, _ := v.codec.Encode(t, value)
	b, _ := v.codec.Encode(t, old.value)
	return bytes.Compare(a, b) > 0
}

// writeCell sets (or, with dead, deletes) a simple column of r.
func (v *tableView) writeCell(r *row, col *schema.Column, c cell) {
	old := r.cells[col.Name]
	if v.wins(col.Type, c.ts, c.dead, c.expire, c.value, old) {
		nc := c
		r.cells[col.Name] = &nc
	}
}

func (r *row) complexOf(name string) *complexCell {
	cc := r.complex[name]
	if cc == nil {
		cc = &complexCell{deletion: noTS}
		r.complex[name] = cc
	}
	return cc
}

// elemKeyType is the type that orders a collection's element keys.
func elemKeyType(t cql.Type) cql.Type {
	switch t.Name {
	case "list":
		return cql.Type{Name: "bigint"}
	default:
		return t.Args[0]
	}
}

// writeElem writes one element cell of a non-frozen collection.
func (v *tableView) writeElem(r *row, col *schema.Column, key any, c cell) {
	cc := r.complexOf(col.Name)
	kt := elemKeyType(col.Type)
	i := sort.Search(len(cc.elems), func(i int) bool { return v.codec.Compare(kt, cc.elems[i].key, key) >= 0 })
	if i < len(cc.elems) && v.codec.Compare(kt, cc.elems[i].key, key) == 0 {
		old := &cc.elems[i].cell
		vt := cql.Type{Name: "blob"}
		if col.Type.Name == "list" || col.Type.Name == "map" {
			vt = col.Type.Args[len(col.Type.Args)-1]
		}
		if v.wins(vt, c.ts, c.dead, c.expire, c.value, old) {
			cc.elems[i].cell = c
		}
		return
	}
	cc.elems = append(cc.elems, nil)
	copy(cc.elems[i+1:], cc.elems[i:])
	cc.elems[i] = &elem{key: key, cell: c}
}

// clock snapshot for one statement: reads and writes use the same "now".
type instant struct {
	sec int64 // unix seconds, as Cassandra's nowInSec
}

func (c cell) liveAt(now instant, shadow int64) bool {
	return !c.dead && c.ts > shadow && (c.expire == 0 || now.sec < c.expire)
}

func (l liveness) liveAt(now instant, shadow int64) bool {
	return l.ts != noTS && l.ts > shadow && (l.expire == 0 || now.sec < l.expire)
}

// shadowOf is the newest deletion covering a row: partition, range and row
// tombstones.
func (v *tableView) shadowOf(p *partition, r *row) int64 {
	sh := p.deletion
	if r == p.static {
		return maxTS(sh, r.deletion)
	}
	for _, rt := range p.ranges {
		if rt.ts > sh && rt.match(r.ck) {
			sh = rt.ts
		}
	}
	return maxTS(sh, r.deletion)
}

func maxTS(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// cellValue is the live value of one column of a row with its write time
// and remaining TTL (writetime and ttl of collections are not selectable,
// as in Cassandra before 5.0).
type cellValue struct {
	value     any
	writetime int64
	ttl       int32 // remaining seconds, 0 when not expiring
	live      bool
}

// columnValue reads column col of r as of now.
func (v *tableView) columnValue(p *partition, r *row, col *schema.Column, now instant) cellValue {
	shadow := v.shadowOf(p, r)
	if d, ok := v.t.Dropped[col.Name]; ok && d.Time > shadow {
		// Data written before the column was dropped stays hidden after it
		// is added again.
		shadow = d.Time
	}
	t := col.Type
	if !t.IsFrozen() && t.IsCollection() {
		cc := r.complex[col.Name]
		if cc == nil {
			return cellValue{}
		}
		sh := maxTS(shadow, cc.deletion)
		var out cellValue
		var list []any
		var entries []MapEntry
		for _, e := range cc.elems {
			if !e.liveAt(now, sh) {
				continue
			}
			out.live = true
			if e.ts > out.writetime || out.writetime == 0 {
				out.writetime = e.ts
			}
			switch t.Name {
			case "list":
				list = append(list, e.value)
			case "set":
				list = append(list, e.key)
			default:
				entries = append(entries, MapEntry{e.key, e.value})
			}
		}
		if !out.live {
			return cellValue{}
		}
		if t.Name == "map" {
			out.value = entries
		} else {
			out.value = list
		}
		return out
	}
	c := r.cells[col.Name]
	if c == nil || !c.liveAt(now, shadow) {
		return cellValue{}
	}
	out := cellValue{value: c.value, writetime: c.ts, live: true}
	if c.expire != 0 {
		out.ttl = int32(c.expire - now.sec)
	}
	return out
}

// rowLive reports whether a (non-static) row exists: a live marker or any
// live regular column.
func (v *tableView) rowLive(p *partition, r *row, now instant) bool {
	shadow := v.shadowOf(p, r)
	if r.marker.liveAt(now, shadow) {
		return true
	}
	for _, col := range v.t.Columns {
		if col.Kind != schema.Regular {
			continue
		}
		if v.columnValue(p, r, col, now).live {
			return true
		}
	}
	return false
}

// staticLive reports whether the partition has a live static column.
func (v *tableView) staticLive(p *partition, now instant) bool {
	if p.static == nil {
		return false
	}
	for _, col := range v.t.Columns {
		if col.Kind == schema.Static && v.columnValue(p, p.static, col, now).live {
			return true
		}
	}
	return false
}

// selectOrder lists the columns as SELECT * returns them in Cassandra
// (TableMetadata.allColumnsInSelectOrder): partition key, clustering, then
// static and regular columns, each group in alphabetical order whether
// simple or multi-cell.
func selectOrder(t *schema.Table) []*schema.Column { return t.OrderedColumns() }
