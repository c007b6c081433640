package sdk

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/cqltrack/cqltrack/internal/tinyfmt"

	"github.com/cqltrack/cqltrack/plugins/abi"
)

// Rule is one lint rule: metadata and the checks that implement it.
type Rule struct {
	// ID is stable and unique: lower-case words joined by '-', such as
	// "drop-no-if-exists". Users configure and suppress rules by id.
	ID       string
	Severity Severity // default severity; users may override it
	Summary  string   // one line, shown by `cqltrack rules`
	DocsURL  string
	// Kinds lists the statement kinds Check wants ("CREATE TABLE", "ALTER
	// TABLE", ...); empty means every kind. The host sends a plugin only the
	// kinds its enabled rules want, so declaring them makes linting cheaper.
	Kinds []string
	// Options is the JSON schema (a JSON object, as text) of the options
	// the rule reads from Pass.Options; "" when it takes none.
	Options string
	// Check is called once per statement of a wanted kind.
	Check func(p *Pass)
	// CheckFile, when set, is called once per file before the statements,
	// with Pass.Statement nil: for rules about the file as a whole, such
	// as a missing rollback section.
	CheckFile func(p *Pass)
}

// Pass is what a check sees: the file, the statement under inspection, the
// object it changes as it was before, and the rule's options.
type Pass struct {
	Rule *Rule
	File *File
	// Statements holds every statement the host sent, in source order, for
	// rules that look across statements.
	Statements []*Statement
	Statement  *Statement // nil in CheckFile
	Before     *Object    // Statement.Before; nil when none or in CheckFile
	Options    Value      // the rule's options from the configuration, or null

	findings *[]Finding
}

// Report records a finding at pos. A zero pos means the statement's own
// position (or the start of the file in CheckFile).
func (p *Pass) Report(pos Pos, msg string) {
	f := Finding{Rule: p.Rule.ID, Severity: p.Rule.Severity, Message: msg, Pos: pos}
	if p.Statement != nil {
		f.Statement = p.Statement.Index
		if !pos.IsValid() {
			f.Pos = p.Statement.Pos
		}
	} else if !pos.IsValid() {
		f.Pos = Pos{Line: 1, Column: 1}
	}
	*p.findings = append(*p.findings, f)
}

// Reportf records a finding at pos with a formatted message. It formats
// like fmt.Sprintf for %s, %v, %d, %q and %% over strings, errors,
// Stringers, numbers and booleans (convert named types: string(sev)); the
// SDK does without fmt, which would add ~0.7 MB to every plugin module and
// ~0.2 s to compiling it (see internal/tinyfmt). A rule that needs more can
// call fmt itself and Report the result.
func (p *Pass) Reportf(pos Pos, format string, args ...any) {
	p.Report(pos, tinyfmt.Sprintf(format, args...))
}

// ErrRule is wrapped by every rule validation error.
var ErrRule = errors.New("invalid rule")

// Manifest validates rules and describes them as a rule plugin named name.
func Manifest(name, version string, rules []Rule) (*abi.Manifest, error) {
	m := &abi.Manifest{Name: name, Version: version, Kind: abi.KindRule, ABIVersion: abi.Version}
	var errs []error
	for i := range rules {
		r := &rules[i]
		info := abi.RuleInfo{
			ID: r.ID, Severity: string(r.Severity), Summary: r.Summary,
			DocsURL: r.DocsURL, Kinds: r.Kinds,
		}
		if r.Options != "" {
			v, err := abi.ParseValue([]byte(r.Options))
			if err != nil {
				errs = append(errs, tinyfmt.Errorf("%w: rule %q: options schema: %w", ErrRule, r.ID, err))
			}
			info.Options = v
		}
		if r.Check == nil && r.CheckFile == nil {
			errs = append(errs, tinyfmt.Errorf("%w: rule %q has neither Check nor CheckFile", ErrRule, r.ID))
		}
		m.Rules = append(m.Rules, info)
	}
	if err := m.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, tinyfmt.Errorf("plugin %q: %w", name, err)
	}
	return m, nil
}

// RunNative runs rules over req in this process, exactly as the wasm glue
// runs them inside a plugin: the rules' own unit tests use it, and it is
// the lower bound against which the cost of the ABI is measured.
func RunNative(rules []Rule, req *LintRequest) *LintResponse {
	resp := &LintResponse{}
	var enabled map[string]bool
	if len(req.Rules) > 0 {
		enabled = make(map[string]bool, len(req.Rules))
		for _, id := range req.Rules {
			enabled[id] = true
		}
	}
	for i := range rules {
		r := &rules[i]
		if enabled != nil && !enabled[r.ID] {
			continue
		}
		if err := runRule(r, req, &resp.Findings); err != nil {
			resp.Errors = append(resp.Errors, RuleError{Rule: r.ID, Message: err.Error()})
		}
	}
	slices.SortStableFunc(resp.Findings, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Pos.Offset, b.Pos.Offset),
			cmp.Compare(a.Statement, b.Statement),
			strings.Compare(a.Rule, b.Rule),
		)
	})
	return resp
}

// runRule runs one rule over the request; a panic stops that rule only.
func runRule(r *Rule, req *LintRequest, out *[]Finding) (err error) {
	mark := len(*out)
	defer func() {
		if p := recover(); p != nil {
			*out = (*out)[:mark] // a rule that failed reports nothing partial
			err = tinyfmt.Errorf("panic: %v", p)
		}
	}()
	pass := &Pass{Rule: r, File: &req.File, Statements: req.Statements, Options: req.RuleOptions[r.ID], findings: out}
	if r.CheckFile != nil {
		r.CheckFile(pass)
	}
	if r.Check == nil {
		return nil
	}
	for _, s := range req.Statements {
		if !wants(r.Kinds, s.Kind) {
			continue
		}
		pass.Statement, pass.Before = s, s.Before
		r.Check(pass)
	}
	return nil
}

func wants(kinds []string, kind string) bool {
	if len(kinds) == 0 {
		return true
	}
	for _, k := range kinds {
		if strings.EqualFold(k, kind) {
			return true
		}
	}
	return false
}
