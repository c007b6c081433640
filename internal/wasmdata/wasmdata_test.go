package wasmdata

import (
	"bytes"
	"context"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
)

// seg describes a data segment for module.
type seg struct {
	flags  byte // activeMem0 or 1 (passive)
	offset int32
	init   []byte
}

// module builds a module with one memory of pages pages, exported as
// "memory", and the given data segments; dataCount adds a data count
// section, importMem imports the memory instead of defining it.
func module(pages int, segs []seg, dataCount, importMem bool) []byte {
	b := append([]byte(nil), header...)
	section := func(id byte, body []byte) {
		b = append(b, id)
		b = appendUleb(b, uint64(len(body)))
		b = append(b, body...)
	}
	limits := appendUleb([]byte{0x00}, uint64(pages))
	if importMem {
		imp := []byte{1, 3, 'e', 'n', 'v', 3, 'm', 'e', 'm', importMemory}
		section(sectionImport, append(imp, limits...))
	} else {
		section(5, append([]byte{1}, limits...))
		section(7, []byte{1, 6, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0})
	}
	if dataCount {
		section(sectionDataCount, appendUleb(nil, uint64(len(segs))))
	}
	data := appendUleb(nil, uint64(len(segs)))
	for _, s := range segs {
		data = append(data, s.flags)
		if s.flags == activeMem0 {
			data = append(data, opI32Const)
			data = appendSleb(data, int64(s.offset))
			data = append(data, opEnd)
		}
		data = appendUleb(data, uint64(len(s.init)))
		data = append(data, s.init...)
	}
	section(sectionData, data)
	return b
}

// memoryAfterInstantiation instantiates a module and returns its memory.
func memoryAfterInstantiation(t testing.TB, wasm []byte) []byte {
	t.Helper()
	mem, err := instantiate(wasm)
	if err != nil {
		t.Fatalf("instantiate: %v", err)
	}
	return mem
}

func TestMergeKeepsTheMemoryImage(t *testing.T) {
	// Out of order, gaps of 0, 1, 10 and 5000 bytes, a segment at the very
	// end of the memory.
	segs := []seg{
		{offset: 100, init: []byte("tail")},
		{offset: 10, init: []byte("ab")},
		{offset: 12, init: []byte("cd")},
		{offset: 15, init: []byte("e")},
		{offset: 26, init: []byte("fgh")},
		{offset: 5029, init: []byte("far away")},
		{offset: 65536 - 3, init: []byte("end")},
	}
	orig := module(1, segs, false, false)
	merged, res, err := Merge(orig, 64)
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped != "" || res.Before != 7 || res.After != 4 {
		t.Fatalf("result %+v, want 7 segments merged into 4", res)
	}
	if n, err := Segments(merged); err != nil || n != 4 {
		t.Errorf("Segments(merged) = %d, %v; want 4", n, err)
	}
	if !bytes.Equal(memoryAfterInstantiation(t, orig), memoryAfterInstantiation(t, merged)) {
		t.Error("the merged module's memory differs from the original's")
	}
	// Everything before the data section is untouched.
	i := bytes.IndexByte(orig[len(header):], sectionData)
	if !bytes.Equal(orig[:len(header)+i], merged[:len(header)+i]) {
		t.Error("sections before the data section changed")
	}
}

func TestMergeLeavesModulesItMayNotRewrite(t *testing.T) {
	two := []seg{{offset: 0, init: []byte("a")}, {offset: 2, init: []byte("b")}}
	cases := []struct {
		name string
		wasm []byte
		why  string
	}{
		{"data count", module(1, two, true, false), "data count section"},
		{"imported memory", module(1, two, false, true), "imports its memory"},
		{"passive", module(1, []seg{{flags: 1, init: []byte("p")}, two[0]}, false, false), "not an active segment"},
		{"overlap", module(1, []seg{{offset: 0, init: []byte("abc")}, {offset: 1, init: []byte("x")}}, false, false), "overlap"},
		{"empty", module(1, []seg{two[0], {offset: 9, init: nil}}, false, false), "empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, res, err := Merge(c.wasm, 64)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(res.Skipped, c.why) {
				t.Errorf("Skipped = %q, want it to say %q", res.Skipped, c.why)
			}
			if !bytes.Equal(out, c.wasm) {
				t.Error("the module changed")
			}
		})
	}
}

// TestMergeDoesNotInflate: sparse bytes far apart stay as they are rather
// than become a dense image many times the size, whatever the gap asked.
func TestMergeDoesNotInflate(t *testing.T) {
	var segs []seg
	for i := range 200 {
		segs = append(segs, seg{offset: int32(i * 300), init: []byte{1}})
	}
	wasm := module(1, segs, false, false)
	out, res, err := Merge(wasm, 4096)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Skipped, "zero bytes") || !bytes.Equal(out, wasm) {
		t.Errorf("merged 200 one-byte segments 300 bytes apart: %+v, %d -> %d bytes", res, len(wasm), len(out))
	}
	// A negative gap merges only touching segments.
	touching := module(1, []seg{{offset: 0, init: []byte("ab")}, {offset: 2, init: []byte("cd")}, {offset: 9, init: []byte("e")}}, false, false)
	if _, res, err := Merge(touching, -1); err != nil || res.After != 2 {
		t.Errorf("gap -1: %+v %v, want the touching pair merged and the other left", res, err)
	}
}

func TestMergeRejectsMalformedModules(t *testing.T) {
	good := module(1, []seg{{offset: 0, init: []byte("abc")}}, false, false)
	cases := map[string][]byte{
		"not wasm":          []byte("\x7fELF"),
		"truncated section": good[:len(good)-2],
		"bad size":          append(append([]byte(nil), header...), 1, 0xff, 0xff, 0xff, 0xff, 0xff),
	}
	for name, wasm := range cases {
		if _, _, err := Merge(wasm, 64); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// FuzzMerge: Merge never panics, and a module it rewrites has the same
// memory after instantiation as the original. The fuzzer's bytes are
// either a module (any bytes) or, when they start with 'S', a layout of
// segments turned into a valid module.
func FuzzMerge(f *testing.F) {
	f.Add([]byte("S\x00\x00\x00\x02ab\x03\x00\x01c\x40\x00\x03def"))
	f.Add([]byte("S\x01\x00\x40\x02ab\x01\x40\x01c\xff\xff\x03def")) // two pages, one past them, one negative
	f.Add(module(1, []seg{{offset: 4, init: []byte("x")}}, false, false))
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x0b\x01\x00"))
	f.Fuzz(func(t *testing.T, in []byte) {
		wasm := in
		if len(in) > 0 && in[0] == 'S' {
			wasm = layout(in[1:])
		}
		out, res, err := Merge(wasm, 16)
		if err != nil || res.Skipped != "" || len(in) == 0 || in[0] != 'S' {
			return
		}
		origMem, origErr := instantiate(wasm)
		mergedMem, mergedErr := instantiate(out)
		if (origErr == nil) != (mergedErr == nil) {
			t.Fatalf("instantiation: original %v, merged %v (input %x)", origErr, mergedErr, in)
		}
		if !bytes.Equal(origMem, mergedMem) {
			t.Fatalf("memory differs after merging %x", in)
		}
	})
}

// layout reads a page count (1 to 3) and then segments as (offset uint16
// scaled by 4, length byte, bytes), and builds a module of them, dropping
// any that would overlap an earlier one. Segments may run past the memory
// (instantiation then fails, merged or not); an offset byte of 0xff makes
// the offset negative, which i32.const allows and the memory refuses.
func layout(b []byte) []byte {
	if len(b) == 0 {
		return module(1, nil, false, false)
	}
	pages := 1 + int(b[0])%3
	b = b[1:]
	var segs []seg
	used := map[int]bool{}
	for len(b) >= 3 {
		off := int(binary.LittleEndian.Uint16(b)) * 4
		if b[1] == 0xff {
			off = -off - 1
		}
		n := min(int(b[2]), len(b)-3)
		init := b[3 : 3+n]
		b = b[3+n:]
		overlaps := false
		for i := off; i < off+n; i++ {
			overlaps = overlaps || used[i]
		}
		if n == 0 || overlaps {
			continue
		}
		for i := off; i < off+n; i++ {
			used[i] = true
		}
		segs = append(segs, seg{offset: int32(off), init: init})
	}
	return module(pages, segs, false, false)
}

// instantiate returns the memory of an instance of wasm, or the error
// instantiating it.
func instantiate(wasm []byte) ([]byte, error) {
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter())
	defer rt.Close(ctx)
	mod, err := rt.Instantiate(ctx, wasm)
	if err != nil {
		return nil, err
	}
	mem := mod.Memory()
	got, _ := mem.Read(0, mem.Size())
	return bytes.Clone(got), nil
}
