// Package wasmdata rewrites the data section of a WebAssembly module so
// that its memory image is a few large segments instead of many small ones.
//
// Go's linker writes a module's initial memory as one segment per run of
// non-zero bytes: the built-in lint rules have about 27,000 segments for
// 0.9 MB of data. wazero keeps every segment as its own allocation in the
// decoded module and a slice per segment in every instance, so the host
// holds about 5 MB of heap for what is 1.2 MB of memory, and instantiation
// walks every segment. Merging neighbours, with the zero bytes between
// them written out, gives the same initial memory in a handful of
// segments: cqltrack's lint run with the merged module peaks 5 MB lower
// and instantiates faster (docs/performance.md).
//
// The rewrite changes nothing a module can observe. It merges only active
// segments of memory 0 at constant offsets, only when no two overlap (so
// their order does not matter) and the module neither imports its memory
// (whose bytes need not start as zero) nor has a data count section (the
// sign that code refers to segments by index, with memory.init or
// data.drop). Any other module is returned as it is. Every other section
// is copied byte for byte.
package wasmdata

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
)

// Section ids of the WebAssembly binary format.
const (
	sectionImport    = 2
	sectionData      = 11
	sectionDataCount = 12
)

// Instructions and flags that a mergeable segment uses.
const (
	opI32Const   = 0x41
	opEnd        = 0x0b
	activeMem0   = 0x00 // segment flags: active, memory 0, offset expression
	importMemory = 0x02 // import description kind: memory
)

// DefaultGap is the longest run of zeros written out to join two segments
// by default. Go's linker starts a new segment after a short run of zeros;
// bridging up to a page joins the built-in rules' 27,000 segments into 3
// for 0.3 MB more module.
const DefaultGap = 4096

var header = []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}

// Result reports what Merge did.
type Result struct {
	// Before and After count the data segments.
	Before, After int
	// Skipped says why the module was returned unchanged; empty when
	// segments were merged (or there was nothing to merge).
	Skipped string
}

// segment is an active data segment of memory 0.
type segment struct {
	offset uint32
	init   []byte
}

// Merge returns the module with neighbouring data segments merged where
// at most maxGap zero bytes lie between them (a negative maxGap is 0),
// unless that would more than double the bytes the segments hold. A
// module it may not rewrite (see the package documentation) comes back
// unchanged, with Result.Skipped saying why; a module it cannot decode is
// an error naming the byte offset.
func Merge(module []byte, maxGap int) ([]byte, Result, error) {
	if !bytes.HasPrefix(module, header) {
		return nil, Result{}, errors.New("not a WebAssembly 1.0 binary module: bad header")
	}
	var (
		res                Result
		dataStart, dataEnd = -1, -1 // the data section's bytes in module
		segs               []segment
	)
	for pos := len(header); pos < len(module); {
		start := pos
		id := module[pos]
		size, n, err := uleb(module, pos+1)
		if err != nil {
			return nil, Result{}, fmt.Errorf("section at byte %d: size: %w", start, err)
		}
		body := pos + 1 + n
		end := body + int(size)
		if end > len(module) || end < body {
			return nil, Result{}, fmt.Errorf("section %d at byte %d: %d bytes run past the end of the module", id, start, size)
		}
		pos = end
		switch id {
		case sectionImport:
			imports, err := importsMemory(module[body:end])
			if err != nil {
				return nil, Result{}, fmt.Errorf("import section at byte %d: %w", start, err)
			}
			if imports {
				res.Skipped = "the module imports its memory"
			}
		case sectionDataCount:
			res.Skipped = "the module has a data count section (code may name segments)"
		case sectionData:
			var why string
			segs, res.Before, why, err = decodeData(module[body:end], body)
			if err != nil {
				return nil, Result{}, err
			}
			if why != "" && res.Skipped == "" {
				res.Skipped = why
			}
			dataStart, dataEnd = start, end
		}
	}
	if dataStart < 0 || res.Skipped != "" {
		res.After = res.Before
		return module, res, nil
	}
	groups, before, after := plan(segs, max(maxGap, 0))
	if after > 2*before {
		// Sparse data far apart: merging would make the module (and each
		// instance's copy of it) bigger than the segments save.
		res.After = res.Before
		res.Skipped = fmt.Sprintf("merging would write %d zero bytes for %d bytes of data", after-before, before)
		return module, res, nil
	}
	merged := build(segs, groups)
	res.After = len(merged)
	section := encodeData(merged)
	out := make([]byte, 0, len(module)-(dataEnd-dataStart)+len(section)+6)
	out = append(out, module[:dataStart]...)
	out = append(out, sectionData)
	out = appendUleb(out, uint64(len(section)))
	out = append(out, section...)
	out = append(out, module[dataEnd:]...)
	return out, res, nil
}

// Segments counts the data segments of a module.
func Segments(module []byte) (int, error) {
	if !bytes.HasPrefix(module, header) {
		return 0, errors.New("not a WebAssembly 1.0 binary module: bad header")
	}
	for pos := len(header); pos < len(module); {
		size, n, err := uleb(module, pos+1)
		if err != nil {
			return 0, fmt.Errorf("section at byte %d: size: %w", pos, err)
		}
		body := pos + 1 + n
		if body+int(size) > len(module) {
			return 0, fmt.Errorf("section at byte %d runs past the end of the module", pos)
		}
		if module[pos] == sectionData {
			count, _, err := uleb(module, body)
			return int(count), err
		}
		pos = body + int(size)
	}
	return 0, nil
}

// decodeData reads a data section. A segment Merge may not move makes why
// non-empty; base is the section's offset in the module, for errors.
func decodeData(b []byte, base int) (segs []segment, count int, why string, err error) {
	c, pos, err := uleb(b, 0)
	if err != nil {
		return nil, 0, "", fmt.Errorf("data section at byte %d: count: %w", base, err)
	}
	count = int(c)
	for i := range count {
		at := base + pos
		flags, n, err := uleb(b, pos)
		if err != nil {
			return nil, 0, "", fmt.Errorf("data segment %d at byte %d: %w", i, at, err)
		}
		pos += n
		if flags != activeMem0 {
			why = fmt.Sprintf("data segment %d is not an active segment of memory 0", i)
			return nil, count, why, nil
		}
		if pos >= len(b) || b[pos] != opI32Const {
			return nil, count, fmt.Sprintf("data segment %d has a computed offset", i), nil
		}
		off, n, err := sleb32(b, pos+1)
		if err != nil {
			return nil, 0, "", fmt.Errorf("data segment %d at byte %d: offset: %w", i, at, err)
		}
		pos += 1 + n
		if pos >= len(b) || b[pos] != opEnd {
			return nil, count, fmt.Sprintf("data segment %d has a computed offset", i), nil
		}
		pos++
		size, n, err := uleb(b, pos)
		if err != nil {
			return nil, 0, "", fmt.Errorf("data segment %d at byte %d: size: %w", i, at, err)
		}
		pos += n
		if uint64(len(b)-pos) < size {
			return nil, 0, "", fmt.Errorf("data segment %d at byte %d: %d bytes run past the section", i, at, size)
		}
		if size == 0 {
			// Writes nothing, but is still checked against the memory's
			// bounds at instantiation: merging would lose that check.
			return nil, count, fmt.Sprintf("data segment %d is empty", i), nil
		}
		segs = append(segs, segment{offset: uint32(off), init: b[pos : pos+int(size)]})
		pos += int(size)
	}
	if pos != len(b) {
		return nil, 0, "", fmt.Errorf("data section at byte %d: %d bytes after the last segment", base, len(b)-pos)
	}
	slices.SortStableFunc(segs, func(a, b segment) int { return int(int64(a.offset) - int64(b.offset)) })
	for i := 1; i < len(segs); i++ {
		if uint64(segs[i-1].offset)+uint64(len(segs[i-1].init)) > uint64(segs[i].offset) {
			return nil, count, "data segments overlap (their order matters)", nil
		}
	}
	return segs, count, "", nil
}

// plan groups sorted, disjoint segments whose gaps are at most maxGap
// bytes: each group [i, j) becomes one segment. It returns the bytes the
// segments hold before and after merging (gaps written as zeros).
func plan(segs []segment, maxGap int) (groups [][2]int, before, after uint64) {
	for i := 0; i < len(segs); {
		j := i + 1
		end := uint64(segs[i].offset) + uint64(len(segs[i].init))
		for ; j < len(segs) && uint64(segs[j].offset)-end <= uint64(maxGap); j++ {
			end = uint64(segs[j].offset) + uint64(len(segs[j].init))
		}
		for _, s := range segs[i:j] {
			before += uint64(len(s.init))
		}
		after += end - uint64(segs[i].offset)
		groups = append(groups, [2]int{i, j})
		i = j
	}
	return groups, before, after
}

// build makes one segment of each group, allocated once at its final size.
func build(segs []segment, groups [][2]int) []segment {
	out := make([]segment, 0, len(groups))
	for _, g := range groups {
		first, last := segs[g[0]], segs[g[1]-1]
		init := make([]byte, uint64(last.offset)+uint64(len(last.init))-uint64(first.offset))
		for _, s := range segs[g[0]:g[1]] {
			copy(init[s.offset-first.offset:], s.init)
		}
		out = append(out, segment{offset: first.offset, init: init})
	}
	return out
}

func encodeData(segs []segment) []byte {
	size := 5
	for _, s := range segs {
		size += 2 + 5 + 1 + 5 + len(s.init)
	}
	b := appendUleb(make([]byte, 0, size), uint64(len(segs)))
	for _, s := range segs {
		b = append(b, activeMem0, opI32Const)
		b = appendSleb(b, int64(int32(s.offset)))
		b = append(b, opEnd)
		b = appendUleb(b, uint64(len(s.init)))
		b = append(b, s.init...)
	}
	return b
}

// importsMemory reports whether an import section imports a memory.
func importsMemory(b []byte) (bool, error) {
	count, pos, err := uleb(b, 0)
	if err != nil {
		return false, err
	}
	for i := uint64(0); i < count; i++ {
		for range 2 { // module name, field name
			l, n, err := uleb(b, pos)
			if err != nil || uint64(len(b)-pos-n) < l {
				return false, fmt.Errorf("import %d: bad name", i)
			}
			pos += n + int(l)
		}
		if pos >= len(b) {
			return false, fmt.Errorf("import %d: no description", i)
		}
		kind := b[pos]
		pos++
		switch kind {
		case 0x00: // function: type index
			_, n, err := uleb(b, pos)
			if err != nil {
				return false, fmt.Errorf("import %d: %w", i, err)
			}
			pos += n
		case 0x01: // table: reference type, limits
			pos++
			n, err := skipLimits(b, pos)
			if err != nil {
				return false, fmt.Errorf("import %d: %w", i, err)
			}
			pos += n
		case importMemory:
			return true, nil
		case 0x03: // global: value type, mutability
			pos += 2
		default:
			// Tags and later kinds: their encoding is not ours to guess, and
			// a memory import, if any, would be named by kind 0x02 above.
			return false, fmt.Errorf("import %d: unknown kind 0x%02x", i, kind)
		}
	}
	return false, nil
}

func skipLimits(b []byte, pos int) (int, error) {
	if pos >= len(b) {
		return 0, errors.New("limits past the end")
	}
	flags := b[pos]
	_, n, err := uleb(b, pos+1)
	if err != nil {
		return 0, err
	}
	size := 1 + n
	if flags&1 != 0 {
		_, m, err := uleb(b, pos+size)
		if err != nil {
			return 0, err
		}
		size += m
	}
	return size, nil
}

var errLEB = errors.New("malformed LEB128 number")

// uleb decodes an unsigned LEB128 number of at most 32 bits at b[pos].
func uleb(b []byte, pos int) (uint64, int, error) {
	var v uint64
	for i := 0; i < 5; i++ {
		if pos+i >= len(b) {
			return 0, 0, errLEB
		}
		c := b[pos+i]
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			if v > 1<<32-1 {
				return 0, 0, errLEB
			}
			return v, i + 1, nil
		}
	}
	return 0, 0, errLEB
}

// sleb32 decodes a signed LEB128 number of at most 32 bits at b[pos].
func sleb32(b []byte, pos int) (int32, int, error) {
	var v int64
	for i := 0; i < 5; i++ {
		if pos+i >= len(b) {
			return 0, 0, errLEB
		}
		c := b[pos+i]
		v |= int64(c&0x7f) << (7 * i)
		if c < 0x80 {
			if c&0x40 != 0 {
				v -= 1 << (7 * (i + 1))
			}
			if v < -1<<31 || v > 1<<31-1 {
				return 0, 0, errLEB
			}
			return int32(v), i + 1, nil
		}
	}
	return 0, 0, errLEB
}

func appendUleb(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func appendSleb(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
