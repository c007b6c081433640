package sdk

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

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
	buf      []byte // Reportf formats here, then copies the message out once
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
	// Formatting into a buffer kept from one finding to the next spares
	// growing each message from nothing, byte by byte.
	p.buf = tinyfmt.Appendf(p.buf[:0], format, args...)
	p.Report(pos, string(p.buf))
}

// ReportSeverityf is Reportf with a severity the check chooses instead of
// the rule's default: for a rule that warns about a risk but knows that
// some statements will be refused outright. A severity the user configured
// for the rule still replaces it.
func (p *Pass) ReportSeverityf(sev Severity, pos Pos, format string, args ...any) {
	n := len(*p.findings)
	p.Reportf(pos, format, args...)
	if sev.Valid() {
		(*p.findings)[n].Severity = sev
	}
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
			DocsURL: r.DocsURL, Kinds: r.Kinds, FileOnly: r.Check == nil,
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
	if stmts, copied := indexed(req.Statements); copied {
		shadow := *req
		shadow.Statements = stmts
		req = &shadow
	}
	var enabled map[string]bool
	if len(req.Rules) > 0 {
		enabled = make(map[string]bool, len(req.Rules))
		for _, id := range req.Rules {
			enabled[id] = true
		}
	}
	// One pass for all the rules and room for a few findings: allocation
	// is dear in a wasm guest.
	pass := &Pass{buf: make([]byte, 0, 256)}
	resp.Findings = make([]Finding, 0, 8)
	for i := range rules {
		r := &rules[i]
		if enabled != nil && !enabled[r.ID] {
			continue
		}
		if err := runRule(pass, r, req, &resp.Findings); err != nil {
			resp.Errors = append(resp.Errors, RuleError{Rule: r.ID, Message: err.Error()})
		}
	}
	if len(resp.Findings) == 0 {
		resp.Findings = nil // as without the room made above
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

// indexed returns the statements with their ASTs indexed for lookups (see
// Statement.AST): as they are when decoded from a request, the way a
// plugin gets them, and otherwise as copies whose ASTs are indexed here
// (a request made natively, by the host or a test). Rules then read ASTs
// the same way wherever they run, and the caller's statements are left
// alone. copied reports whether any statement is a copy.
func indexed(stmts []*Statement) (out []*Statement, copied bool) {
	var copies []Statement
	out = stmts
	for i, s := range stmts {
		if len(s.ASTJSON) == 0 || s.indexed() {
			continue
		}
		r := abi.NewReader(s.ASTJSON)
		ast := r.IndexedValue()
		if r.Finish() != nil || !sameText(ast.JSON(), s.ASTJSON) {
			continue // scanned, as leniently as ever
		}
		if copies == nil {
			copies = make([]Statement, len(stmts))
			out = slices.Clone(stmts)
		}
		copies[i] = *s
		copies[i].ast = ast
		out[i] = &copies[i]
	}
	return out, copies != nil
}

// runRule runs one rule over the request with pass; a panic stops that
// rule only.
func runRule(pass *Pass, r *Rule, req *LintRequest, out *[]Finding) (err error) {
	mark := len(*out)
	defer func() {
		if p := recover(); p != nil {
			*out = (*out)[:mark] // a rule that failed reports nothing partial
			err = tinyfmt.Errorf("panic: %v", p)
		}
	}()
	*pass = Pass{Rule: r, File: &req.File, Statements: req.Statements, Options: req.RuleOptions[r.ID], findings: out, buf: pass.buf}
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
		// Most kinds differ from the first letter: tell so in line.
		if len(k) > 0 && len(kind) > 0 && k[0]|kind[0] < utf8.RuneSelf && k[0]|0x20 != kind[0]|0x20 {
			continue
		}
		if equalFold(k, kind) {
			return true
		}
	}
	return false
}

// equalFold is strings.EqualFold with ASCII, which statement kinds are,
// compared in line: it runs for every rule and statement, and calls are
// dear in a wasm guest.
func equalFold(a, b string) bool {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		x, y := a[i], b[i]
		if x|y >= utf8.RuneSelf {
			return strings.EqualFold(a[i:], b[i:])
		}
		if x != y {
			if l := x | 0x20; l != y|0x20 || l < 'a' || l > 'z' {
				return false
			}
		}
	}
	return len(a) == len(b)
}
