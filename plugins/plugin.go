package plugins

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"

	"github.com/cqltrack/cqltrack/lint/sdk"
	"github.com/cqltrack/cqltrack/plugins/abi"
)

// Plugin is a loaded, validated plugin with a pool of instances. Its
// methods are safe for concurrent use; each instance serves one call at a
// time.
type Plugin struct {
	name     string
	spec     Spec
	manifest *abi.Manifest
	digest   string
	pages    uint32
	timeout  time.Duration
	entry    string
	mod      wazero.CompiledModule
	eng      *engine
	env      [][2]string
	logger   *slog.Logger

	slots  chan struct{} // one token per instance that may exist
	mu     sync.Mutex
	idle   []*instance
	closed bool
}

// instance is one instantiated module and its exports.
type instance struct {
	mod   api.Module
	alloc api.Function
	free  api.Function
	// entries keeps the entry points called so far: wazero gives each
	// api.Function its own call stack, so looking one up for every call
	// would allocate, and grow, a new stack each time.
	entries map[string]api.Function
	out     *head
}

// entry returns the exported function name, looked up once.
func (inst *instance) entry(name string) api.Function {
	f, ok := inst.entries[name]
	if !ok {
		f = inst.mod.ExportedFunction(name)
		if inst.entries == nil {
			inst.entries = map[string]api.Function{}
		}
		inst.entries[name] = f
	}
	return f
}

// Load reads, verifies, compiles and validates a plugin and instantiates
// its first instance. See the package documentation for the checks.
func Load(ctx context.Context, spec Spec, host Host) (*Plugin, error) {
	name := specName(&spec)
	eng, mod, digest, err := compileSpec(ctx, &spec, &host, name)
	if err != nil {
		return nil, err
	}
	if err := checkModule(mod, name, spec.Kind); err != nil {
		return nil, err
	}
	p := &Plugin{
		name:    name,
		spec:    spec,
		mod:     mod,
		eng:     eng,
		digest:  digest,
		timeout: spec.Timeout,
		logger:  host.logger(),
	}
	p.spec.Bytes = nil // the compiled module is all we keep
	p.pages, _ = specPages(&spec, name)
	if p.timeout <= 0 {
		p.timeout = DefaultTimeout
	}
	n := spec.Instances
	if n <= 0 {
		n = 4
	}
	p.slots = make(chan struct{}, n)
	lookup := host.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	if spec.GOGC != 0 {
		p.env = append(p.env, [2]string{"GOGC", strconv.Itoa(spec.GOGC)})
	}
	for _, k := range spec.Env {
		if k == "GOGC" && spec.GOGC != 0 {
			continue // the host's choice, not the user's environment
		}
		if v, ok := lookup(k); ok {
			p.env = append(p.env, [2]string{k, v})
		}
	}
	// The first instance answers the version and manifest questions and
	// then joins the pool.
	p.slots <- struct{}{}
	inst, err := p.instantiate(ctx)
	if err != nil {
		return nil, p.fail("load", err)
	}
	if err := p.handshake(ctx, inst); err != nil {
		inst.mod.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	p.release(inst)
	return p, nil
}

// handshake checks the ABI version and reads the manifest.
func (p *Plugin) handshake(ctx context.Context, inst *instance) error {
	cctx, cancel := p.callContext(ctx)
	defer cancel()
	res, err := inst.mod.ExportedFunction(abi.ExportVersion).Call(cctx)
	if err != nil {
		return p.fail("abi version", p.classify(cctx, inst, err))
	}
	if v := int32(api.DecodeI32(res[0])); v != abi.Version {
		return fmt.Errorf("plugin %q: %w", p.name, abiErrorf("abi version %d, host supports %d", v, abi.Version))
	}
	res, err = inst.mod.ExportedFunction(abi.ExportManifest).Call(cctx)
	if err != nil {
		return p.fail("manifest", p.classify(cctx, inst, err))
	}
	doc, err := inst.take(cctx, res[0])
	if err != nil {
		return p.fail("manifest", err)
	}
	m, err := abi.DecodeManifest(doc)
	if err != nil {
		return p.fail("manifest", fmt.Errorf("%w: %w", ErrResponse, err))
	}
	if err := m.Validate(); err != nil {
		return p.fail("manifest", err)
	}
	if p.spec.Kind != "" && m.Kind != p.spec.Kind {
		return p.fail("manifest", fmt.Errorf("%w: kind %q, expected %q", abi.ErrManifest, m.Kind, p.spec.Kind))
	}
	p.entry = abi.EntryPoint(m.Kind)
	if err := checkSignature(p.mod.ExportedFunctions(), p.entry, entrySignature); err != nil {
		return fmt.Errorf("plugin %q: %w", p.name, abiErrorf("%v", err))
	}
	if p.spec.Name == "" {
		p.name = m.Name
	}
	p.manifest = m
	return nil
}

// Name returns the plugin's name: Spec.Name, or the manifest's name.
func (p *Plugin) Name() string { return p.name }

// Manifest returns what the plugin declared about itself. Do not modify it.
func (p *Plugin) Manifest() *abi.Manifest { return p.manifest }

// Digest returns the hex sha256 of the module.
func (p *Plugin) Digest() string { return p.digest }

// Spec returns the spec the plugin was loaded with (without module bytes).
func (p *Plugin) Spec() Spec { return p.spec }

// Close closes the idle instances; instances busy in calls are closed when
// their call ends. Calls after Close fail with ErrClosed.
func (p *Plugin) Close(ctx context.Context) error {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	var errs []error
	for _, inst := range idle {
		errs = append(errs, inst.mod.Close(ctx))
	}
	return errors.Join(errs...)
}

func (p *Plugin) fail(what string, err error) error {
	return fmt.Errorf("plugin %q: %s: %w", p.name, what, err)
}

func (p *Plugin) callContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx = context.WithValue(ctx, callInfoKey{}, &callInfo{plugin: p.name, logger: p.logger})
	return context.WithTimeout(ctx, p.timeout)
}

func (p *Plugin) instantiate(ctx context.Context) (*instance, error) {
	out := &head{}
	cfg := wazero.NewModuleConfig().
		WithName(""). // anonymous: many instances of one module live side by side
		WithStartFunctions(abi.ExportInitialize).
		WithSysNanotime().
		WithSysWalltime().
		WithSysNanosleep().
		WithRandSource(rand.Reader).
		WithStdout(out).
		WithStderr(out)
	for _, kv := range p.env {
		cfg = cfg.WithEnv(kv[0], kv[1])
	}
	cctx, cancel := p.callContext(ctx)
	defer cancel()
	mod, err := p.eng.rt.InstantiateModule(withGuestMemory(cctx), p.mod, cfg)
	if err != nil {
		return nil, fmt.Errorf("instantiate: %w", p.describe(cctx, err, out, p.timeout))
	}
	return &instance{
		mod:   mod,
		alloc: mod.ExportedFunction(abi.ExportAlloc),
		free:  mod.ExportedFunction(abi.ExportFree),
		out:   out,
	}, nil
}

// acquire takes an idle instance or makes a new one, waiting for a slot
// when all are busy.
func (p *Plugin) acquire(ctx context.Context) (*instance, error) {
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		<-p.slots
		return nil, ErrClosed
	}
	if n := len(p.idle); n > 0 {
		inst := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return inst, nil
	}
	p.mu.Unlock()
	inst, err := p.instantiate(ctx)
	if err != nil {
		<-p.slots
		return nil, err
	}
	return inst, nil
}

func (p *Plugin) release(inst *instance) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		inst.mod.Close(context.Background())
	} else {
		p.idle = append(p.idle, inst)
		p.mu.Unlock()
	}
	<-p.slots
}

// discard closes an instance that failed; a fresh one replaces it on
// demand.
func (p *Plugin) discard(inst *instance) {
	inst.mod.Close(context.Background())
	<-p.slots
}

// Call sends request to the export entry (abi.ExportLint, ...) and returns
// the result of the response envelope. what names the call in errors, e.g.
// "lint migrations/V003__x.cql". check, when not nil, decodes and
// validates the result before the instance is given back: an error from it
// makes the response malformed (wrapping ErrResponse). An error envelope
// yields an error wrapping *abi.GuestError; the instance stays in service
// then. Any other failure, a malformed response included, closes the
// instance.
func (p *Plugin) Call(ctx context.Context, entry, what string, request []byte, check func(result []byte) error) ([]byte, error) {
	if entry != p.entry {
		return nil, p.fail(what, abiErrorf("a %s plugin has no %s", p.manifest.Kind, entry))
	}
	inst, err := p.acquire(ctx)
	if err != nil {
		return nil, p.fail(what, err)
	}
	cctx, cancel := p.callContext(ctx)
	defer cancel()
	resp, err := inst.invoke(cctx, entry, request)
	if err != nil {
		p.discard(inst)
		return nil, p.fail(what, p.classify(cctx, inst, err))
	}
	if s := inst.out.take(); s != "" {
		p.logger.Debug("plugin output", "plugin", p.name, "output", s)
	}
	result, err := abi.OpenEnvelope(resp)
	if err != nil {
		var ge *abi.GuestError
		if errors.As(err, &ge) {
			p.release(inst)
			return nil, p.fail(what, err)
		}
		p.discard(inst)
		return nil, p.fail(what, fmt.Errorf("%w: %w", ErrResponse, err))
	}
	if check != nil {
		if err := check(result); err != nil {
			p.discard(inst) // it answered nonsense once: do not trust it again
			return nil, p.fail(what, fmt.Errorf("%w: %w", ErrResponse, err))
		}
	}
	p.release(inst)
	return result, nil
}

// invoke writes the request into guest memory, calls the entry point and
// copies the response out before freeing both buffers.
func (inst *instance) invoke(ctx context.Context, entry string, request []byte) ([]byte, error) {
	inst.out.take()
	size := uint32(len(request))
	res, err := inst.alloc.Call(ctx, uint64(size))
	if err != nil {
		return nil, err
	}
	ptr := api.DecodeU32(res[0])
	if size > 0 && ptr == 0 {
		return nil, fmt.Errorf("%w: cqltrack_alloc(%d) returned 0", ErrResponse, size)
	}
	if !inst.mod.Memory().Write(ptr, request) {
		return nil, fmt.Errorf("%w: cqltrack_alloc(%d) returned %#x, outside memory", ErrResponse, size, ptr)
	}
	res, err = inst.entry(entry).Call(ctx, uint64(ptr), uint64(size))
	if err != nil {
		return nil, err
	}
	out, err := inst.take(ctx, res[0])
	if err != nil {
		return nil, err
	}
	if _, err := inst.free.Call(ctx, uint64(ptr)); err != nil {
		return nil, err
	}
	return out, nil
}

// take copies out the buffer a packed result points at and frees it.
func (inst *instance) take(ctx context.Context, packed uint64) ([]byte, error) {
	ptr, size := abi.Unpack(packed)
	view, ok := inst.mod.Memory().Read(ptr, size)
	if !ok {
		return nil, fmt.Errorf("%w: result at %#x+%d lies outside memory", ErrResponse, ptr, size)
	}
	// Read returns a view of guest memory: copy before the guest reuses it.
	out := make([]byte, len(view))
	copy(out, view)
	if _, err := inst.free.Call(ctx, uint64(ptr)); err != nil {
		return nil, err
	}
	return out, nil
}

// classify turns a failed call into an error wrapping a sentinel.
func (p *Plugin) classify(ctx context.Context, inst *instance, err error) error {
	return p.describe(ctx, err, inst.out, p.timeout)
}

func (p *Plugin) describe(ctx context.Context, err error, out *head, timeout time.Duration) error {
	output := out.take()
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		switch exit.ExitCode() {
		case sys.ExitCodeDeadlineExceeded:
			return fmt.Errorf("%w after %s", ErrTimeout, timeout)
		case sys.ExitCodeContextCanceled:
			return context.Canceled
		}
	} else if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w after %s", ErrTimeout, timeout)
	}
	if strings.Contains(output, "out of memory") {
		return fmt.Errorf("%w (%d pages, %d MiB): %s", ErrOutOfMemory, p.pages, p.pages/16, keyLine(output))
	}
	var cause string
	if output != "" {
		cause = ": " + keyLine(output)
	}
	if exit != nil {
		return fmt.Errorf("%w with code %d%s", ErrExit, exit.ExitCode(), cause)
	}
	if _, rest, ok := strings.Cut(err.Error(), "wasm error: "); ok {
		// wazero appends a stack trace after the first line.
		return fmt.Errorf("%w: %s%s", ErrTrap, firstLine(rest), cause)
	}
	return err
}

// keyLine picks the line of guest output that says what went wrong: a Go
// guest prints "panic: ..." or "fatal error: ..." before its goroutine
// dump.
func keyLine(output string) string {
	for line := range strings.Lines(output) {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: ") {
			return line
		}
	}
	return firstLine(output)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Lint sends one file to a rule plugin and returns its findings, each with
// a severity (the rule's default when the plugin gave none). Only the
// statements whose kinds the enabled rules (req.Rules, or all) declared are
// sent. Errors name the call "lint <shown>": shown is the file's path as
// the user sees it elsewhere (migrations/V003__x.cql), req.File.Path when
// empty. A finding for a rule the manifest does not declare makes the
// response malformed, and the instance is closed.
func (p *Plugin) Lint(ctx context.Context, shown string, req *sdk.LintRequest) (*sdk.LintResponse, error) {
	if shown == "" {
		shown = req.File.Path
	}
	what := "lint " + shown
	req = p.filterKinds(req)
	buf := requestBuffers.Get().(*[]byte)
	*buf = sdk.AppendLintRequest((*buf)[:0], req)
	var resp *sdk.LintResponse
	_, err := p.Call(ctx, abi.ExportLint, what, *buf, func(body []byte) error {
		var err error
		resp, err = p.checkLint(body)
		return err
	})
	requestBuffers.Put(buf) // Call copied it into guest memory
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// checkLint decodes a lint result and checks every finding names a rule
// the manifest declares, giving each finding without a severity its rule's
// default.
func (p *Plugin) checkLint(body []byte) (*sdk.LintResponse, error) {
	resp, err := sdk.DecodeLintResult(body)
	if err != nil {
		return nil, err
	}
	known := make(map[string]string, len(p.manifest.Rules))
	for _, r := range p.manifest.Rules {
		known[r.ID] = r.Severity
	}
	for i := range resp.Findings {
		f := &resp.Findings[i]
		sev, ok := known[f.Rule]
		if !ok {
			return nil, fmt.Errorf("finding for rule %q, which the manifest does not declare", f.Rule)
		}
		if f.Severity == "" {
			f.Severity = sdk.Severity(sev)
		}
	}
	return resp, nil
}

// requestBuffers holds encoding buffers for requests: a request is copied
// into guest memory and then dropped, and growing a fresh buffer for each
// file was a third of what a lint run allocated.
var requestBuffers = sync.Pool{New: func() any { return new([]byte) }}

// filterKinds returns req with only the statements some enabled rule of
// the plugin wants (by the kinds its manifest declares): a guest decodes
// less, and statement indexes and positions keep their values in the file.
// A rule that declares no kinds wants them all; a file-only rule wants
// none.
func (p *Plugin) filterKinds(req *sdk.LintRequest) *sdk.LintRequest {
	var enabled map[string]bool
	if len(req.Rules) > 0 {
		enabled = make(map[string]bool, len(req.Rules))
		for _, id := range req.Rules {
			enabled[id] = true
		}
	}
	wanted := map[string]bool{}
	for _, r := range p.manifest.Rules {
		if (enabled != nil && !enabled[r.ID]) || r.FileOnly {
			continue
		}
		if len(r.Kinds) == 0 {
			return req
		}
		for _, k := range r.Kinds {
			wanted[strings.ToUpper(k)] = true
		}
	}
	out := *req
	out.Statements = make([]*sdk.Statement, 0, len(req.Statements))
	for _, s := range req.Statements {
		if wanted[strings.ToUpper(s.Kind)] {
			out.Statements = append(out.Statements, s)
		}
	}
	return &out
}

// head keeps the first few KiB a guest writes to stdout and stderr during
// a call: a Go guest's panic message comes first, before a goroutine dump
// that can be long, and errors quote it.
type head struct {
	mu  sync.Mutex
	buf []byte
}

const headSize = 4096

func (h *head) Write(b []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if room := headSize - len(h.buf); room > 0 {
		h.buf = append(h.buf, b[:min(room, len(b))]...)
	}
	return len(b), nil
}

func (h *head) take() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := string(h.buf)
	h.buf = h.buf[:0]
	return s
}
