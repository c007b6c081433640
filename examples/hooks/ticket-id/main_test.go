package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/hooks/sdk"
)

func TestTicketID(t *testing.T) {
	cases := []struct {
		name, config, description string
		allow                     bool
		message                   string
	}{
		{"jira key", "", "JIRA-123 add users", true, ""},
		{"key at the end", "", "add users OPS-9", true, ""},
		{"no key", "", "add users", false, "migration 4 (add users) has no ticket id in its description"},
		{"lower case is not a key", "", "jira-123 add users", false, "no ticket id"},
		{"hint names the file", "", "add users", false, "e.g. V004__JIRA-123_add_users"},
		{"own pattern", `{"pattern": "\\bDB-[0-9]+\\b"}`, "JIRA-1 add users", false, `pattern \bDB-[0-9]+\b`},
		{"own pattern matches", `{"pattern": "\\bDB-[0-9]+\\b"}`, "DB-77 add users", true, ""},
		{"bad pattern", `{"pattern": "("}`, "DB-77 add users", false, "ticket-id config: pattern"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := sdk.Request{Event: sdk.EventPreMigrate, Stage: sdk.StageMigration,
				Migration: &sdk.Migration{Version: 4, Description: c.description}}
			if c.config != "" {
				req.Config = json.RawMessage(c.config)
			}
			d := checkMigration(&req)
			if d.Allowed() != c.allow || !strings.Contains(d.Message, c.message) {
				t.Errorf("decision %+v, want allow=%v with %q", d, c.allow, c.message)
			}
		})
	}
}

// TestRunStageAllows: the hook only judges migrations, so the run as a
// whole passes and each migration is judged on its own.
func TestRunStageAllows(t *testing.T) {
	req, _ := json.Marshal(sdk.Request{Event: sdk.EventPreMigrate, Stage: sdk.StageRun})
	if got := string(sdk.Handle(hook, req)); got != `{"ok":true,"result":{"decision":"allow"}}` {
		t.Errorf("response %s", got)
	}
}
