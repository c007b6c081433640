package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
)

// ErrShortBody reports a message body that ends before a value it announces.
var ErrShortBody = errors.New("not enough bytes in message body")

// Value is a [value] of the spec: bytes, or null (Null), or not set (Unset,
// protocol v4 only, for bound variables a query leaves unchanged).
type Value struct {
	Bytes []byte
	Null  bool
	Unset bool
}

// Reader decodes the notations of spec section 3 from a message body. The
// first error sticks: later reads return zero values, and Err reports it, so
// a decoder can read a whole message and check once.
type Reader struct {
	b   []byte
	err error
}

// NewReader returns a Reader over body.
func NewReader(body []byte) *Reader { return &Reader{b: body} }

// Err returns the first decoding error.
func (r *Reader) Err() error { return r.err }

// Len returns the number of unread bytes.
func (r *Reader) Len() int { return len(r.b) }

func (r *Reader) take(n int, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b) {
		r.err = fmt.Errorf("read %s of %d bytes with %d left: %w", what, n, len(r.b), ErrShortBody)
		return nil
	}
	p := r.b[:n:n]
	r.b = r.b[n:]
	return p
}

// Byte reads one byte.
func (r *Reader) Byte() byte {
	p := r.take(1, "[byte]")
	if p == nil {
		return 0
	}
	return p[0]
}

// Short reads a [short], an unsigned 16-bit integer.
func (r *Reader) Short() uint16 {
	p := r.take(2, "[short]")
	if p == nil {
		return 0
	}
	return binary.BigEndian.Uint16(p)
}

// Int reads an [int].
func (r *Reader) Int() int32 {
	p := r.take(4, "[int]")
	if p == nil {
		return 0
	}
	return int32(binary.BigEndian.Uint32(p))
}

// Long reads a [long].
func (r *Reader) Long() int64 {
	p := r.take(8, "[long]")
	if p == nil {
		return 0
	}
	return int64(binary.BigEndian.Uint64(p))
}

// String reads a [string]: a [short] length and UTF-8 bytes.
func (r *Reader) String() string {
	n := int(r.Short())
	return string(r.take(n, "[string]"))
}

// LongString reads a [long string]: an [int] length and UTF-8 bytes.
func (r *Reader) LongString() string {
	n := int(r.Int())
	return string(r.take(n, "[long string]"))
}

// UUID reads a [uuid].
func (r *Reader) UUID() [16]byte {
	var u [16]byte
	copy(u[:], r.take(16, "[uuid]"))
	return u
}

// StringList reads a [string list].
func (r *Reader) StringList() []string {
	n := int(r.Short())
	var out []string
	for i := 0; i < n && r.err == nil; i++ {
		out = append(out, r.String())
	}
	return out
}

// Bytes reads [bytes]; a negative length is null and returns nil.
func (r *Reader) Bytes() []byte {
	n := int(r.Int())
	if n < 0 {
		return nil
	}
	p := r.take(n, "[bytes]")
	if p == nil && r.err == nil {
		return []byte{}
	}
	return p
}

// Value reads a [value]: length -1 is null, -2 is not set.
func (r *Reader) Value() Value {
	n := int(r.Int())
	switch {
	case r.err != nil:
		return Value{}
	case n == -1:
		return Value{Null: true}
	case n == -2:
		return Value{Unset: true}
	case n < 0:
		r.err = fmt.Errorf("read [value]: invalid length %d", n)
		return Value{}
	}
	p := r.take(n, "[value]")
	if p == nil {
		p = []byte{}
	}
	return Value{Bytes: p}
}

// ShortBytes reads [short bytes].
func (r *Reader) ShortBytes() []byte {
	n := int(r.Short())
	return r.take(n, "[short bytes]")
}

// Inet reads an [inet]: an address length byte, the address and an [int] port.
func (r *Reader) Inet() (net.IP, int) {
	n := int(r.Byte())
	ip := net.IP(r.take(n, "[inet]"))
	port := int(r.Int())
	return ip, port
}

// StringMap reads a [string map].
func (r *Reader) StringMap() map[string]string {
	n := int(r.Short())
	m := make(map[string]string, n)
	for i := 0; i < n && r.err == nil; i++ {
		k := r.String()
		m[k] = r.String()
	}
	return m
}

// StringMultimap reads a [string multimap].
func (r *Reader) StringMultimap() map[string][]string {
	n := int(r.Short())
	m := make(map[string][]string, n)
	for i := 0; i < n && r.err == nil; i++ {
		k := r.String()
		m[k] = r.StringList()
	}
	return m
}

// BytesMap reads a [bytes map].
func (r *Reader) BytesMap() map[string][]byte {
	n := int(r.Short())
	m := make(map[string][]byte, n)
	for i := 0; i < n && r.err == nil; i++ {
		k := r.String()
		m[k] = r.Bytes()
	}
	return m
}

// Writer builds a message body with the notations of spec section 3.
type Writer struct {
	B []byte
}

// Byte appends one byte.
func (w *Writer) Byte(b byte) { w.B = append(w.B, b) }

// Short appends a [short].
func (w *Writer) Short(v uint16) { w.B = binary.BigEndian.AppendUint16(w.B, v) }

// Int appends an [int].
func (w *Writer) Int(v int32) { w.B = binary.BigEndian.AppendUint32(w.B, uint32(v)) }

// Long appends a [long].
func (w *Writer) Long(v int64) { w.B = binary.BigEndian.AppendUint64(w.B, uint64(v)) }

// String appends a [string].
func (w *Writer) String(s string) {
	w.Short(uint16(len(s)))
	w.B = append(w.B, s...)
}

// LongString appends a [long string].
func (w *Writer) LongString(s string) {
	w.Int(int32(len(s)))
	w.B = append(w.B, s...)
}

// UUID appends a [uuid].
func (w *Writer) UUID(u [16]byte) { w.B = append(w.B, u[:]...) }

// StringList appends a [string list].
func (w *Writer) StringList(l []string) {
	w.Short(uint16(len(l)))
	for _, s := range l {
		w.String(s)
	}
}

// Bytes appends [bytes]; nil is written as null (length -1).
func (w *Writer) Bytes(b []byte) {
	if b == nil {
		w.Int(-1)
		return
	}
	w.Int(int32(len(b)))
	w.B = append(w.B, b...)
}

// Value appends a [value].
func (w *Writer) Value(v Value) {
	switch {
	case v.Unset:
		w.Int(-2)
	case v.Null:
		w.Int(-1)
	default:
		w.Int(int32(len(v.Bytes)))
		w.B = append(w.B, v.Bytes...)
	}
}

// ShortBytes appends [short bytes].
func (w *Writer) ShortBytes(b []byte) {
	w.Short(uint16(len(b)))
	w.B = append(w.B, b...)
}

// Inet appends an [inet]; IPv4 addresses are written in their 4-byte form.
func (w *Writer) Inet(ip net.IP, port int) {
	if v4 := ip.To4(); v4 != nil {
		ip = v4
	}
	w.Byte(byte(len(ip)))
	w.B = append(w.B, ip...)
	w.Int(int32(port))
}

// StringMap appends a [string map] with keys in the order given by keys.
func (w *Writer) StringMap(keys []string, m map[string]string) {
	w.Short(uint16(len(keys)))
	for _, k := range keys {
		w.String(k)
		w.String(m[k])
	}
}

// StringMultimap appends a [string multimap] with keys in the order given.
func (w *Writer) StringMultimap(keys []string, m map[string][]string) {
	w.Short(uint16(len(keys)))
	for _, k := range keys {
		w.String(k)
		w.StringList(m[k])
	}
}

// BytesMap appends a [bytes map] with keys in the order given.
func (w *Writer) BytesMap(keys []string, m map[string][]byte) {
	w.Short(uint16(len(keys)))
	for _, k := range keys {
		w.String(k)
		w.Bytes(m[k])
	}
}
