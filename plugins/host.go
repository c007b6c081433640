package plugins

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/tetratelabs/wazero/experimental"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/internal/wasmdata"
	"github.com/cqltrack/cqltrack/plugins/abi"
)

// Limits and defaults of the host.
const (
	// MinMemoryPages is the smallest memory cap accepted (128 pages of 64
	// KiB, 8 MiB): a Go guest declares about 42 initial pages and is not
	// stable under 128.
	MinMemoryPages = 128
	// MaxMemoryPages is the 4 GiB limit of wasm32 memory.
	MaxMemoryPages = 65536
	// DefaultMemoryPages is the cap when a Spec sets none (32 MiB).
	DefaultMemoryPages = 512
	// DefaultTimeout bounds each call when a Spec sets no timeout.
	DefaultTimeout = 2 * time.Second
	// maxLogMessage caps one message a guest logs, maxLogMessages the
	// messages of one call.
	maxLogMessage  = 4096
	maxLogMessages = 100
)

// Sentinel errors wrapped by the errors of Load and of calls.
var (
	ErrChecksum    = errors.New("sha256 mismatch")
	ErrABI         = errors.New("abi mismatch")
	ErrMemoryPages = errors.New("memory pages out of range")
	ErrTimeout     = errors.New("deadline exceeded")
	ErrTrap        = errors.New("wasm trap")
	ErrExit        = errors.New("guest exited")
	ErrOutOfMemory = errors.New("memory limit exhausted")
	ErrResponse    = errors.New("malformed response")
	ErrClosed      = errors.New("plugin closed")
)

// Spec says which plugin to load and how to run it. Path or Bytes gives the
// module; everything else has a default.
type Spec struct {
	// Name identifies the plugin in errors and logs until its manifest is
	// read; empty means the file name without extension.
	Name  string
	Path  string // a .wasm file, read when Bytes is nil
	Bytes []byte // the module itself (an embedded built-in, a test)
	// SHA256 is the expected hex digest of the module ("sha256:" prefix
	// allowed); when set, a module with another digest is refused before
	// it is compiled.
	SHA256 string
	// Kind is the manifest kind expected (abi.KindRule, ...); empty
	// accepts any.
	Kind string
	// MemoryPages caps the guest's memory in 64 KiB pages: 0 means
	// DefaultMemoryPages; below MinMemoryPages is refused.
	MemoryPages uint32
	// Timeout bounds each call (and instantiation); 0 means DefaultTimeout.
	Timeout time.Duration
	// Config is the user's configuration for the plugin as JSON. The host
	// does not read it; callers put it into their requests.
	Config []byte
	// Env names the environment variables the guest may read (hooks);
	// nothing else of the environment is visible.
	Env []string
	// GOGC, when not zero, is passed to the guest as its GOGC environment
	// variable: the garbage collection target of a Go guest, which also
	// scales the 4 MB heap a Go runtime grows to before its first
	// collection. Each instance's touched memory is mostly that heap, so
	// a lower target keeps instances small (the built-in rules run
	// with 25). It is not the host's GOGC, which the guest never sees.
	GOGC int
	// Instances caps the instances kept for concurrent calls; 0 means 4.
	Instances int
	// Trusted compiles the module without the termination checks that let
	// a deadline stop a running guest. The checks cost a call at every loop
	// iteration of the guest, which makes a Go guest several times slower
	// (see docs/plugin-abi.md, "Performance"); a trusted module that never
	// returns hangs its caller. Only for modules that ship inside the
	// cqltrack binary, never for a user's plugin.
	Trusted bool
}

// Host holds what plugins of a process share: where compiled code is
// cached and where guest logs go. The zero Host is ready to use.
type Host struct {
	// CacheDir is the compilation cache directory; empty means
	// DefaultCacheDir().
	CacheDir string
	// NoDiskCache keeps compiled code in memory only.
	NoDiskCache bool
	// Logger receives guest log messages and output; nil means
	// slog.Default().
	Logger *slog.Logger
	// LookupEnv reads allow-listed environment variables; nil means
	// os.LookupEnv.
	LookupEnv func(string) (string, bool)
}

// DefaultCacheDir returns the default compilation cache directory,
// <user cache dir>/cqltrack/wazero.
func DefaultCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("locate user cache directory: %w", err)
	}
	return filepath.Join(dir, "cqltrack", "wazero"), nil
}

func (h *Host) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

// engine is a wazero runtime for one memory cap and cache directory, with
// the modules compiled in it. Engines live for the process: compiling is
// the expensive step, and every Load of the same module reuses it.
type engine struct {
	rt      wazero.Runtime
	mu      sync.Mutex
	modules map[[32]byte]*compiled
}

// compiled is one module's compilation, shared by concurrent loads: the
// first caller compiles, the others wait on done.
type compiled struct {
	done chan struct{}
	mod  wazero.CompiledModule
	err  error
}

type engineKey struct {
	cacheDir string
	pages    uint32
	trusted  bool
}

var (
	enginesMu sync.Mutex
	engines   = map[engineKey]*engine{}
	caches    = map[string]wazero.CompilationCache{}
)

func (h *Host) cacheDir() string {
	if h.NoDiskCache {
		return ""
	}
	if h.CacheDir != "" {
		return h.CacheDir
	}
	dir, err := DefaultCacheDir()
	if err != nil {
		h.logger().Warn("plugin compilation cache kept in memory", "err", err)
		return ""
	}
	return dir
}

// getEngine returns the process-wide engine for a memory cap and cache.
func getEngine(ctx context.Context, h *Host, pages uint32, trusted bool) (*engine, error) {
	key := engineKey{cacheDir: h.cacheDir(), pages: pages, trusted: trusted}
	enginesMu.Lock()
	defer enginesMu.Unlock()
	if e := engines[key]; e != nil {
		return e, nil
	}
	cache := caches[key.cacheDir]
	if cache == nil {
		if key.cacheDir == "" {
			cache = wazero.NewCompilationCache()
		} else {
			c, err := wazero.NewCompilationCacheWithDir(key.cacheDir)
			if err != nil {
				return nil, fmt.Errorf("open compilation cache %s: %w", key.cacheDir, err)
			}
			cache = c
			pruneCompileCache(key.cacheDir, compileCacheMax, compileCachePruneEvery, time.Now())
		}
		caches[key.cacheDir] = cache
	}
	cfg := wazero.NewRuntimeConfig().
		WithMemoryLimitPages(pages).
		WithCloseOnContextDone(!trusted).
		WithCompilationCache(cache)
	rt := wazero.NewRuntimeWithConfig(ctx, cfg)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		rt.Close(ctx)
		return nil, fmt.Errorf("instantiate wasi: %w", err)
	}
	_, err := rt.NewHostModuleBuilder(abi.HostModule).
		NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(hostLog), []api.ValueType{api.ValueTypeI32, api.ValueTypeI32, api.ValueTypeI32}, nil).
		WithParameterNames("level", "ptr", "len").
		Export(abi.HostLog).
		Instantiate(ctx)
	if err != nil {
		rt.Close(ctx)
		return nil, fmt.Errorf("instantiate host module: %w", err)
	}
	e := &engine{rt: rt, modules: map[[32]byte]*compiled{}}
	engines[key] = e
	return e, nil
}

// Shutdown closes every runtime and in-memory compilation cache of the
// process, releasing the compiled code. Plugins loaded before it stop
// working; a later Load starts afresh (from the disk cache when there is
// one). A command-line run never needs it; a long-lived service that is
// done with plugins may call it.
func Shutdown(ctx context.Context) error {
	enginesMu.Lock()
	defer enginesMu.Unlock()
	var errs []error
	for k, e := range engines {
		errs = append(errs, e.rt.Close(ctx))
		delete(engines, k)
	}
	for k, c := range caches {
		errs = append(errs, c.Close(ctx))
		delete(caches, k)
	}
	return errors.Join(errs...)
}

// compile compiles a module once per engine, however many callers ask.
func (e *engine) compile(ctx context.Context, digest [32]byte, wasm []byte) (wazero.CompiledModule, error) {
	e.mu.Lock()
	c := e.modules[digest]
	if c == nil {
		c = &compiled{done: make(chan struct{})}
		e.modules[digest] = c
		e.mu.Unlock()
		// Compile under a context that outlives this caller: others may be
		// waiting for the same module.
		// Compile on every core: a cold run (every CI run) spends most of
		// its time here.
		cctx := experimental.WithCompilationWorkers(context.WithoutCancel(ctx), runtime.GOMAXPROCS(0))
		c.mod, c.err = e.rt.CompileModule(cctx, wasm)
		if c.err != nil {
			// A failed compilation is not cached: the next Load retries.
			e.mu.Lock()
			delete(e.modules, digest)
			e.mu.Unlock()
		}
		close(c.done)
	} else {
		e.mu.Unlock()
	}
	select {
	case <-c.done:
		return c.mod, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// callInfo travels in the context of a call so that host functions know
// which plugin called them.
type callInfo struct {
	plugin string
	logger *slog.Logger
	logged int // messages logged during this call
}

type callInfoKey struct{}

func hostLog(ctx context.Context, m api.Module, stack []uint64) {
	level := int32(api.DecodeI32(stack[0]))
	ptr, size := api.DecodeU32(stack[1]), api.DecodeU32(stack[2])
	info, _ := ctx.Value(callInfoKey{}).(*callInfo)
	if info == nil {
		return
	}
	// A guest logging in a loop must not flood the user's terminal.
	if info.logged++; info.logged > maxLogMessages {
		if info.logged == maxLogMessages+1 {
			info.logger.Warn("plugin logs too much: further messages of this call dropped", "plugin", info.plugin, "limit", maxLogMessages)
		}
		return
	}
	truncated := size > maxLogMessage
	if truncated {
		size = maxLogMessage
	}
	buf, ok := m.Memory().Read(ptr, size)
	if !ok {
		info.logger.Warn("plugin logged from outside its memory", "plugin", info.plugin)
		return
	}
	msg := string(buf) // copy: the view changes with the next call
	if truncated {
		msg += " [truncated]"
	}
	lvl := slog.LevelInfo
	switch level {
	case abi.LogDebug:
		lvl = slog.LevelDebug
	case abi.LogWarn:
		lvl = slog.LevelWarn
	case abi.LogError:
		lvl = slog.LevelError
	}
	info.logger.Log(ctx, lvl, msg, "plugin", info.plugin)
}

// readModule returns the module's bytes and their digest, verified
// against spec.SHA256.
func readModule(spec *Spec, name string) ([]byte, [32]byte, error) {
	wasm := spec.Bytes
	if wasm == nil {
		if spec.Path == "" {
			return nil, [32]byte{}, fmt.Errorf("plugin %q: neither a path nor module bytes given", name)
		}
		b, err := os.ReadFile(spec.Path)
		if err != nil {
			return nil, [32]byte{}, fmt.Errorf("plugin %q: read module: %w", name, err)
		}
		wasm = b
	}
	digest := sha256.Sum256(wasm)
	if want := spec.SHA256; want != "" {
		want = config.NormalizeSHA256(want) // "SHA256:ABC..." as "abc..."
		if got := hex.EncodeToString(digest[:]); got != want {
			return nil, digest, fmt.Errorf("plugin %q: %w: expected %s, actual %s", name, ErrChecksum, want, got)
		}
	}
	return wasm, digest, nil
}

func specName(spec *Spec) string {
	if spec.Name != "" {
		return spec.Name
	}
	if spec.Path != "" {
		return strings.TrimSuffix(filepath.Base(spec.Path), filepath.Ext(spec.Path))
	}
	return "(unnamed)"
}

func specPages(spec *Spec, name string) (uint32, error) {
	switch p := spec.MemoryPages; {
	case p == 0:
		return DefaultMemoryPages, nil
	case p < MinMemoryPages:
		return 0, fmt.Errorf("plugin %q: %w: %d pages (%d KiB) is below the minimum of %d pages (8 MiB) a Go guest needs to run stably",
			name, ErrMemoryPages, p, p*64, MinMemoryPages)
	case p > MaxMemoryPages:
		return 0, fmt.Errorf("plugin %q: %w: %d pages exceeds the wasm32 maximum of %d", name, ErrMemoryPages, p, MaxMemoryPages)
	default:
		return p, nil
	}
}

// Warm verifies and compiles a plugin's module into the compilation cache
// (`cqltrack cache warm`, for images and CI), and proves it loads: exports,
// ABI version and manifest are checked as Load checks them.
func Warm(ctx context.Context, spec Spec, host Host) error {
	p, err := Load(ctx, spec, host)
	if err != nil {
		return err
	}
	return p.Close(ctx)
}

// mergeData joins the many small data segments Go's linker writes into a
// few (internal/wasmdata), after the sha256 pin is checked against the
// file as given: wazero would hold each segment as its own allocation in
// the host heap (5 MB for 27,000 segments) and walk them all on every
// instantiation. The module's memory image, code and names are unchanged;
// a module wasmdata may not rewrite, or one it cannot read (the compiler
// then says why), is compiled as it is.
func mergeData(wasm []byte) []byte {
	const few = 64 // segments not worth a copy of the module
	if n, err := wasmdata.Segments(wasm); err != nil || n <= few {
		return wasm
	}
	merged, res, err := wasmdata.Merge(wasm, wasmdata.DefaultGap)
	if err != nil || res.Skipped != "" {
		return wasm
	}
	return merged
}

// compileSpec reads, verifies and compiles a spec's module, returning the
// engine it lives in and its hex digest. The sha256 pin is checked first
// (docs/plugin-abi.md section 9): a module that is not the one pinned is
// refused for that, whatever else is wrong with its configuration.
func compileSpec(ctx context.Context, spec *Spec, host *Host, name string) (*engine, wazero.CompiledModule, string, error) {
	wasm, digest, err := readModule(spec, name)
	if err != nil {
		return nil, nil, "", err
	}
	pages, err := specPages(spec, name)
	if err != nil {
		return nil, nil, "", err
	}
	eng, err := getEngine(ctx, host, pages, spec.Trusted)
	if err != nil {
		return nil, nil, "", fmt.Errorf("plugin %q: %w", name, err)
	}
	mod, err := eng.compile(ctx, digest, mergeData(wasm))
	if err != nil {
		return nil, nil, "", fmt.Errorf("plugin %q: compile: %w", name, err)
	}
	return eng, mod, hex.EncodeToString(digest[:]), nil
}

var (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

type signature struct {
	params, results []api.ValueType
}

func (s signature) String() string {
	names := func(ts []api.ValueType) string {
		parts := make([]string, len(ts))
		for i, t := range ts {
			parts[i] = api.ValueTypeName(t)
		}
		return "(" + strings.Join(parts, ", ") + ")"
	}
	return names(s.params) + " -> " + names(s.results)
}

// exports lists the functions every plugin exports, with their signatures.
var exports = map[string]signature{
	abi.ExportInitialize: {nil, nil},
	abi.ExportVersion:    {nil, []api.ValueType{i32}},
	abi.ExportAlloc:      {[]api.ValueType{i32}, []api.ValueType{i32}},
	abi.ExportFree:       {[]api.ValueType{i32}, nil},
	abi.ExportManifest:   {nil, []api.ValueType{i64}},
}

var entrySignature = signature{[]api.ValueType{i32, i32}, []api.ValueType{i64}}

var exportOrder = []string{abi.ExportInitialize, abi.ExportVersion, abi.ExportAlloc, abi.ExportFree, abi.ExportManifest}

func sameTypes(a, b []api.ValueType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func checkSignature(defs map[string]api.FunctionDefinition, name string, want signature) error {
	def, ok := defs[name]
	if !ok {
		return fmt.Errorf("missing export %s %s", name, want)
	}
	got := signature{def.ParamTypes(), def.ResultTypes()}
	if !sameTypes(got.params, want.params) || !sameTypes(got.results, want.results) {
		return fmt.Errorf("export %s has signature %s, want %s", name, got, want)
	}
	return nil
}

// checkModule validates a compiled module's shape before anything runs:
// the ABI exports and their signatures, a memory, and imports limited to
// WASI preview1 and the cqltrack host module. kind, when known, adds the
// entry point of that kind.
func checkModule(mod wazero.CompiledModule, name, kind string) error {
	defs := mod.ExportedFunctions()
	var errs []error
	if _, ok := defs[abi.ExportStart]; ok {
		if _, ok := defs[abi.ExportInitialize]; !ok {
			errs = append(errs, errors.New("a command module (exports _start): build a reactor, e.g. go build -buildmode=c-shared"))
		}
	}
	for _, e := range exportOrder {
		if err := checkSignature(defs, e, exports[e]); err != nil {
			errs = append(errs, err)
		}
	}
	if entry := abi.EntryPoint(kind); entry != "" {
		if err := checkSignature(defs, entry, entrySignature); err != nil {
			errs = append(errs, err)
		}
	}
	if _, ok := mod.ExportedMemories()[abi.ExportMemory]; !ok {
		errs = append(errs, errors.New("missing export memory"))
	}
	for _, imp := range mod.ImportedFunctions() {
		module, fn, _ := imp.Import()
		switch {
		case module == wasi_snapshot_preview1.ModuleName:
		case module == abi.HostModule && fn == abi.HostLog:
			want := signature{[]api.ValueType{i32, i32, i32}, nil}
			if !sameTypes(imp.ParamTypes(), want.params) || !sameTypes(imp.ResultTypes(), want.results) {
				errs = append(errs, fmt.Errorf("imports %s.%s with signature %s, want %s",
					module, fn, signature{imp.ParamTypes(), imp.ResultTypes()}, want))
			}
		default:
			errs = append(errs, fmt.Errorf("imports %s.%s, which the host does not provide", module, fn))
		}
	}
	if len(mod.ImportedMemories()) > 0 {
		errs = append(errs, errors.New("imports a memory; a plugin must define its own"))
	}
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Error()
		}
		return fmt.Errorf("plugin %q: %w", name, abiErrorf("%s", strings.Join(msgs, "; ")))
	}
	return nil
}

// abiError is an ABI violation: its message stands alone and it matches
// ErrABI with errors.Is.
type abiError struct{ msg string }

func (e *abiError) Error() string { return e.msg }
func (e *abiError) Unwrap() error { return ErrABI }

func abiErrorf(format string, args ...any) error {
	return &abiError{msg: fmt.Sprintf(format, args...)}
}
