// Package builtin is cqltrack's built-in output formatters: sarif, junit,
// github, markdown and checkstyle, written against format/sdk and compiled
// by build.sh into one WebAssembly module, builtin.wasm, which package
// format embeds and runs like any formatter plugin. The formats also run
// natively (Formats), which is how their goldens are checked and how the
// tests prove the module renders the same bytes.
//
// Every format renders lint, migrate and validate reports; markdown renders
// every report type. text and json are not here: the commands render them
// natively.
package builtin

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cqltrack/cqltrack/format/sdk"
)

// Name and Version identify the built-in formatters as a plugin.
const (
	Name    = "builtin-formats"
	Version = "1.0.0"
)

// DocsBase is the documentation of the commands; the pseudo-rules of
// migrate and validate link to their sections.
const DocsBase = "https://github.com/cqltrack/cqltrack/blob/main/docs/cli.md"

// issueTypes are the report types the machine-readable formats render:
// those whose reports are lists of problems with places.
var issueTypes = []string{sdk.TypeLint, sdk.TypeMigrate, sdk.TypeValidate}

// Formats returns the built-in formats, sorted by name.
func Formats() []sdk.Format {
	return []sdk.Format{
		{Name: "checkstyle", Description: "Checkstyle XML, for tools that read Checkstyle reports", Reports: issueTypes, Render: renderCheckstyle},
		{Name: "github", Description: "GitHub Actions workflow commands: annotations on the files of a pull request", Reports: issueTypes, Render: renderGitHub},
		{Name: "junit", Description: "JUnit XML: one test case per rule and file (lint) or per migration (migrate)", Reports: issueTypes, Render: renderJUnit},
		{Name: "markdown", Description: "a Markdown summary for pull-request comments and job summaries", Reports: sdk.Types, Render: renderMarkdown},
		{Name: "sarif", Description: "SARIF 2.1.0 for GitHub code scanning and other SARIF viewers", Reports: issueTypes, Render: renderSARIF},
	}
}

// issue is one problem of a lint, migrate or validate report, in the
// common shape the machine-readable formats render. Line 0 is about the
// whole file; File "" about no file.
type issue struct {
	File     string
	Line     int
	Column   int
	Rule     string
	Severity string // error, warning or info
	Message  string
	Plugin   string // where the rule comes from, when known
}

// Pseudo-rules for the problems of migrate and validate reports.
var (
	ruleMigrationFailed  = sdk.RuleInfo{ID: "migration-failed", Severity: "error", Summary: "a migration statement failed", DocsURL: DocsBase + "#migrate", Plugin: "cqltrack"}
	ruleMigrateWarning   = sdk.RuleInfo{ID: "migrate-warning", Severity: "warning", Summary: "something the migrate run noticed", DocsURL: DocsBase + "#migrate", Plugin: "cqltrack"}
	ruleMigrationChanged = sdk.RuleInfo{ID: "migration-modified", Severity: "error", Summary: "an applied migration's file changed", DocsURL: DocsBase + "#validate", Plugin: "cqltrack"}
	ruleMigrationMissing = sdk.RuleInfo{ID: "migration-missing", Severity: "error", Summary: "an applied migration's file is gone", DocsURL: DocsBase + "#validate", Plugin: "cqltrack"}
)

// issues turns a lint, migrate or validate report into issues and the rules
// they refer to: the request's rules first (lint), then any other rule an
// issue names, sorted by id.
func issues(req *sdk.Request) ([]issue, []sdk.RuleInfo, error) {
	var (
		out   []issue
		rules []sdk.RuleInfo
	)
	switch req.Type {
	case sdk.TypeLint:
		var rep sdk.LintReport
		if err := req.Decode(&rep); err != nil {
			return nil, nil, err
		}
		for _, f := range rep.Findings {
			out = append(out, issue{File: f.File, Line: f.Line, Column: f.Column, Rule: f.Rule, Severity: f.Severity, Message: f.Message, Plugin: f.Plugin})
		}
		rules = append(rules, req.Rules...)
	case sdk.TypeMigrate:
		var rep sdk.MigrateReport
		if err := req.Decode(&rep); err != nil {
			return nil, nil, err
		}
		for _, m := range rep.Migrations {
			if m.Status != "failed" {
				continue
			}
			is := issue{File: m.File, Rule: ruleMigrationFailed.ID, Severity: "error", Message: fmt.Sprintf("migration %s (%s) failed", migrationVersion(m.Name, m.Version), migrationTitle(m.Name))}
			if f := m.Failure; f != nil {
				is.Line, is.Column = f.Line, f.Column
				is.Message = fmt.Sprintf("migration %s (%s) failed at statement %d: %s", migrationVersion(m.Name, m.Version), migrationTitle(m.Name), f.Statement, f.Message)
			}
			out = append(out, is)
		}
		for _, w := range rep.Warnings {
			out = append(out, issue{Rule: ruleMigrateWarning.ID, Severity: "warning", Message: w})
		}
		rules = append(rules, ruleMigrationFailed, ruleMigrateWarning)
	case sdk.TypeValidate:
		var rep sdk.ValidateReport
		if err := req.Decode(&rep); err != nil {
			return nil, nil, err
		}
		for _, p := range rep.Problems {
			is := issue{File: p.File, Severity: "error"}
			if p.State == "missing" {
				is.Rule = ruleMigrationMissing.ID
				is.Message = fmt.Sprintf("migration %s (%s) was applied but its file is missing", migrationVersion(p.Name, p.Version), p.Description)
			} else {
				is.Rule = ruleMigrationChanged.ID
				is.Message = fmt.Sprintf("migration %s (%s) changed after it was applied: checksum %s, recorded %s", migrationVersion(p.Name, p.Version), p.Description, p.Checksum, p.AppliedChecksum)
			}
			out = append(out, is)
		}
		rules = append(rules, ruleMigrationChanged, ruleMigrationMissing)
	default:
		return nil, nil, fmt.Errorf("%w: %s", sdk.ErrReportType, req.Type)
	}
	known := map[string]bool{}
	for _, r := range rules {
		known[r.ID] = true
	}
	for _, is := range out {
		if !known[is.Rule] {
			known[is.Rule] = true
			rules = append(rules, sdk.RuleInfo{ID: is.Rule, Severity: is.Severity, Plugin: is.Plugin})
		}
	}
	slices.SortStableFunc(rules, func(a, b sdk.RuleInfo) int { return cmp.Compare(a.ID, b.ID) })
	rules = slices.CompactFunc(rules, func(a, b sdk.RuleInfo) bool { return a.ID == b.ID })
	return out, rules, nil
}

// files returns the files of the issues and the request, in order of first
// appearance, issues first.
func files(req *sdk.Request, is []issue) []string {
	var out []string
	seen := map[string]bool{}
	add := func(f string) {
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, i := range is {
		add(i.File)
	}
	for _, f := range req.Files {
		add(f)
	}
	return out
}

// slash returns a path with forward slashes, as SARIF URIs, GitHub
// annotations and Checkstyle readers expect.
func slash(p string) string { return strings.ReplaceAll(p, `\`, "/") }

// plural returns "n word" or "n words".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// migrationTitle is a migration's description: the report's name ("V003
// add users", as cqltrack names migrations) without its version, which the
// formats print on their own.
func migrationTitle(name string) string {
	if len(name) > 1 && name[0] == 'V' {
		i := 1
		for i < len(name) && name[i] >= '0' && name[i] <= '9' {
			i++
		}
		if i > 1 && i < len(name) && name[i] == ' ' {
			return name[i+1:]
		}
	}
	return name
}

// migrationVersion is a migration's version as its file name writes it
// (V003, from the name "V003 add users"), or V<n> when the name has none.
func migrationVersion(name string, version int64) string {
	if title := migrationTitle(name); title != name {
		return name[:len(name)-len(title)-1]
	}
	return "V" + strconv.FormatInt(version, 10)
}
