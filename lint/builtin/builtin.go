// Package builtin holds cqltrack's built-in lint rules.
//
// The rules are written with lint/sdk exactly as a third-party rule would
// be, one file per rule with its documentation. They run two ways: natively
// in this package's tests (and in `lint` when asked to), and compiled into
// one WebAssembly module, builtin.wasm, that is committed next to this file
// and embedded in the cqltrack binary, so `go install` works without a wasm
// toolchain step. The lint package loads that module through the same
// plugin host as any user plugin; a test proves that the module gives
// exactly the native findings on the whole testdata corpus, so it is never
// stale. build.sh rebuilds it reproducibly.
package builtin

import (
	"slices"
	"strings"

	"github.com/cqltrack/cqltrack/lint/sdk"
)

// Name and Version identify the built-in rules as a plugin: findings and
// `cqltrack rules` name Name as their source.
const (
	Name    = "builtin"
	Version = "1.0.0"
)

// DocsBase is where the rule reference lives; each rule's DocsURL is this
// page with the rule id as anchor.
const DocsBase = "https://github.com/cqltrack/cqltrack/blob/main/docs/rules.md"

// Rule is a built-in rule with the documentation the reference page shows.
type Rule struct {
	sdk.Rule
	// Why explains the risk, for a person deciding whether to keep the
	// rule on; a few sentences of Markdown.
	Why string
	// Sources are the references the explanation rests on: the Cassandra
	// docs, JIRA tickets, DataStax docs.
	Sources []string
	// Example is a statement the rule flags.
	Example string
	// BeforeKinds are the statement kinds for which the rule reads
	// Pass.Before; see NeedsBefore.
	BeforeKinds []string
}

// FileOnly reports whether the rule looks only at the file as a whole (a
// CheckFile and no Check), so the host need send it no statement.
func (r *Rule) FileOnly() bool { return r.Check == nil }

// BeforeOptions are the table options the built-in rules read from
// Pass.Before (see NeedsBefore); a test keeps the list complete.
var BeforeOptions = []string{"compaction", "gc_grace_seconds"}

// NeedsBefore returns the statement kinds for which some built-in rule
// reads Pass.Before. When no other plugin is configured the linter sends
// Before only with these kinds, and only the BeforeOptions among the table
// options: decoding what no rule reads was most of a guest's work. Tests
// prove the findings are the same either way.
func NeedsBefore() map[string]bool {
	kinds := map[string]bool{}
	for _, r := range registry {
		for _, k := range r.BeforeKinds {
			kinds[k] = true
		}
	}
	return kinds
}

// registry holds every built-in rule; each rule's file adds itself in init.
var registry []Rule

func register(r Rule) {
	r.DocsURL = DocsBase + "#" + r.ID
	registry = append(registry, r)
}

// All returns the built-in rules sorted by id.
func All() []Rule {
	out := slices.Clone(registry)
	slices.SortFunc(out, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Rules returns the built-in rules as SDK rules, sorted by id: what the
// wasm module registers and what sdk.RunNative runs.
func Rules() []sdk.Rule {
	all := All()
	out := make([]sdk.Rule, len(all))
	for i, r := range all {
		out[i] = r.Rule
	}
	return out
}
