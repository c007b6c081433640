package plugins

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/internal/wasmdata"
	"github.com/cqltrack/cqltrack/lint/sdk"
	"github.com/cqltrack/cqltrack/plugins/abi"
)

func digestOf(b []byte) string {
	d := sha256.Sum256(b)
	return hex.EncodeToString(d[:])
}

func TestLoadRefuses(t *testing.T) {
	ctx := context.Background()
	rules := testWasm["rules"]
	wrong := digestOf([]byte("something else"))
	tests := []struct {
		name   string
		spec   Spec
		is     error
		substr []string
	}{
		{
			name:   "sha256 mismatch",
			spec:   Spec{Name: "acme", Bytes: rules, SHA256: wrong},
			is:     ErrChecksum,
			substr: []string{`plugin "acme": sha256 mismatch`, "expected " + wrong, "actual " + digestOf(rules)},
		},
		{
			name:   "memory cap below 128 pages",
			spec:   Spec{Name: "acme", Bytes: rules, MemoryPages: 64},
			is:     ErrMemoryPages,
			substr: []string{`plugin "acme"`, "64 pages", "minimum of 128 pages"},
		},
		{
			// The pin is checked first: the wrong module is refused as
			// such, whatever else its configuration gets wrong.
			name:   "sha256 mismatch before the memory cap",
			spec:   Spec{Name: "acme", Bytes: rules, SHA256: wrong, MemoryPages: 64},
			is:     ErrChecksum,
			substr: []string{`plugin "acme": sha256 mismatch`},
		},
		{
			name:   "memory cap above wasm32",
			spec:   Spec{Name: "acme", Bytes: rules, MemoryPages: 70000},
			is:     ErrMemoryPages,
			substr: []string{"70000 pages"},
		},
		{
			name:   "future abi version",
			spec:   testSpec("abi2"),
			is:     ErrABI,
			substr: []string{`plugin "abi2": abi version 2, host supports 1`},
		},
		{
			name:   "missing entry point",
			spec:   testSpec("noexport"),
			is:     ErrABI,
			substr: []string{`plugin "noexport": missing export cqltrack_lint (i32, i32) -> (i64)`},
		},
		{
			name:   "missing entry point of the expected kind",
			spec:   Spec{Name: "acme", Bytes: rules, Kind: abi.KindHook},
			is:     ErrABI,
			substr: []string{`plugin "acme": missing export cqltrack_hook`},
		},
		{
			name:   "initialisation panics",
			spec:   testSpec("badinit"),
			is:     ErrTrap,
			substr: []string{`plugin "badinit": load: instantiate: wasm trap: unreachable: panic: plugin "badinit": invalid manifest: rule id "Not Valid"`},
		},
		{
			name:   "not a module",
			spec:   Spec{Name: "junk", Bytes: []byte("not wasm at all")},
			substr: []string{`plugin "junk": compile:`},
		},
		{
			name:   "missing file",
			spec:   Spec{Path: filepath.Join(t.TempDir(), "gone.wasm")},
			is:     os.ErrNotExist,
			substr: []string{`plugin "gone": read module`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Load(ctx, tt.spec, testHost())
			if err == nil {
				p.Close(ctx)
				t.Fatal("Load succeeded, want an error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q does not wrap %v", err, tt.is)
			}
			for _, s := range tt.substr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

// TestLoadAcceptsPinnedDigest: the pin's "sha256:" prefix and its case do
// not matter (docs/plugin-abi.md section 9), "SHA256:" included.
func TestLoadAcceptsPinnedDigest(t *testing.T) {
	ctx := context.Background()
	b := testWasm["rules"]
	d := digestOf(b)
	for _, pin := range []string{d, strings.ToUpper(d), "sha256:" + d, "sha256:" + strings.ToUpper(d), "SHA256:" + d, "SHA256:" + strings.ToUpper(d), " Sha256:" + d + "\n"} {
		p, err := Load(ctx, Spec{Bytes: b, SHA256: pin, Kind: abi.KindRule}, testHost())
		if err != nil {
			t.Fatalf("pin %s: %v", pin, err)
		}
		if p.Name() != "acme" || p.Digest() != digestOf(b) {
			t.Errorf("name %q digest %s, want acme %s", p.Name(), p.Digest(), digestOf(b))
		}
		p.Close(ctx)
	}
}

func TestLoadFromPathNamesPluginAfterFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "policies.wasm")
	if err := os.WriteFile(path, testWasm["rules"], 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(ctx, Spec{Path: path, SHA256: digestOf(nil)}, testHost())
	if err == nil || !strings.HasPrefix(err.Error(), `plugin "policies": sha256 mismatch`) {
		t.Fatalf("error %v, want it to name the plugin after its file", err)
	}
	p, err := Load(ctx, Spec{Path: path}, testHost())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	if got := p.Manifest(); got.Name != "acme" || got.Version != "1.2.0" || len(got.Rules) != 5 {
		t.Errorf("manifest %+v", got)
	}
}

func TestManifest(t *testing.T) {
	ctx := context.Background()
	p, err := Load(ctx, testSpec("rules"), testHost())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	m := p.Manifest()
	if m.Kind != abi.KindRule || m.ABIVersion != 1 {
		t.Errorf("kind %q abi %d", m.Kind, m.ABIVersion)
	}
	r := m.Rules[1]
	if r.ID != "acme-table-comment" || r.Severity != "warning" || !reflect.DeepEqual(r.Kinds, []string{"CREATE TABLE"}) {
		t.Errorf("rule %+v", r)
	}
	if got := r.Options.Path("properties", "max_ttl", "type").Str(); got != "integer" {
		t.Errorf("options schema max_ttl type %q, want integer", got)
	}
	if m.Rules[0].DocsURL != "https://acme.example/cql#no-truncate" {
		t.Errorf("docs url %q", m.Rules[0].DocsURL)
	}
}

// lintRequest is a file that every rule of testdata/rules has something
// to say about.
func lintRequest() *sdk.LintRequest {
	return &sdk.LintRequest{
		File: sdk.File{Path: "V007__policies.cql", Version: "007", Description: "policies", UpStatements: 3},
		Statements: []*sdk.Statement{
			{
				Section: sdk.Up, Index: 1, Kind: "CREATE TABLE", Text: "CREATE TABLE ks.t (id int PRIMARY KEY) WITH default_time_to_live = 86400",
				Pos:     sdk.Pos{Offset: 0, Line: 1, Column: 1},
				ASTJSON: []byte(`{"kind":"CREATE TABLE","name":{"name":{"name":"t"}},"options":[{"name":"default_time_to_live","value":{"node":"literal","type":"integer","text":"86400"}}]}`),
			},
			{
				Section: sdk.Up, Index: 2, Kind: "ALTER TABLE", Text: "ALTER TABLE ks.u DROP email",
				Pos:     sdk.Pos{Offset: 75, Line: 3, Column: 1},
				ASTJSON: []byte(`{"kind":"ALTER TABLE","name":{"name":{"name":"u"}},"action":"DROP","drop":[{"name":"email"}]}`),
				Before: &sdk.Object{Table: &sdk.Table{
					Keyspace: "ks", Name: "u", PartitionKey: []string{"id"},
					Columns: []sdk.Column{{Name: "id", Type: "uuid", Kind: sdk.PartitionKey}, {Name: "email", Type: "text", Kind: sdk.Regular}},
				}},
			},
			{
				Section: sdk.Up, Index: 3, Kind: "TRUNCATE", Text: "TRUNCATE ks.boom",
				Pos:     sdk.Pos{Offset: 104, Line: 4, Column: 3},
				ASTJSON: []byte(`{"kind":"TRUNCATE","table":{"name":{"name":"boom"}}}`),
			},
		},
		RuleOptions: map[string]sdk.Value{"acme-table-comment": mustValue(`{"max_ttl":3600}`)},
	}
}

func mustValue(s string) sdk.Value {
	v, err := abi.ParseValue([]byte(s))
	if err != nil {
		panic(err)
	}
	return v
}

func TestLintEndToEnd(t *testing.T) {
	ctx := context.Background()
	var logs bytes.Buffer
	host := testHost()
	host.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	p, err := Load(ctx, testSpec("rules"), host)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	got, err := p.Lint(ctx, "", lintRequest())
	if err != nil {
		t.Fatal(err)
	}
	want := &sdk.LintResponse{
		Findings: []sdk.Finding{
			{Rule: "acme-no-rollback", Severity: sdk.Warning, Message: "V007__policies.cql has no -- @down section", Pos: sdk.Pos{Line: 1, Column: 1}},
			{Rule: "acme-table-comment", Severity: sdk.Warning, Message: "table has no comment", Pos: sdk.Pos{Line: 1, Column: 1}, Statement: 1},
			{Rule: "acme-table-comment", Severity: sdk.Warning, Message: "default_time_to_live must be set and at most 3600", Pos: sdk.Pos{Line: 1, Column: 1}, Statement: 1},
			{Rule: "acme-drop-column", Severity: sdk.Info, Message: "drops email text of u", Pos: sdk.Pos{Offset: 75, Line: 3, Column: 1}, Statement: 2},
			{Rule: "acme-no-truncate", Severity: sdk.Error, Message: "TRUNCATE boom deletes every row", Pos: sdk.Pos{Offset: 104, Line: 4, Column: 3}, Statement: 3},
		},
		Errors: []sdk.RuleError{{Rule: "acme-panicky", Message: "panic: boom"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lint response\n got %+v\nwant %+v", got, want)
	}
	if !strings.Contains(logs.String(), `level=WARN msg="about to panic" plugin=rules`) {
		t.Errorf("guest log not forwarded; log:\n%s", logs.String())
	}

	// Selecting rules runs only those.
	req := lintRequest()
	req.Rules = []string{"acme-no-truncate"}
	got, err = p.Lint(ctx, "", req)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Findings) != 1 || got.Findings[0].Rule != "acme-no-truncate" || len(got.Errors) != 0 {
		t.Errorf("with rules filter: %+v", got)
	}
}

// badLint lints a file whose path tells testdata/bad how to misbehave.
// loadBad loads testdata/bad with one instance, so that a call after a
// failure shows whether that instance was replaced, and closes it when the
// test ends; tune changes the spec first (nil: none).
func loadBad(t *testing.T, tune func(*Spec)) *Plugin {
	t.Helper()
	spec := testSpec("bad")
	spec.Instances = 1
	if tune != nil {
		tune(&spec)
	}
	p, err := Load(context.Background(), spec, testHost())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close(context.Background()) })
	return p
}

func badLint(ctx context.Context, p *Plugin, how string) error {
	_, err := p.Lint(ctx, "", &sdk.LintRequest{File: sdk.File{Path: how, Version: "V007"}})
	return err
}

func TestMisbehavingPlugin(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		how    string
		spec   func(*Spec)
		is     error
		substr string
	}{
		{how: "panic", is: ErrTrap, substr: "wasm trap: unreachable: panic: assignment to entry in nil map"},
		{how: "loop", spec: func(s *Spec) { s.Timeout = 200 * time.Millisecond }, is: ErrTimeout, substr: "deadline exceeded after 200ms"},
		{how: "oom", spec: func(s *Spec) { s.MemoryPages = 128 }, is: ErrOutOfMemory, substr: "memory limit exhausted (128 pages, 8 MiB): fatal error: out of memory"},
		{how: "badjson", is: ErrResponse, substr: "malformed response: not a response envelope: invalid json"},
		{how: "wild", is: ErrResponse, substr: "result at 0xfffffff0+64 lies outside memory"},
		{how: "nullresult", is: ErrResponse, substr: "malformed response: not a response envelope: result is null, not an object"},
		{how: "undeclared", is: ErrResponse, substr: `malformed response: finding for rule "undeclared", which the manifest does not declare`},
		{how: "errenv", substr: "cannot lint this file"},
	}
	for _, tt := range tests {
		t.Run(tt.how, func(t *testing.T) {
			p := loadBad(t, tt.spec) // the next call must get a fresh instance
			err := badLint(ctx, p, tt.how)
			if err == nil {
				t.Fatal("lint succeeded, want an error")
			}
			if !strings.HasPrefix(err.Error(), `plugin "bad": lint `+tt.how+`: `) {
				t.Errorf("error %q does not name the plugin and the call", err)
			}
			if !strings.Contains(err.Error(), tt.substr) {
				t.Errorf("error %q does not contain %q", err, tt.substr)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q does not wrap %v", err, tt.is)
			}
			// The plugin keeps serving: a failed instance was replaced.
			if err := badLint(ctx, p, "fine"); err != nil {
				t.Errorf("call after the failure: %v", err)
			}
		})
	}
}

// TestMalformedResponseClosesInstance: after a response the host cannot
// use, the instance that gave it is closed, as docs/plugin-abi.md section 9
// says, so a plugin whose state went wrong answers the next file from a
// fresh instance; after an error envelope the instance stays in service.
// testdata/bad counts the calls each instance served.
func TestMalformedResponseClosesInstance(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		how   string
		calls string // what the next call reports
	}{
		{"badjson", "calls=1"},
		{"nullresult", "calls=1"},
		{"undeclared", "calls=1"},
		{"errenv", "calls=2"},
	} {
		t.Run(tt.how, func(t *testing.T) {
			p := loadBad(t, nil)
			if err := badLint(ctx, p, tt.how); err == nil {
				t.Fatal("lint succeeded, want an error")
			}
			var ge *abi.GuestError
			if err := badLint(ctx, p, "calls"); !errors.As(err, &ge) || ge.Message != tt.calls {
				t.Errorf("next call: %v, want %s", err, tt.calls)
			}
		})
	}
	// Hooks and formatters decode their results in Call's check (a hook
	// decision that is neither allow nor deny): a result it rejects closes
	// the instance the same way.
	t.Run("check", func(t *testing.T) {
		p := loadBad(t, nil)
		req := sdk.AppendLintRequest(nil, &sdk.LintRequest{File: sdk.File{Path: "fine"}})
		_, err := p.Call(ctx, abi.ExportLint, "lint fine", req, func([]byte) error { return errors.New("decision \"maybe\", want allow or deny") })
		if !errors.Is(err, ErrResponse) || err.Error() != `plugin "bad": lint fine: malformed response: decision "maybe", want allow or deny` {
			t.Errorf("rejected result: %v", err)
		}
		var ge *abi.GuestError
		if err := badLint(ctx, p, "calls"); !errors.As(err, &ge) || ge.Message != "calls=1" {
			t.Errorf("next call: %v, want calls=1", err)
		}
	})
}

// TestCancelStopsALoopingCall: Ctrl-C (the caller's context cancelled)
// ends a call stuck in a loop long before the plugin's own deadline, as a
// cancellation, not a timeout or a plugin failure, and the plugin keeps
// serving.
func TestCancelStopsALoopingCall(t *testing.T) {
	p := loadBad(t, func(s *Spec) { s.Timeout = 10 * time.Minute }) // longer than go test lets a test run
	ctx, cancel := context.WithCancel(context.Background())
	timer := time.AfterFunc(100*time.Millisecond, cancel)
	defer timer.Stop()
	err := badLint(ctx, p, "loop")
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
		t.Fatalf("cancelled loop: %v, want context.Canceled", err)
	}
	if err := badLint(context.Background(), p, "fine"); err != nil {
		t.Errorf("call after the cancelled one: %v", err)
	}
}

func TestGuestErrorIsTyped(t *testing.T) {
	ctx := context.Background()
	p, err := Load(ctx, testSpec("bad"), testHost())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	err = badLint(ctx, p, "errenv")
	var ge *abi.GuestError
	if !errors.As(err, &ge) || ge.Message != "cannot lint this file" {
		t.Errorf("error %v, want a *abi.GuestError", err)
	}
}

func TestSandbox(t *testing.T) {
	ctx := context.Background()
	host := testHost()
	host.LookupEnv = func(k string) (string, bool) {
		env := map[string]string{"CQLTRACK_GRANTED": "yes", "CQLTRACK_SECRET": "hunter2"}
		v, ok := env[k]
		return v, ok
	}
	spec := testSpec("bad")
	spec.Env = []string{"CQLTRACK_GRANTED", "CQLTRACK_UNSET"}
	p, err := Load(ctx, spec, host)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	message := func(how string) string {
		var ge *abi.GuestError
		if err := badLint(ctx, p, how); !errors.As(err, &ge) {
			t.Fatalf("%s: error %v, want the guest's report", how, err)
		}
		return ge.Message
	}
	if got, want := message("sandbox-env"), "granted=yes secret= count=1"; got != want {
		t.Errorf("guest environment: %q, want %q", got, want)
	}
	if got, want := message("sandbox-fs"), "read failed"; got != want {
		t.Errorf("guest filesystem: %q, want %q", got, want)
	}
	if got, want := message("sandbox-gogc"), "GOGC= percent=100"; got != want {
		t.Errorf("guest GC target without Spec.GOGC: %q, want %q", got, want)
	}
	sec, err := strconv.ParseInt(message("sandbox-clock"), 10, 64)
	if d := time.Since(time.Unix(sec, 0)); err != nil || d < -time.Minute || d > time.Minute {
		t.Errorf("guest clock %d (%v) is not the real time", sec, err)
	}
}

// TestGuestGOGC: Spec.GOGC reaches a Go guest's runtime as its GC target,
// and a user's allow-list cannot replace it with the host's GOGC.
func TestGuestGOGC(t *testing.T) {
	ctx := context.Background()
	host := testHost()
	host.LookupEnv = func(k string) (string, bool) {
		if k == "GOGC" {
			return "400", true
		}
		return "", false
	}
	spec := testSpec("bad")
	spec.GOGC = 30
	spec.Env = []string{"GOGC"}
	p, err := Load(ctx, spec, host)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	var ge *abi.GuestError
	if err := badLint(ctx, p, "sandbox-gogc"); !errors.As(err, &ge) {
		t.Fatalf("error %v, want the guest's report", err)
	}
	if want := "GOGC=30 percent=30"; ge.Message != want {
		t.Errorf("guest saw %q, want %q", ge.Message, want)
	}
}

func TestConcurrentCallsShareThePool(t *testing.T) {
	ctx := context.Background()
	spec := testSpec("rules")
	spec.Instances = 2
	p, err := Load(ctx, spec, testHost())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	var wg sync.WaitGroup
	errs := make(chan error, 12)
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := lintRequest()
			req.File.Version = strconv.Itoa(i)
			resp, err := p.Lint(ctx, "", req)
			if err == nil && len(resp.Findings) != 5 {
				err = errors.New("wrong findings: " + strconv.Itoa(len(resp.Findings)))
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	p.mu.Lock()
	idle := len(p.idle)
	p.mu.Unlock()
	if idle < 1 || idle > 2 {
		t.Errorf("%d idle instances, want 1 or 2 with a pool of 2", idle)
	}
}

func TestClosedPluginRefusesCalls(t *testing.T) {
	ctx := context.Background()
	p, err := Load(ctx, testSpec("rules"), testHost())
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Lint(ctx, "", lintRequest()); !errors.Is(err, ErrClosed) {
		t.Errorf("lint after close: %v, want ErrClosed", err)
	}
}

func TestCallRejectsOtherKindsEntry(t *testing.T) {
	ctx := context.Background()
	p, err := Load(ctx, testSpec("rules"), testHost())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	_, err = p.Call(ctx, abi.ExportFormat, "format sarif", []byte(`{}`), nil)
	if !errors.Is(err, ErrABI) || !strings.Contains(err.Error(), `plugin "rules": format sarif: a rule plugin has no cqltrack_format`) {
		t.Errorf("error %v", err)
	}
}

func TestWarmFillsTheDiskCache(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "cache")
	host := Host{CacheDir: dir}
	if err := Warm(ctx, testSpec("rules"), host); err != nil {
		t.Fatal(err)
	}
	var files int
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, _ error) error {
		if d != nil && !d.IsDir() {
			files++
		}
		return nil
	})
	if files == 0 {
		t.Fatalf("no compiled code cached under %s", dir)
	}
	if err := Warm(ctx, testSpec("noexport"), host); !errors.Is(err, ErrABI) {
		t.Errorf("warming a module without its entry point: %v, want ErrABI", err)
	}
}

func TestTrustedModuleRuns(t *testing.T) {
	ctx := context.Background()
	spec := testSpec("rules")
	spec.Trusted = true
	p, err := Load(ctx, spec, testHost())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	got, err := p.Lint(ctx, "", lintRequest())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Findings) != 5 {
		t.Errorf("trusted module: %d findings, want 5", len(got.Findings))
	}
}

func TestLintSendsOnlyWantedKinds(t *testing.T) {
	p := &Plugin{manifest: &abi.Manifest{Rules: []abi.RuleInfo{
		{ID: "tables", Kinds: []string{"CREATE TABLE", "alter table"}},
		{ID: "truncate", Kinds: []string{"TRUNCATE"}},
		{ID: "all"},
		{ID: "file", FileOnly: true},
	}}}
	req := &sdk.LintRequest{Statements: []*sdk.Statement{
		{Index: 1, Kind: "CREATE TABLE"}, {Index: 2, Kind: "INSERT"}, {Index: 3, Kind: "ALTER TABLE"}, {Index: 4, Kind: "TRUNCATE"},
	}}
	indexes := func(r *sdk.LintRequest) []int {
		var out []int
		for _, s := range r.Statements {
			out = append(out, s.Index)
		}
		return out
	}
	tests := []struct {
		rules []string
		want  []int
	}{
		{nil, []int{1, 2, 3, 4}}, // "all" wants every kind
		{[]string{"tables"}, []int{1, 3}},
		{[]string{"tables", "truncate"}, []int{1, 3, 4}},
		{[]string{"truncate", "all"}, []int{1, 2, 3, 4}},
		{[]string{"unknown"}, nil},
		{[]string{"file"}, nil},                  // a file-only rule wants no statement
		{[]string{"file", "truncate"}, []int{4}}, // nor adds any kind
	}
	for _, tt := range tests {
		r := *req
		r.Rules = tt.rules
		if got := indexes(p.filterKinds(&r)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("rules %v: statements %v, want %v", tt.rules, got, tt.want)
		}
	}
	if len(req.Statements) != 4 {
		t.Error("filtering modified the caller's request")
	}
}

// TestGuestMemoryStaysBounded pushes far more data through a guest than
// its memory cap holds: with real clocks its garbage collector keeps up
// (under wazero's default fake clock a Go guest's heap grows without
// bound and this runs out of memory).
func TestGuestMemoryStaysBounded(t *testing.T) {
	ctx := context.Background()
	spec := testSpec("rules")
	spec.MemoryPages = 256 // 16 MiB; the module itself takes about 3
	spec.Trusted = true    // same collector, quicker test
	spec.Instances = 1
	p, err := Load(ctx, spec, testHost())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	req := benchRequest(300) // about 300 KB of request, plus its decoding
	for i := range 120 {
		if _, err := p.Lint(ctx, "", req); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
}

func TestConcurrentLoadsCompileOnce(t *testing.T) {
	ctx := context.Background()
	host := Host{CacheDir: t.TempDir(), Logger: testHost().Logger}
	const n = 4
	loaded := make([]*Plugin, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			loaded[i], errs[i] = Load(ctx, testSpec("rules"), host)
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		defer loaded[i].Close(ctx)
		if loaded[i].mod != loaded[0].mod {
			t.Errorf("load %d compiled its own module", i)
		}
	}
}

func TestShutdownReleasesRuntimes(t *testing.T) {
	ctx := context.Background()
	host := Host{CacheDir: t.TempDir(), Logger: testHost().Logger}
	p, err := Load(ctx, testSpec("rules"), host)
	if err != nil {
		t.Fatal(err)
	}
	if err := Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Lint(ctx, "", lintRequest()); err == nil {
		t.Error("a plugin loaded before Shutdown still answers")
	}
	// A new load works again, from the disk cache.
	q, err := Load(ctx, testSpec("rules"), host)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close(ctx)
	if _, err := q.Lint(ctx, "", lintRequest()); err != nil {
		t.Errorf("lint after reload: %v", err)
	}
}

func TestGuestLogIsCapped(t *testing.T) {
	ctx := context.Background()
	var logs bytes.Buffer
	host := testHost()
	host.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	p, err := Load(ctx, testSpec("bad"), host)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	if err := badLint(ctx, p, "chatty"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 101 {
		t.Fatalf("%d log lines, want 100 messages and one notice", len(lines))
	}
	if !strings.Contains(lines[0], "message 0 xxx") || !strings.HasSuffix(lines[0], `[truncated]" plugin=bad`) {
		t.Errorf("first line %.80q... does not carry a truncated message", lines[0])
	}
	if len(lines[0]) > 4200 {
		t.Errorf("a message of 5000 bytes was logged as %d", len(lines[0]))
	}
	if !strings.Contains(lines[100], "further messages of this call dropped") {
		t.Errorf("last line %q", lines[100])
	}
}

// TestMergeData: the host compiles a Go plugin with its data segments
// merged (the pin was checked on the file as given), and leaves alone a
// module with few segments or one it cannot read.
func TestMergeData(t *testing.T) {
	wasm := testWasm["rules"]
	before, err := wasmdata.Segments(wasm)
	if err != nil || before < 1000 {
		t.Fatalf("the Go-built test plugin has %d data segments (%v): expected thousands", before, err)
	}
	merged := mergeData(wasm)
	if after, err := wasmdata.Segments(merged); err != nil || after > 16 {
		t.Errorf("after mergeData: %d segments (%v)", after, err)
	}
	if again := mergeData(merged); &again[0] != &merged[0] {
		t.Error("a merged module was copied again")
	}
	garbage := []byte("not wasm at all")
	if got := mergeData(garbage); &got[0] != &garbage[0] {
		t.Error("an unreadable module was replaced")
	}
}
