package sdk

import (
	"encoding/json"
	"strconv"
	"time"
)

// Report types: the commands whose reports a formatter may receive.
const (
	TypeLint     = "lint"
	TypeMigrate  = "migrate"
	TypeStatus   = "status"
	TypePending  = "pending"
	TypeHistory  = "history"
	TypeValidate = "validate"
	TypeDiff     = "diff"
	TypeDrift    = "drift"
)

// Types lists every report type, in the order the documentation shows
// them.
var Types = []string{TypeLint, TypeMigrate, TypeStatus, TypePending, TypeHistory, TypeValidate, TypeDiff, TypeDrift}

// Request is what the host sends a formatter.
type Request struct {
	// Format is the name of the format to render, one the plugin declared.
	Format string `json:"format"`
	// Type is the report's type (TypeLint, ...).
	Type string `json:"type"`
	// Report is the report as `cqltrack <command> --json` prints it.
	Report json.RawMessage `json:"report"`
	// Tool identifies the cqltrack that made the report.
	Tool Tool `json:"tool"`
	// Rules describe the lint rules that ran (type lint; may be empty):
	// what SARIF and JUnit list even when a rule found nothing.
	Rules []RuleInfo `json:"rules,omitempty"`
	// Files are the files linted (type lint; may be empty): files without
	// findings, which the report itself does not name.
	Files []string `json:"files,omitempty"`
	// Config is the formatter's configuration as the user wrote it, a JSON
	// object, or absent.
	Config json.RawMessage `json:"config,omitempty"`
	// Versions names versions as the migration files write them, keyed by
	// the version in decimal ("3": "V003"), for the numbers a report gives
	// without a name (current, history events); absent for lint reports.
	// VersionName reads it.
	Versions map[string]string `json:"versions,omitempty"`
}

// VersionName returns version v as the migration files write it ("V003"),
// "V3" when the request does not name it, and "none" for 0: how the text
// output names versions, so every format agrees with it.
func (r *Request) VersionName(v int64) string {
	if v == 0 {
		return "none"
	}
	key := strconv.FormatInt(v, 10)
	if name, ok := r.Versions[key]; ok && name != "" {
		return name
	}
	return "V" + key
}

// Tool identifies cqltrack.
type Tool struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	InformationURI string `json:"information_uri"`
}

// RuleInfo describes a lint rule.
type RuleInfo struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	DocsURL  string `json:"docs_url,omitempty"`
	Plugin   string `json:"plugin,omitempty"`
}

// Result is what a formatter answers: the bytes to write, as text.
type Result struct {
	Output string `json:"output"`
}

// LintReport is the report of `cqltrack lint`.
type LintReport struct {
	Findings []Finding `json:"findings"`
	Errors   int       `json:"errors"`
	Warnings int       `json:"warnings"`
	Infos    int       `json:"infos"`
	Files    int       `json:"files"`
}

// Finding is one lint finding. Line and Column are 1-based; Line 0 is
// about the whole file.
type Finding struct {
	File     string `json:"file"`
	Version  string `json:"version"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Plugin   string `json:"plugin"`
}

// MigrateReport is the report of `cqltrack migrate`.
type MigrateReport struct {
	Keyspace   string         `json:"keyspace"`
	DryRun     bool           `json:"dry_run"`
	Migrations []MigrationRun `json:"migrations"`
	Current    int64          `json:"current"`
	LockWaitMs int64          `json:"lock_wait_ms"`
	Warnings   []string       `json:"warnings,omitempty"`
}

// MigrationRun is one migration's part in a migrate run. Status is
// applied, failed or (dry run) pending.
type MigrationRun struct {
	Version           int64             `json:"version"`
	Name              string            `json:"name"`
	File              string            `json:"file"`
	Status            string            `json:"status"`
	ResumedAt         int               `json:"resumed_at,omitempty"`
	StatementsTotal   int               `json:"statements_total"`
	StatementsApplied int               `json:"statements_applied"`
	DurationMs        int64             `json:"duration_ms"`
	Statements        []string          `json:"statements,omitempty"`
	Failure           *StatementFailure `json:"failure,omitempty"`
}

// StatementFailure is a statement the cluster rejected; Code is the native
// protocol error code, -1 when the error did not come from the server.
type StatementFailure struct {
	Statement int    `json:"statement"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	Message   string `json:"message"`
	Code      int    `json:"code"`
}

// StatusReport is the report of `cqltrack status`.
type StatusReport struct {
	Keyspace   string            `json:"keyspace"`
	Cluster    string            `json:"cluster"`
	Release    string            `json:"release_version"`
	Current    int64             `json:"current"`
	Migrations []MigrationStatus `json:"migrations"`
	Counts     map[string]int    `json:"counts"`
	Lock       *LockHolder       `json:"lock"`
}

// LockHolder is who holds the migration lock.
type LockHolder struct {
	Owner string    `json:"owner"`
	Since time.Time `json:"since"`
	// ExpiresInMs is how long the lease has left unless renewed, 0 when
	// unknown.
	ExpiresInMs int64 `json:"expires_in_ms,omitempty"`
}

// MigrationStatus is one version's state: applied, baseline, pending,
// failed, interrupted, rolling_back, rollback_failed, modified or missing.
// While a rollback is unfinished (rolling_back, rollback_failed)
// StatementsTotal and StatementsApplied count the down statements.
type MigrationStatus struct {
	Version           int64      `json:"version"`
	Name              string     `json:"name"`
	Description       string     `json:"description"`
	File              string     `json:"file,omitempty"`
	State             string     `json:"state"`
	OutOfOrder        bool       `json:"out_of_order,omitempty"`
	Checksum          string     `json:"checksum,omitempty"`
	AppliedChecksum   string     `json:"applied_checksum,omitempty"`
	AppliedAt         *time.Time `json:"applied_at,omitempty"`
	AppliedBy         string     `json:"applied_by,omitempty"`
	ExecTimeMs        int64      `json:"exec_time_ms,omitempty"`
	StatementsTotal   int        `json:"statements_total"`
	StatementsApplied int        `json:"statements_applied"`
	Error             string     `json:"error,omitempty"`
}

// PendingReport is the report of `cqltrack pending`.
type PendingReport struct {
	Keyspace string            `json:"keyspace"`
	Current  int64             `json:"current"`
	Pending  []MigrationStatus `json:"pending"`
}

// HistoryReport is the report of `cqltrack history`, newest event first.
type HistoryReport struct {
	Keyspace string  `json:"keyspace"`
	Events   []Event `json:"events"`
}

// Event is one entry of the event log.
type Event struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	Version     int64     `json:"version,omitempty"`
	Description string    `json:"description,omitempty"`
	Who         string    `json:"who"`
	Host        string    `json:"host"`
	At          time.Time `json:"at"`
	DurationMs  int64     `json:"duration_ms,omitempty"`
	Statements  int       `json:"statements,omitempty"`
	Error       string    `json:"error,omitempty"`
	Detail      string    `json:"detail,omitempty"`
}

// ValidateReport is the report of `cqltrack validate`: applied migrations
// whose files changed (modified) or vanished (missing).
type ValidateReport struct {
	Keyspace string            `json:"keyspace"`
	Valid    bool              `json:"valid"`
	Problems []MigrationStatus `json:"problems"`
}

// DiffReport is the report of `cqltrack diff`.
type DiffReport struct {
	Source  string   `json:"source"`
	Target  string   `json:"target"`
	Equal   bool     `json:"equal"`
	Changes []Change `json:"changes"`
	Script  string   `json:"script"`
	Reverse string   `json:"reverse"`
}

// DriftReport is the report of `cqltrack drift`.
type DriftReport struct {
	Keyspace string   `json:"keyspace"`
	Applied  []int64  `json:"applied"`
	Drift    bool     `json:"drift"`
	Changes  []Change `json:"changes"`
}

// Change is one difference between two schemas.
type Change struct {
	Op       string `json:"op"`
	Object   string `json:"object"`
	Keyspace string `json:"keyspace"`
	Name     string `json:"name"`
	Table    string `json:"table,omitempty"`
	Detail   string `json:"detail"`
	CQL      string `json:"cql,omitempty"`
	Reverse  string `json:"reverse,omitempty"`
	InPlace  bool   `json:"in_place"`
	Reason   string `json:"reason,omitempty"`
}
