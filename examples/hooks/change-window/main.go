// Command change-window is a cqltrack pre_migrate hook that allows
// migrations only inside a change window: configured days of the week and
// hours of the day, in a configured time zone. Outside it the run is denied
// before anything is applied, unless the break-glass variable is set (and
// allow-listed in the hook's env), in which case it is allowed with a
// note. It checks at the start of the run and again before each migration,
// so that a long run stops when the window closes.
//
//	hooks:
//	  pre_migrate:
//	    - path: hooks/change-window.wasm
//	      env: [CQLTRACK_BREAK_GLASS]
//	      config:
//	        timezone: Europe/Berlin
//	        days: [mon, tue, wed, thu]
//	        hours: "09:00-17:00"
//	        break_glass: CQLTRACK_BREAK_GLASS
//
// Build it with ../build.sh.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	// A wasip1 guest has no zoneinfo on disk: embed the database.
	_ "time/tzdata"

	"github.com/cqltrack/cqltrack/hooks/sdk"
)

// config is the hook's configuration; every member has a default.
type config struct {
	// Timezone is an IANA zone name; default UTC.
	Timezone string `json:"timezone"`
	// Days are three-letter lower-case weekdays; default mon-fri.
	Days []string `json:"days"`
	// Hours is "HH:MM-HH:MM" (or "HH-HH"), start included, end excluded;
	// default 09:00-17:00. An end before the start spans midnight.
	Hours string `json:"hours"`
	// BreakGlass names the variable that, when set and non-empty, lets a
	// run through outside the window; default CQLTRACK_BREAK_GLASS.
	BreakGlass string `json:"break_glass"`
}

// window is a parsed configuration.
type window struct {
	loc        *time.Location
	days       map[time.Weekday]bool
	dayNames   []string
	start, end int // minutes after midnight
	hours      string
	breakGlass string
}

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

func parseConfig(raw json.RawMessage) (*window, error) {
	c := config{Timezone: "UTC", Days: []string{"mon", "tue", "wed", "thu", "fri"}, Hours: "09:00-17:00", BreakGlass: "CQLTRACK_BREAK_GLASS"}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("change-window config: %w", err)
		}
	}
	w := &window{days: map[time.Weekday]bool{}, dayNames: c.Days, hours: c.Hours, breakGlass: c.BreakGlass}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return nil, fmt.Errorf("change-window config: timezone: %w", err)
	}
	w.loc = loc
	for _, d := range c.Days {
		wd, ok := weekdays[strings.ToLower(d)]
		if !ok {
			return nil, fmt.Errorf("change-window config: day %q: want one of sun, mon, tue, wed, thu, fri, sat", d)
		}
		w.days[wd] = true
	}
	from, to, ok := strings.Cut(c.Hours, "-")
	if !ok {
		return nil, fmt.Errorf("change-window config: hours %q: want HH:MM-HH:MM", c.Hours)
	}
	if w.start, err = minutes(from); err == nil {
		w.end, err = minutes(to)
	}
	if err != nil {
		return nil, fmt.Errorf("change-window config: hours %q: %w", c.Hours, err)
	}
	return w, nil
}

// minutes reads "HH:MM" or "HH" as minutes after midnight; "24:00" (or
// "24") is the end of the day.
func minutes(hhmm string) (int, error) {
	s := strings.TrimSpace(hhmm)
	if s == "24" || s == "24:00" {
		return 24 * 60, nil
	}
	layout := "15:04"
	if !strings.Contains(s, ":") {
		layout = "15"
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return 0, fmt.Errorf("%q is not HH:MM", hhmm)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// open reports whether t lies inside the window. A window whose end is
// before its start spans midnight and belongs to the day it starts on.
func (w *window) open(t time.Time) bool {
	t = t.In(w.loc)
	m := t.Hour()*60 + t.Minute()
	if w.start <= w.end {
		return w.days[t.Weekday()] && m >= w.start && m < w.end
	}
	if m >= w.start {
		return w.days[t.Weekday()]
	}
	return m < w.end && w.days[t.AddDate(0, 0, -1).Weekday()]
}

func check(r *sdk.Request) sdk.Decision {
	w, err := parseConfig(r.Config)
	if err != nil {
		return sdk.Deny("%v", err)
	}
	if w.open(r.Now) {
		return sdk.Allow()
	}
	now := r.Now.In(w.loc).Format("Mon 15:04 MST")
	if reason := os.Getenv(w.breakGlass); reason != "" {
		sdk.Log(sdk.LogWarn, fmt.Sprintf("outside the change window at %s; allowed by %s=%s", now, w.breakGlass, reason))
		return sdk.Decision{Decision: sdk.DecisionAllow, Message: fmt.Sprintf("outside the change window, allowed by %s", w.breakGlass)}
	}
	what := "the run"
	if r.Migration != nil {
		what = fmt.Sprintf("migration %d (%s)", r.Migration.Version, r.Migration.Description)
	}
	return sdk.Deny("%s is outside the change window (%s %s %s), now %s; set %s to break glass",
		what, strings.Join(w.dayNames, ","), w.hours, w.loc, now, w.breakGlass)
}

var hook = sdk.Hook{PreRun: check, PreMigration: check}

func init() { sdk.Register("change-window", "1.0.0", hook) }

func main() {}
