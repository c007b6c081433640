package abi

import (
	"errors"
	"math"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/cqltrack/cqltrack/internal/tinyfmt"
)

// ErrSyntax is wrapped by every error a Reader reports for malformed JSON.
var ErrSyntax = errors.New("invalid json")

// maxDepth bounds nesting so that a hostile document cannot exhaust the
// stack of a guest or of the host.
const maxDepth = 512

// Reader decodes one JSON document without reflection. Its methods consume
// the next value and keep the first error (sticky): after an error every
// method returns a zero value, iterators stop, and Err reports it. Callers
// decode a whole shape and check Err once.
type Reader struct {
	data  []byte
	pos   int
	depth int
	err   error
	ix    indexer // for IndexedValue
}

// NewReader returns a Reader over data. Strings without escapes and raw
// values share memory with data instead of being copied (decoding then
// allocates little, which matters inside a wasm guest): data must not be
// modified while anything decoded from it is in use.
func NewReader(data []byte) *Reader { return &Reader{data: data} }

// Err returns the first error met, or nil.
func (r *Reader) Err() error { return r.err }

// Finish reports an error when anything but white space follows the value
// read, and returns the first error met.
func (r *Reader) Finish() error {
	if r.err == nil {
		r.ws()
		if r.pos != len(r.data) {
			r.fail("unexpected data after the document")
		}
	}
	return r.err
}

func (r *Reader) fail(msg string) {
	if r.err == nil {
		r.err = tinyfmt.Errorf("%w at offset %d: %s", ErrSyntax, r.pos, msg)
	}
}

// Failf records a shape error (valid JSON that is not what the caller
// expects), keeping the first error met.
func (r *Reader) Failf(format string, args ...any) {
	if r.err == nil {
		r.err = tinyfmt.Errorf("at offset %d: %s", r.pos, tinyfmt.Sprintf(format, args...))
	}
}

func (r *Reader) ws() {
	// Compact JSON has no white space: answer without entering the loop,
	// whose every iteration costs a runtime call in a checked guest.
	if r.pos >= len(r.data) || r.data[r.pos] > ' ' {
		return
	}
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

// peek returns the first byte of the next value, or 0 at the end.
func (r *Reader) peek() byte {
	r.ws()
	if r.pos < len(r.data) {
		return r.data[r.pos]
	}
	return 0
}

func (r *Reader) literal(word string) bool {
	if len(r.data)-r.pos >= len(word) && string(r.data[r.pos:r.pos+len(word)]) == word {
		r.pos += len(word)
		return true
	}
	r.fail("invalid literal")
	return false
}

// Null consumes a null and reports true when the next value is null; it
// consumes nothing otherwise.
func (r *Reader) Null() bool {
	if r.err != nil || r.peek() != 'n' {
		return false
	}
	return r.literal("null")
}

// ObjectIter walks the members of an object; see Reader.Object. It is a
// value, not an allocation, so decoding costs no garbage per object.
type ObjectIter struct {
	r       *Reader
	key     string
	started bool
	done    bool
}

// Object starts reading the next value, which must be an object (null
// reads as an empty object). Walk it with
//
//	for it := r.Object(); it.Next(); {
//		switch it.Key() { ... }
//	}
//
// where the loop body consumes each member's value (Skip when not wanted).
func (r *Reader) Object() ObjectIter {
	// The common case first, without a call: objects are read often.
	if r.err != nil {
		return ObjectIter{r: r, done: true}
	}
	if r.peek() != '{' {
		if !r.Null() {
			r.fail("expected an object")
		}
		return ObjectIter{r: r, done: true}
	}
	if r.depth++; r.depth > maxDepth {
		r.fail("nesting too deep")
		return ObjectIter{r: r, done: true}
	}
	r.pos++
	return ObjectIter{r: r}
}

// Next moves to the next member and reads its name, reporting false after
// the closing brace or on an error.
func (it *ObjectIter) Next() bool {
	r := it.r
	if it.done || r.err != nil {
		it.done = true
		return false
	}
	switch c := r.peek(); {
	case c == '}':
		r.pos++
		r.depth--
		it.done = true
		return false
	case !it.started:
		it.started = true
	case c == ',':
		r.pos++
	default:
		r.fail("expected ',' or '}' in an object")
		it.done = true
		return false
	}
	if r.peek() != '"' {
		r.fail("expected a member name")
		it.done = true
		return false
	}
	// A short name is read in line: objects are read often, and calls
	// are dear in a wasm guest.
	short := false
	if p := r.pos + 1; p+8 <= len(r.data) {
		if m := stringMask(le64(r.data[p:])); m != 0 {
			if end := p + bits.TrailingZeros64(m)>>3; r.data[end] == '"' {
				it.key, r.pos, short = unsafe.String(unsafe.SliceData(r.data[p:]), end-p), end+1, true
			}
		}
	}
	if !short {
		it.key = r.str()
	}
	if r.peek() != ':' {
		r.fail("expected ':' after a member name")
		it.done = true
		return false
	}
	r.pos++
	return r.err == nil
}

// Key returns the name of the current member.
func (it *ObjectIter) Key() string { return it.key }

// ArrayIter walks the elements of an array; see Reader.Array.
type ArrayIter struct {
	r       *Reader
	index   int
	started bool
	done    bool
}

// Array starts reading the next value, which must be an array (null reads
// as an empty array). Walk it with
//
//	for it := r.Array(); it.Next(); { ... }
//
// where the loop body consumes each element.
func (r *Reader) Array() ArrayIter {
	if r.err != nil {
		return ArrayIter{r: r, done: true}
	}
	if r.peek() != '[' {
		if !r.Null() {
			r.fail("expected an array")
		}
		return ArrayIter{r: r, done: true}
	}
	if r.depth++; r.depth > maxDepth {
		r.fail("nesting too deep")
		return ArrayIter{r: r, done: true}
	}
	r.pos++
	return ArrayIter{r: r, index: -1}
}

// Next moves to the next element, reporting false after the closing
// bracket or on an error.
func (it *ArrayIter) Next() bool {
	r := it.r
	if it.done || r.err != nil {
		it.done = true
		return false
	}
	switch c := r.peek(); {
	case c == ']':
		r.pos++
		r.depth--
		it.done = true
		return false
	case !it.started:
		it.started = true
	case c == ',':
		r.pos++
	default:
		r.fail("expected ',' or ']' in an array")
		it.done = true
		return false
	}
	it.index++
	return true
}

// Index returns the 0-based index of the current element.
func (it *ArrayIter) Index() int { return it.index }

// String reads a string value (null reads as "").
func (r *Reader) String() string {
	if r.err == nil && r.peek() == '"' {
		return r.str()
	}
	return r.stringSlow()
}

func (r *Reader) stringSlow() string {
	if r.err != nil || r.Null() {
		return ""
	}
	r.fail("expected a string")
	return ""
}

// str reads a string starting at the opening quote.
func (r *Reader) str() string {
	r.pos++ // opening quote
	start := r.pos
	// Most strings of a document are short names: find the end of one in
	// the first 8 bytes without a call (calls are dear in a wasm guest).
	if start+8 <= len(r.data) {
		if m := stringMask(le64(r.data[start:])); m == 0 {
			r.pos += 8
		} else if end := start + bits.TrailingZeros64(m)>>3; r.data[end] == '"' {
			r.pos = end + 1
			if end == start {
				return ""
			}
			return unsafe.String(&r.data[start], end-start)
		}
	}
	for r.pos < len(r.data) {
		r.pos = nextStringSpecial(r.data, r.pos)
		if r.pos >= len(r.data) {
			break
		}
		switch c := r.data[r.pos]; {
		case c == '"':
			var s string
			if r.pos > start {
				s = unsafe.String(&r.data[start], r.pos-start)
			}
			r.pos++
			return s
		case c == '\\':
			return r.strEscaped(start)
		case c < 0x20:
			r.fail("control character in a string")
			return ""
		default:
			r.pos++
		}
	}
	r.fail("unterminated string")
	return ""
}

// stringMask marks with 0x80 each of the 8 bytes of x (little endian)
// that ends or escapes a string or is a control character. The lowest
// marked byte is always a true one (borrows only mark bytes above it).
func stringMask(x uint64) uint64 {
	q := x ^ (lo8 * '"')
	e := x ^ (lo8 * '\\')
	return ((x-lo8*0x20)&^x | (q-lo8)&^q | (e-lo8)&^e) & hi8
}

// nextStringSpecial returns the index of the first byte at or after i
// that ends or escapes a string or is a control character, or len(b).
// It looks at 8 bytes per iteration and jumps straight to the byte found:
// in a guest compiled with termination checks every loop iteration costs
// a call into the runtime, so iterations are what to save.
func nextStringSpecial(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		if m := stringMask(le64(b[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
	}
	return i
}

// plain8 reports whether none of the 8 bytes at b[0:8] ends or escapes a
// string or is a control character.
func plain8(b []byte) bool { return stringMask(le64(b)) == 0 }

// skipPlainASCII returns the offset of the first block of 8 bytes at or
// after i of s that holds anything but ASCII a JSON string holds as it is
// (a quote, a backslash, a control character or a byte of a multi-byte
// character), or of the last bytes, fewer than 8.
func skipPlainASCII(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if stringMask(x)|x&hi8 != 0 {
			break
		}
	}
	return i
}

// Bytes 0x01 and 0x80 repeated, for the 8-bytes-at-a-time tests.
const lo8, hi8 = 0x0101010101010101, 0x8080808080808080

func (r *Reader) strEscaped(start int) string {
	buf := make([]byte, 0, r.pos-start+16)
	buf = append(buf, r.data[start:r.pos]...)
	for r.pos < len(r.data) {
		c := r.data[r.pos]
		switch {
		case c == '"':
			r.pos++
			return string(buf)
		case c < 0x20:
			r.fail("control character in a string")
			return ""
		case c != '\\':
			buf = append(buf, c)
			r.pos++
			continue
		}
		r.pos++
		if r.pos >= len(r.data) {
			break
		}
		e := r.data[r.pos]
		r.pos++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			c1 := r.hex4()
			if r.err != nil {
				return ""
			}
			ru := rune(c1)
			if utf16.IsSurrogate(ru) {
				ru = utf8.RuneError
				if r.pos+1 < len(r.data) && r.data[r.pos] == '\\' && r.data[r.pos+1] == 'u' {
					save := r.pos
					r.pos += 2
					c2 := r.hex4()
					if r.err != nil {
						return ""
					}
					if d := utf16.DecodeRune(rune(c1), rune(c2)); d != utf8.RuneError {
						ru = d
					} else {
						r.pos = save
					}
				}
			}
			buf = utf8.AppendRune(buf, ru)
		default:
			r.fail("invalid escape in a string")
			return ""
		}
	}
	r.fail("unterminated string")
	return ""
}

func (r *Reader) hex4() uint16 {
	if len(r.data)-r.pos < 4 {
		r.fail("short \\u escape")
		return 0
	}
	var v uint16
	for _, c := range r.data[r.pos : r.pos+4] {
		v <<= 4
		switch {
		case c >= '0' && c <= '9':
			v |= uint16(c - '0')
		case c >= 'a' && c <= 'f':
			v |= uint16(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			v |= uint16(c - 'A' + 10)
		default:
			r.fail("invalid \\u escape")
			return 0
		}
	}
	r.pos += 4
	return v
}

// number reads the text of a number value, validated against the JSON
// grammar.
func (r *Reader) number() []byte {
	start := r.pos
	p := r.pos
	d := r.data
	if p < len(d) && d[p] == '-' {
		p++
	}
	digits := func() bool {
		s := p
		for p < len(d) && d[p] >= '0' && d[p] <= '9' {
			p++
		}
		return p > s
	}
	switch {
	case p < len(d) && d[p] == '0':
		p++
	case !digits():
		r.fail("invalid number")
		return nil
	}
	if p < len(d) && d[p] == '.' {
		p++
		if !digits() {
			r.fail("invalid number")
			return nil
		}
	}
	if p < len(d) && (d[p] == 'e' || d[p] == 'E') {
		p++
		if p < len(d) && (d[p] == '+' || d[p] == '-') {
			p++
		}
		if !digits() {
			r.fail("invalid number")
			return nil
		}
	}
	r.pos = p
	return d[start:p]
}

// Int reads an integer value (null reads as 0). A fraction or an exponent
// is accepted when the value is still a whole number.
func (r *Reader) Int() int64 {
	if r.err != nil {
		return 0
	}
	c := r.peek()
	if c != '-' && (c < '0' || c > '9') {
		if !r.Null() {
			r.fail("expected a number")
		}
		return 0
	}
	text := r.number()
	if r.err != nil {
		return 0
	}
	// Offsets, lines and counts: small and plain, read without strconv.
	if len(text) <= 18 && text[0] != '-' && text[0] != '0' || len(text) == 1 {
		var v int64
		for _, d := range text {
			if d < '0' || d > '9' {
				v = -1
				break
			}
			v = v*10 + int64(d-'0')
		}
		if v >= 0 {
			return v
		}
	}
	// A fraction or an exponent (3.0, 1e3) is fine when the value is a
	// whole number: rewrite it as digits and read those exactly, so that
	// nothing is rounded in the way through float64 would.
	if digits, ok := integerDigits(text); ok {
		if v, err := strconv.ParseInt(digits, 10, 64); err == nil {
			return v
		}
	}
	r.Failf("expected an integer, got %s", string(text))
	return 0
}

// integerDigits rewrites a JSON number as the digits of the integer it
// is, with its sign; ok is false when it has a non-zero fraction or more
// than 20 digits before the point (beyond any int64).
func integerDigits(text []byte) (string, bool) {
	neg := len(text) > 0 && text[0] == '-'
	if neg {
		text = text[1:]
	}
	var mant []byte // every digit, the point dropped
	point := -1     // how many of mant come before the point
	exp, expOK := 0, true
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c >= '0' && c <= '9':
			mant = append(mant, c)
		case c == '.':
			point = len(mant)
		case c == 'e' || c == 'E':
			e, err := strconv.Atoi(string(text[i+1:]))
			exp, expOK = e, err == nil && e > -1_000_000 && e < 1_000_000
			i = len(text)
		default:
			return "", false
		}
	}
	if point < 0 {
		point = len(mant)
	}
	for len(mant) > 0 && mant[0] == '0' { // 0.000123e4: the point moves
		mant = mant[1:]
		point--
	}
	if len(mant) == 0 {
		return "0", true // zero, whatever the exponent
	}
	if !expOK {
		return "", false // 10^±a million times a non-zero digit
	}
	// The first digit is not zero: it must lie before the point, and no
	// int64 has more than 19 digits.
	point += exp
	if point <= 0 || point > 20 {
		return "", false
	}
	var whole []byte
	if point <= len(mant) {
		whole, mant = mant[:point], mant[point:]
	} else {
		whole = append(mant, make([]byte, point-len(mant))...)
		for i := len(mant); i < len(whole); i++ {
			whole[i] = '0'
		}
		mant = nil
	}
	if !allZero(mant) {
		return "", false
	}
	if neg {
		return "-" + string(whole), true
	}
	return string(whole), true
}

func allZero(digits []byte) bool {
	for _, d := range digits {
		if d != '0' {
			return false
		}
	}
	return true
}

// Float reads a number value as float64 (null reads as 0).
func (r *Reader) Float() float64 {
	if r.err != nil || r.Null() {
		return 0
	}
	c := r.peek()
	if c != '-' && (c < '0' || c > '9') {
		r.fail("expected a number")
		return 0
	}
	text := r.number()
	if r.err != nil {
		return 0
	}
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil {
		r.Failf("number %s out of range", text)
	}
	return f
}

// Bool reads a boolean value (null reads as false).
func (r *Reader) Bool() bool {
	if r.err != nil {
		return false
	}
	switch r.peek() {
	case 't':
		return r.literal("true")
	case 'f':
		r.literal("false")
		return false
	}
	if !r.Null() {
		r.fail("expected a boolean")
	}
	return false
}

// Strings reads an array of strings (null reads as nil).
func (r *Reader) Strings() []string {
	var out []string
	for it := r.Array(); it.Next(); {
		out = append(out, r.String())
	}
	return out
}

// Skip consumes the next value whatever it is, validating it.
func (r *Reader) Skip() {
	if r.err != nil {
		return
	}
	switch c := r.peek(); {
	case c == '{':
		for it := r.Object(); it.Next(); {
			r.Skip()
		}
	case c == '[':
		for it := r.Array(); it.Next(); {
			r.Skip()
		}
	case c == '"':
		r.skipStr()
	case c == 't':
		r.literal("true")
	case c == 'f':
		r.literal("false")
	case c == 'n':
		r.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		r.number()
	case c == 0:
		r.fail("unexpected end of input")
	default:
		r.fail("unexpected character " + strconv.QuoteRune(rune(c)))
	}
}

// Raw consumes the next value and returns its JSON text, sharing memory
// with the Reader's input (capacity clipped, so appending copies).
func (r *Reader) Raw() []byte {
	if r.err != nil {
		return nil
	}
	r.ws()
	start := r.pos
	r.Skip()
	if r.err != nil {
		return nil
	}
	return r.data[start:r.pos:r.pos]
}

// RawFast consumes the next value and returns its JSON text like Raw, but
// checks only that its strings end and that as many brackets close as
// open (not which kind: {[}} passes), scanning it in one flat loop. It is for parts of a document from a trusted producer
// that may never be looked at, such as the report of a format request,
// which a format may decode or not. (The statement ASTs of a lint
// request, which rules do read, go through IndexedValue.)
func (r *Reader) RawFast() []byte {
	if r.err != nil {
		return nil
	}
	if r.peek() == 0 {
		r.fail("unexpected end of input")
		return nil
	}
	start := r.pos
	end := skipValue(r.data, start)
	if end <= start {
		r.fail("expected a value")
		return nil
	}
	last := r.data[end-1]
	if end == len(r.data) && (r.data[start] == '{' || r.data[start] == '[') && !closes(r.data[start:end]) {
		// skipValue also stops at the end of input when brackets are
		// still open ({{}): only a value that reaches the end can be that.
		last = 0
	}
	switch r.data[start] {
	case '{':
		if last != '}' || end == start+1 {
			r.fail("unterminated object")
		}
	case '[':
		if last != ']' || end == start+1 {
			r.fail("unterminated array")
		}
	case '"':
		if last != '"' || end == start+1 || escaped(r.data[start+1:end-1]) {
			r.fail("unterminated string")
		}
	}
	if r.err != nil {
		return nil
	}
	r.pos = end
	return r.data[start:end:end]
}

// escaped reports whether the byte after s would be escaped: s ends in an
// odd run of backslashes (the quote after it does not end the string).
func escaped(s []byte) bool {
	n := 0
	for n < len(s) && s[len(s)-1-n] == '\\' {
		n++
	}
	return n%2 == 1
}

// closes reports whether the object or array b starts with is closed by
// b's last byte, strings skipped.
func closes(b []byte) bool {
	depth := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			i = skipString(b, i) - 1
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i == len(b)-1
			}
		}
	}
	return false
}

// skipStr validates a string starting at the opening quote without
// building it.
func (r *Reader) skipStr() {
	open := r.pos
	r.pos++
	for r.pos < len(r.data) {
		r.pos = nextStringSpecial(r.data, r.pos)
		if r.pos >= len(r.data) {
			break
		}
		switch c := r.data[r.pos]; {
		case c == '"':
			r.pos++
			return
		case c == '\\':
			// Rare: let the full decoder validate the escapes.
			r.pos = open
			r.str()
			return
		case c < 0x20:
			r.fail("control character in a string")
			return
		default:
			r.pos++
		}
	}
	r.fail("unterminated string")
}

// Writer builds a JSON document by appending to B. It inserts commas
// itself: call Key before each member value and nothing between array
// elements. It does not check that the calls nest properly; the codecs
// that use it are written against fixed shapes.
type Writer struct {
	B     []byte
	comma bool
}

func (w *Writer) sep() {
	if w.comma {
		w.B = append(w.B, ',')
	}
	w.comma = true
}

// BeginObject starts an object.
func (w *Writer) BeginObject() {
	w.sep()
	w.B = append(w.B, '{')
	w.comma = false
}

// EndObject ends an object.
func (w *Writer) EndObject() {
	w.B = append(w.B, '}')
	w.comma = true
}

// BeginArray starts an array.
func (w *Writer) BeginArray() {
	w.sep()
	w.B = append(w.B, '[')
	w.comma = false
}

// EndArray ends an array.
func (w *Writer) EndArray() {
	w.B = append(w.B, ']')
	w.comma = true
}

// Key writes a member name; the next call writes its value.
func (w *Writer) Key(k string) {
	w.sep()
	w.B = AppendString(w.B, k)
	w.B = append(w.B, ':')
	w.comma = false
}

// String writes a string value.
func (w *Writer) String(s string) {
	w.sep()
	w.B = AppendString(w.B, s)
}

// Int writes an integer value.
func (w *Writer) Int(v int64) {
	w.sep()
	w.B = strconv.AppendInt(w.B, v, 10)
}

// Float writes a number value; NaN and infinities, which JSON cannot
// carry, are written as null.
func (w *Writer) Float(v float64) {
	w.sep()
	if math.IsNaN(v) || math.IsInf(v, 0) {
		w.B = append(w.B, "null"...)
		return
	}
	w.B = strconv.AppendFloat(w.B, v, 'g', -1, 64)
}

// Bool writes a boolean value.
func (w *Writer) Bool(v bool) {
	w.sep()
	w.B = strconv.AppendBool(w.B, v)
}

// Null writes null.
func (w *Writer) Null() {
	w.sep()
	w.B = append(w.B, "null"...)
}

// Raw writes pre-encoded JSON text as the next value (null when empty).
func (w *Writer) Raw(text []byte) {
	w.sep()
	if len(text) == 0 {
		w.B = append(w.B, "null"...)
		return
	}
	w.B = append(w.B, text...)
}

// Strings writes an array of strings.
func (w *Writer) Strings(ss []string) {
	w.BeginArray()
	for _, s := range ss {
		w.String(s)
	}
	w.EndArray()
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string literal. Invalid UTF-8 is
// replaced by U+FFFD so the output is always valid JSON; U+2028 and U+2029
// are escaped so the output is also safe inside JavaScript.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		// Most text is plain ASCII: cross it 8 bytes at a time, which in
		// a wasm guest costs an eighth of the loop iterations.
		if len(s)-i >= 8 {
			i = skipPlainASCII(s, i)
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		ru, n := utf8.DecodeRuneInString(s[i:])
		if ru == utf8.RuneError && n == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\ufffd"...)
			i += n
			start = i
			continue
		}
		if ru == '\u2028' || ru == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[ru&0xf])
			i += n
			start = i
			continue
		}
		i += n
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// le64 reads 8 bytes as a little-endian word. encoding/binary would do,
// but it imports reflect, which costs a guest module more than it saves.
func le64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}
