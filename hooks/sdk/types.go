package sdk

import (
	"encoding/json"
	"time"
)

// Events a hook is configured under and declares in its manifest.
const (
	EventPreMigrate  = "pre_migrate"
	EventPostMigrate = "post_migrate"
)

// Stages of an event: once for the whole run, or once per migration.
const (
	StageRun       = "run"
	StageMigration = "migration"
)

// Decisions a pre_migrate hook answers.
const (
	DecisionAllow = "allow"
	DecisionDeny  = "deny"
)

// Outcome statuses of a migration.
const (
	StatusApplied = "applied"
	StatusFailed  = "failed"
)

// Summary statuses of a run.
const (
	RunSucceeded = "succeeded"
	RunFailed    = "failed"
	RunDenied    = "denied"
)

// Request is what the host sends a hook at each call.
type Request struct {
	// Event is EventPreMigrate or EventPostMigrate.
	Event string `json:"event"`
	// Stage is StageRun or StageMigration.
	Stage string `json:"stage"`
	// Now is the host's clock when the call was made.
	Now time.Time `json:"now"`
	// Run describes the migrate run the call belongs to.
	Run Run `json:"run"`
	// Migration is the migration about to start (pre_migrate, stage
	// migration).
	Migration *Migration `json:"migration,omitempty"`
	// Outcome is how a migration ended (post_migrate, stage migration).
	Outcome *Outcome `json:"outcome,omitempty"`
	// Summary is how the run ended (post_migrate, stage run).
	Summary *Summary `json:"summary,omitempty"`
	// Config is the hook's configuration as the user wrote it, a JSON
	// object, or absent.
	Config json.RawMessage `json:"config,omitempty"`
}

// Run describes a migrate run.
type Run struct {
	Profile  string `json:"profile"`
	Keyspace string `json:"keyspace"`
	Cluster  string `json:"cluster"`
	DryRun   bool   `json:"dry_run"`
	// Pending are the migrations the run will work on, in order.
	Pending []Migration `json:"pending"`
}

// Migration is one pending migration.
type Migration struct {
	Version     int64  `json:"version"`
	Description string `json:"description"`
	// File is the path of the migration file as the run found it.
	File string `json:"file,omitempty"`
	// Checksum is the file's checksum as the history records it.
	Checksum string `json:"checksum"`
	// Statements are the up statements' texts, in order.
	Statements []string `json:"statements"`
}

// Outcome is how one migration ended.
type Outcome struct {
	Version     int64  `json:"version"`
	Description string `json:"description"`
	// Status is StatusApplied or StatusFailed.
	Status            string `json:"status"`
	DurationMs        int64  `json:"duration_ms"`
	StatementsApplied int    `json:"statements_applied"`
	StatementsTotal   int    `json:"statements_total"`
	// Error is the failure's message, empty when applied.
	Error string `json:"error,omitempty"`
}

// Summary is how a run ended.
type Summary struct {
	// Status is RunSucceeded, RunFailed or RunDenied.
	Status string `json:"status"`
	// Applied and Failed count the migrations by outcome.
	Applied    int   `json:"applied"`
	Failed     int   `json:"failed"`
	DurationMs int64 `json:"duration_ms"`
	// Current is the highest applied version after the run.
	Current int64 `json:"current"`
	// Error is why the run failed or was denied, empty when it succeeded.
	Error string `json:"error,omitempty"`
}

// Decision is a hook's answer. Post hooks answer allow; their failures are
// errors.
type Decision struct {
	// Decision is DecisionAllow or DecisionDeny.
	Decision string `json:"decision"`
	// Message is shown to the user: why a run was denied, or a note.
	Message string `json:"message,omitempty"`
}

// Allowed reports whether d lets the run go on.
func (d Decision) Allowed() bool { return d.Decision != DecisionDeny }
