package sdk_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/hooks/sdk"
)

func TestHandle(t *testing.T) {
	h := sdk.Hook{
		PreRun: func(r *sdk.Request) sdk.Decision { return sdk.Deny("no runs on %s", r.Run.Keyspace) },
		PostMigration: func(r *sdk.Request) error {
			if r.Outcome.Status == sdk.StatusFailed {
				return errors.New("pager notified")
			}
			return nil
		},
		PostRun: func(*sdk.Request) error { panic("boom") },
	}
	cases := []struct {
		name, request, response string
	}{
		{"pre run denies", `{"event": "pre_migrate", "stage": "run", "run": {"keyspace": "shop"}}`,
			`{"ok":true,"result":{"decision":"deny","message":"no runs on shop"}}`},
		{"no PreMigration: allow", `{"event": "pre_migrate", "stage": "migration", "migration": {"version": 1}}`,
			`{"ok":true,"result":{"decision":"allow"}}`},
		{"post migration ok", `{"event": "post_migrate", "stage": "migration", "outcome": {"status": "applied"}}`,
			`{"ok":true,"result":{"decision":"allow"}}`},
		{"post migration error", `{"event": "post_migrate", "stage": "migration", "outcome": {"status": "failed"}}`,
			`{"ok":false,"error":{"message":"pager notified"}}`},
		{"panic", `{"event": "post_migrate", "stage": "run", "summary": {"status": "succeeded"}}`,
			`{"ok":false,"error":{"message":"panic: boom"}}`},
		{"missing migration", `{"event": "pre_migrate", "stage": "migration"}`,
			`{"ok":false,"error":{"message":"pre_migrate migration request without migration"}}`},
		{"unknown stage", `{"event": "pre_migrate", "stage": "statement"}`,
			`{"ok":false,"error":{"message":"unknown event \"pre_migrate\" stage \"statement\""}}`},
		{"not json", `{`, `{"ok":false,"error":{"message":"decode hook request: unexpected end of JSON input"}}`},
	}
	for _, c := range cases {
		if got := string(sdk.Handle(h, []byte(c.request))); got != c.response {
			t.Errorf("%s: %s, want %s", c.name, got, c.response)
		}
	}
}

func TestManifest(t *testing.T) {
	m, err := sdk.Manifest("gate", "1.0.0", sdk.Hook{PostRun: func(*sdk.Request) error { return nil }})
	if err != nil || len(m.Events) != 1 || m.Events[0] != sdk.EventPostMigrate || m.Kind != "hook" {
		t.Errorf("manifest %+v, %v", m, err)
	}
	if _, err := sdk.Manifest("gate", "1.0.0", sdk.Hook{}); !errors.Is(err, sdk.ErrNoEvents) {
		t.Errorf("empty hook: %v", err)
	}
	if _, err := sdk.Manifest("Gate!", "1.0.0", sdk.Hook{PreRun: func(*sdk.Request) sdk.Decision { return sdk.Allow() }}); err == nil || !strings.Contains(err.Error(), `name "Gate!"`) {
		t.Errorf("bad name: %v", err)
	}
}

func TestDecodeDecision(t *testing.T) {
	if d, err := sdk.DecodeDecision([]byte(`{"decision": "deny", "message": "m"}`)); err != nil || d.Allowed() || d.Message != "m" {
		t.Errorf("%+v %v", d, err)
	}
	if _, err := sdk.DecodeDecision([]byte(`{"decision": "maybe"}`)); err == nil || !strings.Contains(err.Error(), `decision "maybe", want allow or deny`) {
		t.Errorf("maybe: %v", err)
	}
}

// TestRequestJSON pins the member names of the request (docs/hooks.md).
func TestRequestJSON(t *testing.T) {
	b, err := json.Marshal(sdk.Request{Event: "pre_migrate", Stage: "migration", Migration: &sdk.Migration{Version: 3, Description: "d", File: "f", Checksum: "c", Statements: []string{"s"}},
		Run: sdk.Run{Profile: "p", Keyspace: "k", Cluster: "c", Pending: []sdk.Migration{}}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"event":"pre_migrate","stage":"migration","now":"0001-01-01T00:00:00Z","run":{"profile":"p","keyspace":"k","cluster":"c","dry_run":false,"pending":[]},"migration":{"version":3,"description":"d","file":"f","checksum":"c","statements":["s"]}}`
	if string(b) != want {
		t.Errorf("request %s\nwant    %s", b, want)
	}
}

// TestRegister: natively, Register keeps the hook for Registered (a
// plugin's init runs in its tests) and panics on a hook with nothing set.
func TestRegister(t *testing.T) {
	sdk.Register("gate", "1", sdk.Hook{PostRun: func(*sdk.Request) error { return nil }})
	if h := sdk.Registered(); h == nil || h.PostRun == nil {
		t.Errorf("Registered() = %+v, want the hook", h)
	}
	defer func() {
		if p, _ := recover().(string); !strings.Contains(p, "hook handles no event") {
			t.Errorf("Register of an empty hook panicked with %q", p)
		}
	}()
	sdk.Register("gate", "1", sdk.Hook{})
	t.Error("Register of an empty hook returned")
}
