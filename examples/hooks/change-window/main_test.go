package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/hooks/sdk"
)

func TestWindow(t *testing.T) {
	const berlin = `{"timezone": "Europe/Berlin", "days": ["mon", "tue", "wed", "thu"], "hours": "09:00-17:00"}`
	const night = `{"days": ["fri"], "hours": "22:00-02:00"}`
	cases := []struct {
		name, config, now string
		breakGlass        string
		allow             bool
		message           string
	}{
		// 2026-11-23 is a Monday; Berlin is UTC+1 in November.
		{"inside", berlin, "2026-11-23T08:00:00Z", "", true, ""},
		{"before opening", berlin, "2026-11-23T07:59:00Z", "", false, "outside the change window (mon,tue,wed,thu 09:00-17:00 Europe/Berlin), now Mon 08:59 CET"},
		{"end excluded", berlin, "2026-11-23T16:00:00Z", "", false, "now Mon 17:00 CET"},
		{"wrong day", berlin, "2026-11-27T10:00:00Z", "", false, "now Fri 11:00 CET"},
		{"break glass", berlin, "2026-11-27T10:00:00Z", "INC-7", true, "allowed by CQLTRACK_BREAK_GLASS"},
		{"defaults: weekday office hours UTC", "", "2026-11-24T16:59:00Z", "", true, ""},
		{"defaults: saturday", "", "2026-11-28T12:00:00Z", "", false, "mon,tue,wed,thu,fri 09:00-17:00 UTC"},
		{"across midnight, evening", night, "2026-11-27T23:30:00Z", "", true, ""},
		{"across midnight, after midnight belongs to friday", night, "2026-11-28T01:00:00Z", "", true, ""},
		{"across midnight, thursday night is closed", night, "2026-11-27T01:00:00Z", "", false, "now Fri 01:00 UTC"},
		{"whole hours, inside", `{"hours": "09-16"}`, "2026-11-23T15:59:00Z", "", true, ""},
		{"whole hours, end excluded", `{"hours": "09-16"}`, "2026-11-23T16:00:00Z", "", false, "09-16 UTC"},
		{"until midnight", `{"hours": "20:00-24:00"}`, "2026-11-23T23:59:00Z", "", true, ""},
		{"bad hours", `{"hours": "9am-5pm"}`, "2026-11-23T10:00:00Z", "", false, `hours "9am-5pm": "9am" is not HH:MM`},
		{"bad config", `{"days": ["someday"]}`, "2026-11-23T10:00:00Z", "", false, `day "someday"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("CQLTRACK_BREAK_GLASS", c.breakGlass)
			req := sdk.Request{Event: sdk.EventPreMigrate, Stage: sdk.StageRun, Now: mustTime(t, c.now)}
			if c.config != "" {
				req.Config = json.RawMessage(c.config)
			}
			d := check(&req)
			if d.Allowed() != c.allow || !strings.Contains(d.Message, c.message) {
				t.Errorf("decision %+v, want allow=%v with %q", d, c.allow, c.message)
			}
		})
	}
}

func TestDenyNamesMigration(t *testing.T) {
	req := sdk.Request{Event: sdk.EventPreMigrate, Stage: sdk.StageMigration, Now: mustTime(t, "2026-11-28T12:00:00Z"),
		Migration: &sdk.Migration{Version: 4, Description: "add users"}}
	resp := string(sdk.Handle(hook, mustJSON(t, req)))
	if !strings.Contains(resp, `"decision":"deny"`) || !strings.Contains(resp, "migration 4 (add users) is outside the change window") {
		t.Errorf("response %s", resp)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
