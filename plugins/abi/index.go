package abi

import (
	"math"
	"math/bits"
	"unsafe"
)

// A structural index lists every value of a document with where it starts
// and ends and, in an object, where its member name is. A Value scans its
// text on every lookup: finding a member means scanning the names and
// skipping the values before it, and reading a few members deep in a
// statement's AST scanned the statement several times over, which was
// most of what the built-in rules cost inside the wasm guest. With an
// index the scan that reads the request is the only one; a lookup then
// goes through the members of one object, comparing the first 8 bytes of
// each name as one word.

// slot is one value of an indexed document. The slots are in document
// order: an object's members or an array's elements follow its own slot,
// each after the slots of the one before and of everything inside it.
// Offsets are relative to the first byte of the indexed value.
type slot struct {
	// kw is a member's name as a little-endian word of its first 8 bytes,
	// zero-padded: comparing it rejects most other names in one step.
	kw          uint64
	key, keyEnd int32 // a member's name, between the quotes; 0, 0 in an array
	start, end  int32 // the value's text
	skip        int32 // the slot after this value's and those inside it
	esc         bool  // the name has escapes, so it must be decoded to compare
}

// openSlot is an object or array being indexed.
type openSlot struct {
	self int32 // its slot
	obj  bool
}

// indexer holds what Reader.IndexedValue needs from one value to the next:
// the slots of the values returned, end to end, and the containers open
// while it scans one.
type indexer struct {
	slots []slot
	open  []openSlot
}

// IndexedValue consumes the next value like RawFast (checking its structure
// but not its numbers and literals) and returns it as a Value that carries
// an index of it: where each value inside it starts and ends, and each
// member's name. Lookups on it and on every value reached from it (Get,
// Has, Path, Index, Len, Items, Members) then read the index instead of
// scanning the text, with the same results. It is for large parts of a
// document from a trusted producer that are read by lookups, such as the
// statement ASTs of a lint request.
//
// The index costs 32 bytes per value. The indexes of the values one
// Reader returns share storage, which stays alive as long as any value
// reached from them.
func (r *Reader) IndexedValue() Value {
	if r.err != nil || r.Null() {
		return Value{}
	}
	c := r.peek()
	if (c != '{' && c != '[') || len(r.data)-r.pos > math.MaxInt32 {
		raw := r.RawFast() // nothing to index, or too large for the offsets
		if r.err != nil {
			return Value{}
		}
		return Value{raw: raw}
	}
	ix := &r.ix
	if ix.slots == nil {
		// One guess at the size, to spare growing it from nothing: an AST
		// has a value every 11 bytes or so, and the ASTs are half of a
		// lint request or more.
		guess := (len(r.data) - r.pos) / 16
		if r.pos == 0 {
			guess *= 2 // the value is the whole document: an AST alone
		}
		ix.slots = make([]slot, 0, max(16, guess))
		ix.open = make([]openSlot, 0, 16)
	}
	first, end, msg := ix.index(r.data, r.pos)
	if msg != "" {
		ix.slots = ix.slots[:first]
		r.fail(msg)
		return Value{}
	}
	raw := r.data[r.pos:end:end]
	r.pos = end
	own := ix.slots[first:]
	return Value{raw: raw, slots: &own[0], nslots: int32(len(own))} // slot 0 is raw itself
}

// index indexes the object or array starting at b[start], appending a slot
// for it and for every value in it to ix.slots. It returns where in
// ix.slots its slots start, the offset just after it, or what is wrong. It
// reads the document once, without recursion, so that nesting costs no
// stack.
func (ix *indexer) index(b []byte, start int) (first, end int, msg string) {
	slots, base := room(ix.slots, len(ix.slots)) // slot numbers are relative to base
	slots = append(slots, slot{})
	open := append(ix.open[:0], openSlot{self: 0, obj: b[start] == '{'})
	defer func() { ix.slots, ix.open = slots, open[:0] }()
	i := start + 1
	for {
		// At a member or element, or at the end of the container.
		i = skipWS(b, i)
		if i >= len(b) {
			return base, len(b), "unterminated object or array"
		}
		top := &open[len(open)-1]
		if c := b[i]; c == '}' || c == ']' {
			if (c == '}') != top.obj {
				return base, i, "mismatched brackets"
			}
			self := &slots[base+int(top.self)]
			self.end, self.skip = int32(i+1-start), int32(len(slots)-base)
			open = open[:len(open)-1]
			i++
			if len(open) == 0 {
				return base, i, ""
			}
		} else {
			var s slot
			if top.obj {
				if c != '"' {
					return base, i, "expected a member name"
				}
				// A name of up to 7 bytes is found in line, one of up to
				// 15 by scanName.
				end, kw, esc := -1, uint64(0), false
				if p := i + 1; p+8 <= len(b) {
					w := le64(b[p:])
					if m := stringMask(w); m != 0 {
						if j := bits.TrailingZeros64(m) >> 3; b[p+j] == '"' {
							end, kw = p+j+1, w&(1<<(8*j)-1)
						}
					}
				}
				if end < 0 {
					if end, kw, esc = scanName(b, i); end < 0 {
						return base, len(b), "unterminated string"
					}
				}
				s.key, s.keyEnd, s.kw, s.esc = int32(i+1-start), int32(end-1-start), kw, esc
				if i = skipWS(b, end); i >= len(b) || b[i] != ':' {
					return base, i, "expected ':' after a member name"
				}
				if i = skipWS(b, i+1); i >= len(b) {
					return base, i, "unterminated object"
				}
			}
			s.start = int32(i - start)
			n := int32(len(slots) - base)
			switch c := b[i]; c {
			case '{', '[':
				if len(slots) == cap(slots) {
					slots, base = room(slots, base)
				}
				slots = append(slots, s)
				open = append(open, openSlot{self: n, obj: c == '{'})
				i++
				continue
			case '"':
				end := -1
				// A short string ends in its first 8 bytes: found in line.
				if i+9 <= len(b) {
					if m := stringMask(le64(b[i+1:])); m != 0 {
						if j := i + 1 + bits.TrailingZeros64(m)>>3; b[j] == '"' {
							end = j + 1
						}
					}
				}
				if end < 0 {
					if end, _ = scanString(b, i); end < 0 {
						return base, len(b), "unterminated string"
					}
				}
				i = end
			default:
				end := i
				for end < len(b) && scalarByte[b[end]] {
					end++
				}
				if end == i {
					return base, i, "expected a value"
				}
				i = end
			}
			s.end, s.skip = int32(i-start), n+1
			if len(slots) == cap(slots) {
				slots, base = room(slots, base)
			}
			slots = append(slots, s)
		}
		// After a value: a comma, or the end of the container.
		if i = skipWS(b, i); i < len(b) && b[i] == ',' {
			i++
		} else if i < len(b) && b[i] != '}' && b[i] != ']' {
			return base, i, "expected ',' or the end of an object or array"
		}
	}
}

// room makes room for one more slot. When the storage is full, it moves
// the slots from base on, those of the value being indexed, to new
// storage, and leaves those of the values indexed before where they are
// (in use, and not to be copied again). It returns the storage and where
// the value's slots now start.
func room(slots []slot, base int) ([]slot, int) {
	if len(slots) < cap(slots) {
		return slots, base
	}
	own := slots[base:]
	grown := make([]slot, len(own), max(16, cap(slots), 2*len(own)))
	copy(grown, own)
	return grown, 0
}

// scanName returns the offset after the member name starting at
// b[i] == '"' (-1 when it does not end), its first word (see slot.kw) and
// whether it has escapes. A name of up to 15 bytes, as most are, is found
// without a call: calls are dear in a wasm guest.
func scanName(b []byte, i int) (end int, kw uint64, esc bool) {
	if p := i + 1; p+16 <= len(b) {
		w := le64(b[p:])
		if m := stringMask(w); m != 0 {
			if j := bits.TrailingZeros64(m) >> 3; b[p+j] == '"' {
				return p + j + 1, w & (1<<(8*j) - 1), false
			}
		} else if m := stringMask(le64(b[p+8:])); m != 0 {
			if j := 8 + bits.TrailingZeros64(m)>>3; b[p+j] == '"' {
				return p + j + 1, w, false
			}
		}
	}
	if end, esc = scanString(b, i); end < 0 {
		return -1, 0, esc
	}
	return end, keyWord(b[i+1 : end-1]), esc
}

// scalarByte marks the bytes numbers, true, false and null are made of.
var scalarByte = func() (t [256]bool) {
	for c := range t {
		t[c] = '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '+' || c == '.'
	}
	return t
}()

// scanString returns the offset after the string starting at b[i] == '"'
// and whether it has escapes, or -1 when it does not end.
func scanString(b []byte, i int) (int, bool) {
	i++
	// Most strings of a document are short names: find the end of one in
	// the first 8 bytes without a call (calls are dear in a wasm guest).
	if i+8 <= len(b) {
		if m := stringMask(le64(b[i:])); m == 0 {
			i += 8
		} else if j := i + bits.TrailingZeros64(m)>>3; b[j] == '"' {
			return j + 1, false
		}
	}
	esc := false
	for ; i < len(b); i++ {
		i = nextStringSpecial(b, i)
		if i >= len(b) {
			break
		}
		switch b[i] {
		case '"':
			return i + 1, esc
		case '\\':
			esc = true
			i++
		}
	}
	return -1, esc
}

// keyWord returns the first 8 bytes of a name as a little-endian word,
// zero-padded.
func keyWord[T string | []byte](name T) uint64 {
	if len(name) >= 8 {
		return uint64(name[0]) | uint64(name[1])<<8 | uint64(name[2])<<16 | uint64(name[3])<<24 |
			uint64(name[4])<<32 | uint64(name[5])<<40 | uint64(name[6])<<48 | uint64(name[7])<<56
	}
	var w uint64
	for i := len(name) - 1; i >= 0; i-- {
		w = w<<8 | uint64(name[i])
	}
	return w
}

// index returns the slots of v's index and v's own slot, or nil when v has
// no index.
func (v Value) index() ([]slot, *slot) {
	if v.slots == nil || v.n < 0 || v.n >= v.nslots {
		return nil, nil
	}
	slots := unsafe.Slice(v.slots, v.nslots)
	return slots, &slots[v.n]
}

// member returns the member or element in slot c of an index whose slot
// s holds v.
func (v Value) member(slots []slot, s *slot, c int32) (key []byte, esc bool, val Value) {
	m := &slots[c]
	if m.keyEnd > m.key {
		key = v.raw[m.key-s.start : m.keyEnd-s.start]
	}
	return key, m.esc, v.at(m, c, s.start)
}

// at returns the value of slot m, numbered c, of v's index; base is the
// offset of v's own text.
func (v Value) at(m *slot, c, base int32) Value {
	raw := v.raw[m.start-base : m.end-base : m.end-base]
	switch raw[0] {
	case '{', '[':
		return Value{raw: raw, slots: v.slots, nslots: v.nslots, n: c}
	case 'n':
		if string(raw) == "null" {
			return Value{}
		}
	}
	return Value{raw: raw}
}

// find returns the slot of the member of an indexed object named name, or
// -1 (Get has it written out).
func (v Value) find(slots []slot, s *slot, name string) int32 {
	base, kw := s.start, keyWord(name)
	for c := v.n + 1; c < s.skip; c = slots[c].skip {
		m := &slots[c]
		if m.esc {
			if unquote(v.raw[m.key-base:m.keyEnd-base]) == name {
				return c
			}
		} else if m.kw == kw && int(m.keyEnd-m.key) == len(name) &&
			(len(name) <= 8 || string(v.raw[m.key-base+8:m.keyEnd-base]) == name[8:]) {
			return c
		}
	}
	return -1
}
