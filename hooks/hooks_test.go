package hooks_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/hooks"
	"github.com/cqltrack/cqltrack/hooks/sdk"
	"github.com/cqltrack/cqltrack/plugins"
)

// fixedNow is the clock the tests give hooks: Saturday 2026-11-28 12:00 UTC.
var fixedNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

var run = hooks.RunInfo{
	Profile: "prod", Keyspace: "shop", Cluster: "Test Cluster",
	Pending: []hooks.Migration{
		{Version: 3, Description: "JIRA-1 add users", File: "V003__JIRA-1_add_users.cql", Checksum: "abc", Statements: []string{"CREATE TABLE users (id int PRIMARY KEY)"}},
		{Version: 4, Description: "add orders", File: "V004__add_orders.cql", Checksum: "def", Statements: []string{"CREATE TABLE orders (id int PRIMARY KEY)"}},
	},
}

// probe configures the probe hook with the given behaviours.
func probe(pre, post, onError string, env ...string) config.Hook {
	return config.Hook{
		Plugin:  config.Plugin{Path: wasmPath["probe"], Config: map[string]any{"pre": pre, "post": post, "env": env}, Timeout: 5 * time.Second},
		OnError: onError,
	}
}

type loaded struct {
	*hooks.Runner
	warnings []error
}

func load(t testing.TB, cfg config.Hooks, env map[string]string) *loaded {
	t.Helper()
	l := &loaded{}
	r, err := hooks.Load(context.Background(), cfg, hooks.Options{
		Host: plugins.Host{NoDiskCache: true, LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }},
		Now:  func() time.Time { return fixedNow },
		Warn: func(err error) { l.warnings = append(l.warnings, err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(context.Background()) })
	l.Runner = r
	return l
}

func TestPre(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name    string
		hooks   []config.Hook
		allowed bool
		hook    string
		message string
		err     error // the error wrapped, with message in its text
		warned  string
	}{
		{name: "no hooks", allowed: true},
		{name: "allow", hooks: []config.Hook{probe("allow", "", "fail")}, allowed: true},
		{name: "allow with a note", hooks: []config.Hook{probe("note", "", "fail")}, allowed: true, hook: "probe", message: "noted migration"},
		{name: "deny", hooks: []config.Hook{probe("deny", "", "fail")}, hook: "probe", message: "probe says no to migration"},
		{name: "a deny stops the calls", hooks: []config.Hook{probe("deny", "", "fail"), probe("panic", "", "fail")}, hook: "probe", message: "probe says no"},
		{name: "panic, on_error fail", hooks: []config.Hook{probe("panic", "", "fail")},
			err: hooks.ErrHookFailed, message: `hook failed: plugin "probe": pre_migrate V4: panic: probe panics on purpose`},
		{name: "panic, on_error warn, next hook decides", hooks: []config.Hook{probe("panic", "", "warn"), probe("deny", "", "fail")},
			hook: "probe", message: "probe says no", warned: "probe panics on purpose"},
		{name: "exit, on_error fail", hooks: []config.Hook{probe("exit", "", "fail")}, err: plugins.ErrExit, message: "guest exited with code 3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := load(t, config.Hooks{PreMigrate: c.hooks}, nil)
			d, err := r.PreMigration(ctx, run, run.Pending[1])
			if c.err != nil {
				if !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.message) {
					t.Fatalf("error %v, want %v with %q", err, c.err, c.message)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Allowed != c.allowed || d.Hook != c.hook || !strings.Contains(d.Message, c.message) {
				t.Errorf("decision %+v, want allowed=%v hook=%q message %q", d, c.allowed, c.hook, c.message)
			}
			if (d.Err() == nil) != c.allowed || (!c.allowed && !errors.Is(d.Err(), hooks.ErrDenied)) {
				t.Errorf("Err() = %v", d.Err())
			}
			if c.warned == "" && len(r.warnings) > 0 || c.warned != "" && (len(r.warnings) != 1 || !strings.Contains(r.warnings[0].Error(), c.warned)) {
				t.Errorf("warnings %v, want one with %q", r.warnings, c.warned)
			}
		})
	}
}

// TestRequest checks what a hook receives at each of the four calls, by a
// probe that echoes its request back as a deny (or a failure, for post).
func TestRequest(t *testing.T) {
	ctx := context.Background()
	r := load(t, config.Hooks{PreMigrate: []config.Hook{probe("echo", "", "fail")}, PostMigrate: []config.Hook{probe("", "echo", "fail")}}, nil)
	decode := func(msg string) sdk.Request {
		t.Helper()
		msg = msg[strings.Index(msg, "{"):]
		var req sdk.Request
		if err := json.Unmarshal([]byte(msg), &req); err != nil {
			t.Fatalf("%v: %s", err, msg)
		}
		if !req.Now.Equal(fixedNow) || req.Run.Profile != "prod" || req.Run.Keyspace != "shop" || req.Run.Cluster != "Test Cluster" ||
			len(req.Run.Pending) != 2 || req.Run.Pending[1].Checksum != "def" || req.Run.Pending[0].Statements[0] != run.Pending[0].Statements[0] {
			t.Errorf("request %+v", req)
		}
		if !strings.Contains(string(req.Config), `"pre":"echo"`) && !strings.Contains(string(req.Config), `"post":"echo"`) {
			t.Errorf("config %s", req.Config)
		}
		return req
	}

	d, err := r.PreRun(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	if req := decode(d.Message); req.Event != "pre_migrate" || req.Stage != "run" || req.Migration != nil {
		t.Errorf("pre run: %+v", req)
	}
	d, err = r.PreMigration(ctx, run, run.Pending[0])
	if err != nil {
		t.Fatal(err)
	}
	if req := decode(d.Message); req.Stage != "migration" || req.Migration == nil || req.Migration.Version != 3 || req.Migration.File != "V003__JIRA-1_add_users.cql" {
		t.Errorf("pre migration: %+v", req)
	}
	err = r.PostMigration(ctx, run, hooks.Outcome{Version: 3, Description: "JIRA-1 add users", Status: sdk.StatusFailed, DurationMs: 12, StatementsApplied: 0, StatementsTotal: 1, Error: "boom"})
	if err == nil {
		t.Fatal("echo post hook did not fail")
	}
	if req := decode(err.Error()); req.Event != "post_migrate" || req.Outcome == nil || *req.Outcome != (sdk.Outcome{Version: 3, Description: "JIRA-1 add users", Status: "failed", DurationMs: 12, StatementsTotal: 1, Error: "boom"}) {
		t.Errorf("post migration: %+v", req)
	}
	err = r.PostRun(ctx, run, hooks.Summary{Status: sdk.RunFailed, Applied: 1, Failed: 1, DurationMs: 40, Current: 3, Error: "boom"})
	if err == nil {
		t.Fatal("echo post hook did not fail")
	}
	if req := decode(err.Error()); req.Stage != "run" || req.Summary == nil || req.Summary.Applied != 1 || req.Summary.Current != 3 {
		t.Errorf("post run: %+v", req)
	}
}

// TestNowIsUTC checks a hook reads "now" in UTC, as docs/hooks.md says,
// whatever the zone of the host's clock: a hook that compares the hour
// with a change window sees the same hour on every machine.
func TestNowIsUTC(t *testing.T) {
	ctx := context.Background()
	paris := time.FixedZone("CET", 3600)
	r, err := hooks.Load(ctx, config.Hooks{PreMigrate: []config.Hook{probe("echo", "", "fail")}}, hooks.Options{
		Host: plugins.Host{NoDiskCache: true},
		Now:  func() time.Time { return fixedNow.In(paris) },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	d, err := r.PreRun(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"now":"2026-11-28T12:00:00Z"`; !strings.Contains(d.Message, want) {
		t.Errorf("request does not carry %s: %s", want, d.Message)
	}
}

func TestPost(t *testing.T) {
	ctx := context.Background()
	outcome := hooks.Outcome{Version: 4, Description: "add orders", Status: sdk.StatusApplied, StatementsApplied: 1, StatementsTotal: 1}
	cases := []struct {
		name     string
		hooks    []config.Hook
		err      string
		warnings int
	}{
		{name: "ok", hooks: []config.Hook{probe("", "allow", "fail")}},
		{name: "failure, on_error fail", hooks: []config.Hook{probe("", "fail", "fail")}, err: `hook failed: plugin "probe": post_migrate V4: probe failed on purpose`},
		{name: "failure, on_error warn", hooks: []config.Hook{probe("", "fail", "warn")}, warnings: 1},
		{name: "every hook is called", hooks: []config.Hook{probe("", "fail", "warn"), probe("", "panic", "fail"), probe("", "fail", "warn")},
			err: "panic: probe panics on purpose", warnings: 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := load(t, config.Hooks{PostMigrate: c.hooks}, nil)
			err := r.PostMigration(ctx, run, outcome)
			if c.err == "" && err != nil || c.err != "" && (err == nil || !errors.Is(err, hooks.ErrHookFailed) || !strings.Contains(err.Error(), c.err)) {
				t.Errorf("error %v, want %q", err, c.err)
			}
			if len(r.warnings) != c.warnings {
				t.Errorf("warnings %v, want %d", r.warnings, c.warnings)
			}
		})
	}
}

// TestEnv: a hook sees the variables its env lists and that are set, and
// nothing else of the environment.
func TestEnv(t *testing.T) {
	h := probe("show-env", "", "fail", "CI_COMMIT_SHA", "DEPLOYER", "SECRET_TOKEN")
	h.Env = []string{"CI_COMMIT_SHA", "DEPLOYER"}
	r := load(t, config.Hooks{PreMigrate: []config.Hook{h}}, map[string]string{"CI_COMMIT_SHA": "c0ffee", "SECRET_TOKEN": "hunter2", "HOME": "/root"})
	d, err := r.PreRun(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	if want := "CI_COMMIT_SHA=c0ffee DEPLOYER=<unset> SECRET_TOKEN=<unset> total=1"; d.Message != want {
		t.Errorf("hook saw %q, want %q", d.Message, want)
	}
}

// TestLoop: a hook that never returns is stopped at its deadline, and the
// error names it; with on_error warn the run goes on.
func TestLoop(t *testing.T) {
	for _, onError := range []string{"fail", "warn"} {
		t.Run(onError, func(t *testing.T) {
			h := probe("loop", "", onError)
			h.Timeout = 300 * time.Millisecond
			r := load(t, config.Hooks{PreMigrate: []config.Hook{h}}, nil)
			d, err := r.PreRun(context.Background(), run)
			if onError == "fail" {
				if !errors.Is(err, plugins.ErrTimeout) || !errors.Is(err, hooks.ErrHookFailed) || !strings.Contains(err.Error(), `plugin "probe": pre_migrate run: deadline exceeded after 300ms`) {
					t.Fatalf("error %v", err)
				}
				return
			}
			if err != nil || !d.Allowed || len(r.warnings) != 1 || !errors.Is(r.warnings[0], plugins.ErrTimeout) {
				t.Fatalf("decision %+v, error %v, warnings %v", d, err, r.warnings)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	ctx := context.Background()
	ticket := config.Hook{Plugin: config.Plugin{Path: wasmPath["ticket-id"]}, OnError: "warn"}
	_, err := hooks.Load(ctx, config.Hooks{PostMigrate: []config.Hook{ticket}}, hooks.Options{Host: plugins.Host{NoDiskCache: true}})
	if !errors.Is(err, hooks.ErrEvent) || !strings.Contains(err.Error(), `hooks.post_migrate[0]: plugin "ticket-id": hook does not handle event post_migrate`) {
		t.Errorf("event mismatch: %v", err)
	}
	pinned := ticket
	pinned.SHA256 = strings.Repeat("0", 64)
	_, err = hooks.Load(ctx, config.Hooks{PreMigrate: []config.Hook{pinned}}, hooks.Options{Host: plugins.Host{NoDiskCache: true}})
	if !errors.Is(err, plugins.ErrChecksum) || !strings.Contains(err.Error(), "hooks.pre_migrate[0]") {
		t.Errorf("checksum: %v", err)
	}
}

// TestNilRunner: no hooks configured is a nil *Runner that allows.
func TestNilRunner(t *testing.T) {
	var r *hooks.Runner
	ctx := context.Background()
	if d, err := r.PreRun(ctx, run); err != nil || !d.Allowed {
		t.Errorf("PreRun: %+v %v", d, err)
	}
	if d, err := r.PreMigration(ctx, run, run.Pending[0]); err != nil || !d.Allowed {
		t.Errorf("PreMigration: %+v %v", d, err)
	}
	if err := errors.Join(r.PostMigration(ctx, run, hooks.Outcome{}), r.PostRun(ctx, run, hooks.Summary{}), r.Close(ctx)); err != nil {
		t.Error(err)
	}
}

// TestExamples runs the example hooks as wasm, as a user configures them.
func TestExamples(t *testing.T) {
	ctx := context.Background()
	window := config.Hook{
		Plugin: config.Plugin{Path: wasmPath["change-window"], Config: map[string]any{
			"timezone": "Europe/Berlin", "days": []string{"mon", "tue", "wed", "thu"}, "hours": "09:00-17:00", "break_glass": "BREAK_GLASS",
		}},
		OnError: "fail", Env: []string{"BREAK_GLASS"},
	}
	ticket := config.Hook{Plugin: config.Plugin{Path: wasmPath["ticket-id"]}, OnError: "fail"}
	cfg := config.Hooks{PreMigrate: []config.Hook{window, ticket}}

	t.Run("change window closed on saturday", func(t *testing.T) {
		r := load(t, cfg, nil)
		d, err := r.PreRun(ctx, run)
		want := "the run is outside the change window (mon,tue,wed,thu 09:00-17:00 Europe/Berlin), now Sat 13:00 CET; set BREAK_GLASS to break glass"
		if err != nil || d.Allowed || d.Hook != "change-window" || d.Message != want {
			t.Errorf("decision %+v, error %v; want deny %q", d, err, want)
		}
	})
	t.Run("break glass, then ticket id", func(t *testing.T) {
		r := load(t, cfg, map[string]string{"BREAK_GLASS": "INC-42"})
		d, err := r.PreRun(ctx, run)
		if err != nil || !d.Allowed || d.Hook != "change-window" || !strings.Contains(d.Message, "allowed by BREAK_GLASS") {
			t.Errorf("run: %+v %v", d, err)
		}
		if d, err := r.PreMigration(ctx, run, run.Pending[0]); err != nil || !d.Allowed {
			t.Errorf("V3 has a ticket: %+v %v", d, err)
		}
		d, err = r.PreMigration(ctx, run, run.Pending[1])
		if err != nil || d.Allowed || d.Hook != "ticket-id" || !strings.Contains(d.Message, "migration 4 (add orders) has no ticket id") {
			t.Errorf("V4 has none: %+v %v", d, err)
		}
	})
}
