package wire

import (
	"fmt"
	"net"
)

// Consistency is a [consistency] level.
type Consistency uint16

// The consistency levels of protocol v4.
const (
	Any         Consistency = 0x0000
	One         Consistency = 0x0001
	Two         Consistency = 0x0002
	Three       Consistency = 0x0003
	Quorum      Consistency = 0x0004
	All         Consistency = 0x0005
	LocalQuorum Consistency = 0x0006
	EachQuorum  Consistency = 0x0007
	Serial      Consistency = 0x0008
	LocalSerial Consistency = 0x0009
	LocalOne    Consistency = 0x000A
)

var consistencyNames = []string{"ANY", "ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM",
	"EACH_QUORUM", "SERIAL", "LOCAL_SERIAL", "LOCAL_ONE"}

// String returns the level's CQL name, e.g. LOCAL_QUORUM.
func (c Consistency) String() string {
	if int(c) < len(consistencyNames) {
		return consistencyNames[c]
	}
	return fmt.Sprintf("0x%04X", uint16(c))
}

// Query parameter flags (spec section 4.1.4).
const (
	QueryValues            = 0x01
	QuerySkipMetadata      = 0x02
	QueryPageSize          = 0x04
	QueryPagingState       = 0x08
	QuerySerialConsistency = 0x10
	QueryDefaultTimestamp  = 0x20
	QueryNamesForValues    = 0x40
)

// QueryParams are the parameters shared by QUERY and EXECUTE.
type QueryParams struct {
	Consistency Consistency
	Flags       byte
	Values      []Value
	// Names holds the bound variable names when the client sent values by
	// name (flag 0x40); it is parallel to Values.
	Names             []string
	PageSize          int32
	PagingState       []byte
	SerialConsistency Consistency
	// Timestamp is the client-side default timestamp in microseconds, set
	// when HasTimestamp.
	Timestamp    int64
	HasTimestamp bool
}

func (r *Reader) queryParams() QueryParams {
	p := QueryParams{Consistency: Consistency(r.Short()), Flags: r.Byte(), PageSize: -1}
	if p.Flags&QueryValues != 0 {
		n := int(r.Short())
		for i := 0; i < n && r.err == nil; i++ {
			if p.Flags&QueryNamesForValues != 0 {
				p.Names = append(p.Names, r.String())
			}
			p.Values = append(p.Values, r.Value())
		}
	}
	if p.Flags&QueryPageSize != 0 {
		p.PageSize = r.Int()
	}
	if p.Flags&QueryPagingState != 0 {
		p.PagingState = r.Bytes()
	}
	if p.Flags&QuerySerialConsistency != 0 {
		p.SerialConsistency = Consistency(r.Short())
	}
	if p.Flags&QueryDefaultTimestamp != 0 {
		p.Timestamp = r.Long()
		p.HasTimestamp = true
	}
	return p
}

func (w *Writer) queryParams(p QueryParams) {
	flags := p.Flags &^ (QueryValues | QueryPageSize | QueryPagingState | QuerySerialConsistency | QueryDefaultTimestamp | QueryNamesForValues)
	if len(p.Values) > 0 {
		flags |= QueryValues
		if len(p.Names) > 0 {
			flags |= QueryNamesForValues
		}
	}
	if p.PageSize > 0 {
		flags |= QueryPageSize
	}
	if p.PagingState != nil {
		flags |= QueryPagingState
	}
	if p.SerialConsistency != 0 {
		flags |= QuerySerialConsistency
	}
	if p.HasTimestamp {
		flags |= QueryDefaultTimestamp
	}
	w.Short(uint16(p.Consistency))
	w.Byte(flags)
	if flags&QueryValues != 0 {
		w.Short(uint16(len(p.Values)))
		for i, v := range p.Values {
			if flags&QueryNamesForValues != 0 {
				w.String(p.Names[i])
			}
			w.Value(v)
		}
	}
	if flags&QueryPageSize != 0 {
		w.Int(p.PageSize)
	}
	if flags&QueryPagingState != 0 {
		w.Bytes(p.PagingState)
	}
	if flags&QuerySerialConsistency != 0 {
		w.Short(uint16(p.SerialConsistency))
	}
	if flags&QueryDefaultTimestamp != 0 {
		w.Long(p.Timestamp)
	}
}

// Query is a QUERY request.
type Query struct {
	Query  string
	Params QueryParams
}

// Execute is an EXECUTE request.
type Execute struct {
	ID     []byte
	Params QueryParams
}

// BatchType is the kind of a BATCH.
type BatchType byte

// The batch types.
const (
	BatchLogged   BatchType = 0
	BatchUnlogged BatchType = 1
	BatchCounter  BatchType = 2
)

// BatchStatement is one statement of a BATCH: a query string or the id of a
// prepared statement, with its bound values.
type BatchStatement struct {
	Query  string
	ID     []byte
	Values []Value
	Names  []string
}

// Batch is a BATCH request.
type Batch struct {
	Type              BatchType
	Statements        []BatchStatement
	Consistency       Consistency
	Flags             byte
	SerialConsistency Consistency
	Timestamp         int64
	HasTimestamp      bool
}

// DecodeStartup decodes a STARTUP body: a [string map] of options.
func DecodeStartup(body []byte) (map[string]string, error) {
	r := NewReader(body)
	m := r.StringMap()
	return m, wrap(r, "STARTUP")
}

// DecodeAuthResponse decodes an AUTH_RESPONSE body: the SASL token.
func DecodeAuthResponse(body []byte) ([]byte, error) {
	r := NewReader(body)
	tok := r.Bytes()
	return tok, wrap(r, "AUTH_RESPONSE")
}

// DecodeRegister decodes a REGISTER body: the event types.
func DecodeRegister(body []byte) ([]string, error) {
	r := NewReader(body)
	l := r.StringList()
	return l, wrap(r, "REGISTER")
}

// DecodePrepare decodes a PREPARE body: the query string.
func DecodePrepare(body []byte) (string, error) {
	r := NewReader(body)
	q := r.LongString()
	return q, wrap(r, "PREPARE")
}

// DecodeQuery decodes a QUERY body.
func DecodeQuery(body []byte) (Query, error) {
	r := NewReader(body)
	q := Query{Query: r.LongString()}
	q.Params = r.queryParams()
	return q, wrap(r, "QUERY")
}

// DecodeExecute decodes an EXECUTE body.
func DecodeExecute(body []byte) (Execute, error) {
	r := NewReader(body)
	e := Execute{ID: r.ShortBytes()}
	e.Params = r.queryParams()
	return e, wrap(r, "EXECUTE")
}

// DecodeBatch decodes a BATCH body.
func DecodeBatch(body []byte) (Batch, error) {
	r := NewReader(body)
	b := Batch{Type: BatchType(r.Byte())}
	n := int(r.Short())
	for i := 0; i < n && r.err == nil; i++ {
		var s BatchStatement
		switch kind := r.Byte(); kind {
		case 0:
			s.Query = r.LongString()
		case 1:
			s.ID = r.ShortBytes()
		default:
			return Batch{}, fmt.Errorf("decode BATCH: statement %d has invalid kind %d", i, kind)
		}
		nv := int(r.Short())
		s.Values = make([]Value, 0, nv)
		// Flag 0x40 (names for values) comes after the statements, so names
		// cannot be known here; the spec says it does not work for batches.
		for j := 0; j < nv && r.err == nil; j++ {
			s.Values = append(s.Values, r.Value())
		}
		b.Statements = append(b.Statements, s)
	}
	b.Consistency = Consistency(r.Short())
	b.Flags = r.Byte()
	if b.Flags&QuerySerialConsistency != 0 {
		b.SerialConsistency = Consistency(r.Short())
	}
	if b.Flags&QueryDefaultTimestamp != 0 {
		b.Timestamp = r.Long()
		b.HasTimestamp = true
	}
	return b, wrap(r, "BATCH")
}

// EncodeQuery encodes a QUERY body; clients and tests use it.
func EncodeQuery(q Query) []byte {
	var w Writer
	w.LongString(q.Query)
	w.queryParams(q.Params)
	return w.B
}

// EncodeExecute encodes an EXECUTE body.
func EncodeExecute(e Execute) []byte {
	var w Writer
	w.ShortBytes(e.ID)
	w.queryParams(e.Params)
	return w.B
}

// EncodeStartup encodes a STARTUP body with its options in the given order.
func EncodeStartup(keys []string, opts map[string]string) []byte {
	var w Writer
	w.StringMap(keys, opts)
	return w.B
}

func wrap(r *Reader, what string) error {
	if r.Err() != nil {
		return fmt.Errorf("decode %s: %w", what, r.Err())
	}
	return nil
}

// Result kinds (spec section 4.2.5).
const (
	ResultVoid         = 0x0001
	ResultRows         = 0x0002
	ResultSetKeyspace  = 0x0003
	ResultPrepared     = 0x0004
	ResultSchemaChange = 0x0005
)

// Rows metadata flags (spec section 4.2.5.2).
const (
	MetaGlobalTablesSpec = 0x0001
	MetaHasMorePages     = 0x0002
	MetaNoMetadata       = 0x0004
)

// Column is a column specification of result or prepared metadata.
type Column struct {
	Keyspace string
	Table    string
	Name     string
	Type     Option
}

// Metadata is the metadata of a Rows result or of a prepared statement's
// result. NoMetadata omits the column specifications (the client asked to
// skip them); PagingState, when not nil, sets Has_more_pages.
type Metadata struct {
	Columns     []Column
	PagingState []byte
	NoMetadata  bool
}

func globalSpec(cols []Column) bool {
	if len(cols) == 0 {
		return false
	}
	for _, c := range cols[1:] {
		if c.Keyspace != cols[0].Keyspace || c.Table != cols[0].Table {
			return false
		}
	}
	return true
}

func (w *Writer) columnSpecs(cols []Column) {
	global := globalSpec(cols)
	if global {
		w.String(cols[0].Keyspace)
		w.String(cols[0].Table)
	}
	for _, c := range cols {
		if !global {
			w.String(c.Keyspace)
			w.String(c.Table)
		}
		w.String(c.Name)
		w.Option(c.Type)
	}
}

func (w *Writer) metadata(m Metadata) {
	var flags int32
	if m.PagingState != nil {
		flags |= MetaHasMorePages
	}
	if m.NoMetadata {
		flags |= MetaNoMetadata
	} else if globalSpec(m.Columns) {
		flags |= MetaGlobalTablesSpec
	}
	w.Int(flags)
	w.Int(int32(len(m.Columns)))
	if m.PagingState != nil {
		w.Bytes(m.PagingState)
	}
	if !m.NoMetadata {
		w.columnSpecs(m.Columns)
	}
}

// EncodeVoid encodes a Void RESULT.
func EncodeVoid() []byte {
	var w Writer
	w.Int(ResultVoid)
	return w.B
}

// EncodeRows encodes a Rows RESULT: metadata, then each row's cells as
// [bytes] (nil cells are null).
func EncodeRows(m Metadata, rows [][][]byte) []byte {
	size := 64 + 32*len(m.Columns)
	for _, row := range rows {
		for _, cell := range row {
			size += 4 + len(cell)
		}
	}
	w := Writer{B: make([]byte, 0, size)}
	w.Int(ResultRows)
	w.metadata(m)
	w.Int(int32(len(rows)))
	for _, row := range rows {
		for _, cell := range row {
			w.Bytes(cell)
		}
	}
	return w.B
}

// EncodeSetKeyspace encodes a Set_keyspace RESULT, the answer to USE.
func EncodeSetKeyspace(ks string) []byte {
	var w Writer
	w.Int(ResultSetKeyspace)
	w.String(ks)
	return w.B
}

// Prepared is a Prepared RESULT: the statement id, the bound variables
// with the indexes of those that make up the partition key, and the
// metadata of the rows the statement returns.
type Prepared struct {
	ID        []byte
	Variables []Column
	PKIndexes []uint16
	Result    Metadata
}

// EncodePrepared encodes a Prepared RESULT.
func EncodePrepared(p Prepared) []byte {
	var w Writer
	w.Int(ResultPrepared)
	w.ShortBytes(p.ID)
	var flags int32
	if globalSpec(p.Variables) {
		flags |= MetaGlobalTablesSpec
	}
	w.Int(flags)
	w.Int(int32(len(p.Variables)))
	w.Int(int32(len(p.PKIndexes)))
	for _, i := range p.PKIndexes {
		w.Short(i)
	}
	w.columnSpecs(p.Variables)
	w.metadata(p.Result)
	return w.B
}

// SchemaChange describes a schema change, in a Schema_change RESULT or an
// EVENT. Change is CREATED, UPDATED or DROPPED; Target is KEYSPACE, TABLE,
// TYPE, FUNCTION or AGGREGATE. Name is empty for a keyspace; ArgTypes are
// the argument types of a function or aggregate.
type SchemaChange struct {
	Change   string
	Target   string
	Keyspace string
	Name     string
	ArgTypes []string
}

func (w *Writer) schemaChange(c SchemaChange) {
	w.String(c.Change)
	w.String(c.Target)
	w.String(c.Keyspace)
	switch c.Target {
	case "KEYSPACE":
	case "FUNCTION", "AGGREGATE":
		w.String(c.Name)
		w.StringList(c.ArgTypes)
	default:
		w.String(c.Name)
	}
}

// EncodeSchemaChangeResult encodes a Schema_change RESULT.
func EncodeSchemaChangeResult(c SchemaChange) []byte {
	var w Writer
	w.Int(ResultSchemaChange)
	w.schemaChange(c)
	return w.B
}

// EncodeSchemaChangeEvent encodes an EVENT of type SCHEMA_CHANGE.
func EncodeSchemaChangeEvent(c SchemaChange) []byte {
	var w Writer
	w.String("SCHEMA_CHANGE")
	w.schemaChange(c)
	return w.B
}

// EncodeNodeEvent encodes a TOPOLOGY_CHANGE or STATUS_CHANGE EVENT, e.g.
// ("STATUS_CHANGE", "DOWN", 127.0.0.2, 9042).
func EncodeNodeEvent(kind, change string, ip net.IP, port int) []byte {
	var w Writer
	w.String(kind)
	w.String(change)
	w.Inet(ip, port)
	return w.B
}

// EncodeSupported encodes a SUPPORTED body with keys in the given order.
func EncodeSupported(keys []string, m map[string][]string) []byte {
	var w Writer
	w.StringMultimap(keys, m)
	return w.B
}

// EncodeAuthenticate encodes an AUTHENTICATE body naming the authenticator
// class.
func EncodeAuthenticate(class string) []byte {
	var w Writer
	w.String(class)
	return w.B
}

// EncodeToken encodes the [bytes] body of AUTH_CHALLENGE and AUTH_SUCCESS.
func EncodeToken(tok []byte) []byte {
	var w Writer
	w.Bytes(tok)
	return w.B
}
