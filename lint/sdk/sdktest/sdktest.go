// Package sdktest runs lint rules natively over txtar cases in which the
// expected findings are written inline, next to the statements they are
// about, the way go/analysis tests write `// want` comments.
//
// A case is a txtar archive. Its files named V<version>__<description>.cql
// are migrations, linted in name order; an optional options.json holds rule
// options by rule id. In a migration, a comment
//
//	-- want: rule-id "message substring"
//
// expects a finding of rule-id whose message contains the substring: on the
// same line when the comment trails a statement, on the next line holding
// code when the comment stands on its own line. One comment may list
// several rule "substring" pairs. A rule id may carry the severity the
// finding must have, `rule-id:error "substring"`; without it any severity
// matches. `-- want-file: rule-id "substring"`
// expects a finding about the whole file. Every finding must be wanted and
// every want found; a rule that panics fails the case.
//
// For example, testdata/no_truncate.txtar:
//
//	Truncating a table is flagged, wherever it is.
//	-- options.json --
//	{"acme-no-truncate": {"allow": ["scratch"]}}
//	-- V001__init.cql --
//	CREATE TABLE ks.t (id int PRIMARY KEY);
//	TRUNCATE ks.t; -- want: acme-no-truncate "deletes every row"
//	-- want-file: acme-no-rollback "no -- @down section"
//
// and its test:
//
//	func TestRules(t *testing.T) { sdktest.Run(t, rules, "testdata/*.txtar") }
//
// Requests go through the same JSON codec as in a plugin, so a rule cannot
// depend on anything the wire does not carry.
package sdktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/migration"
	"github.com/cqltrack/cqltrack/lint/sdk"
	"github.com/cqltrack/cqltrack/plugins/abi"
	"github.com/rogpeppe/go-internal/txtar"
)

// File is one migration file of a case.
type File struct {
	Name string
	Data []byte
}

// Builder turns the migration files of a case, in name order, into one
// lint request per file. DefaultBuilder is used unless a test passes its
// own (the lint package's, which replays the schema to fill Before).
type Builder func(files []File) ([]*sdk.LintRequest, error)

// Run runs rules over every case matching pattern with DefaultBuilder,
// one subtest per case.
func Run(t *testing.T, rules []sdk.Rule, pattern string) {
	t.Helper()
	RunWith(t, rules, pattern, DefaultBuilder)
}

// RunWith is Run with a chosen Builder.
func RunWith(t *testing.T, rules []sdk.Rule, pattern string, build Builder) {
	t.Helper()
	paths, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no test cases match %s", pattern)
	}
	for _, p := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(p), filepath.Ext(p)), func(t *testing.T) {
			ar, err := txtar.ParseFile(p)
			if err != nil {
				t.Fatal(err)
			}
			for _, problem := range Check(rules, ar, build) {
				t.Errorf("%s: %s", p, problem)
			}
		})
	}
}

// Check runs rules over one case and returns its problems: findings not
// wanted, wants not found, rules that failed, and errors of the case
// itself. No problems means the case passes.
func Check(rules []sdk.Rule, ar *txtar.Archive, build Builder) []string {
	var (
		files   []File
		options map[string]sdk.Value
		wants   = map[string][]*want{}
		errs    []string
	)
	for _, f := range ar.Files {
		switch {
		case f.Name == "options.json":
			opts, err := parseOptions(f.Data)
			if err != nil {
				errs = append(errs, "options.json: "+err.Error())
			}
			options = opts
		case strings.HasSuffix(f.Name, ".cql"):
			files = append(files, File{Name: f.Name, Data: f.Data})
			ws, err := parseWants(f.Data)
			if err != nil {
				errs = append(errs, f.Name+": "+err.Error())
			}
			wants[f.Name] = ws
		default:
			errs = append(errs, fmt.Sprintf("%s: unexpected file (want V*.cql migrations and options.json)", f.Name))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	reqs, err := build(files)
	if err != nil {
		return []string{"build requests: " + err.Error()}
	}
	for _, req := range reqs {
		req.RuleOptions = options
		// Through the wire codec, as in a plugin.
		wire, err := sdk.DecodeLintRequest(sdk.AppendLintRequest(nil, req))
		if err != nil {
			return []string{"encode request: " + err.Error()}
		}
		resp := sdk.RunNative(rules, wire)
		name := path.Base(req.File.Path)
		for _, e := range resp.Errors {
			errs = append(errs, fmt.Sprintf("%s: rule %s failed: %s", name, e.Rule, e.Message))
		}
		errs = append(errs, match(name, wants[name], resp.Findings)...)
	}
	return errs
}

func parseOptions(data []byte) (map[string]sdk.Value, error) {
	v, err := abi.ParseValue(data)
	if err != nil {
		return nil, err
	}
	if v.Kind() != abi.Object {
		return nil, fmt.Errorf("want an object of rule id to options")
	}
	opts := map[string]sdk.Value{}
	for _, m := range v.Members() {
		opts[m.Key] = m.Value
	}
	return opts, nil
}

// want is one expected finding.
type want struct {
	line   int // 0 for a file-level finding
	rule   string
	sev    sdk.Severity // "" for any
	substr string
	found  bool
}

// parseWants reads the want comments of a migration file.
func parseWants(src []byte) ([]*want, error) {
	lines := strings.Split(string(src), "\n")
	var (
		out     []*want
		pending []*want // wants on their own line, for the next code line
	)
	for i, line := range lines {
		code, comment, hasComment := strings.Cut(line, "--")
		code = strings.TrimSpace(code)
		if hasComment {
			comment = strings.TrimSpace(comment)
			for _, prefix := range []string{"want-file:", "want:"} {
				spec, ok := strings.CutPrefix(comment, prefix)
				if !ok {
					continue
				}
				ws, err := parseWantSpec(spec)
				if err != nil {
					return nil, fmt.Errorf("line %d: %w", i+1, err)
				}
				switch {
				case prefix == "want-file:":
				case code != "":
					for _, w := range ws {
						w.line = i + 1
					}
				default:
					pending = append(pending, ws...)
				}
				out = append(out, ws...)
				break
			}
		}
		if code != "" {
			for _, w := range pending {
				w.line = i + 1
			}
			pending = nil
		}
	}
	if len(pending) > 0 {
		return nil, fmt.Errorf("a want comment at the end of the file has no line to apply to")
	}
	return out, nil
}

// parseWantSpec reads `rule "substring" [rule "substring"...]`.
func parseWantSpec(spec string) ([]*want, error) {
	var out []*want
	spec = strings.TrimSpace(spec)
	for spec != "" {
		rule, rest, ok := strings.Cut(spec, " ")
		rule, sev, _ := strings.Cut(rule, ":")
		if !ok || !abi.ValidName(rule) || (sev != "" && !sdk.Severity(sev).Valid()) {
			return nil, fmt.Errorf("want %q: expected rule-id \"message substring\"", spec)
		}
		rest = strings.TrimSpace(rest)
		quoted, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return nil, fmt.Errorf("want %q: the message substring must be a Go-quoted string", spec)
		}
		substr, _ := strconv.Unquote(quoted)
		out = append(out, &want{rule: rule, sev: sdk.Severity(sev), substr: substr})
		spec = strings.TrimSpace(rest[len(quoted):])
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty want")
	}
	return out, nil
}

// match pairs findings with wants and describes what does not pair.
func match(file string, wants []*want, findings []sdk.Finding) []string {
	var problems []string
	for _, f := range findings {
		line := f.Pos.Line
		if f.Statement == 0 {
			line = 0
		}
		var hit *want
		for _, w := range wants {
			if !w.found && w.line == line && w.rule == f.Rule && (w.sev == "" || w.sev == f.Severity) && strings.Contains(f.Message, w.substr) {
				hit = w
				break
			}
		}
		if hit == nil {
			problems = append(problems, fmt.Sprintf("%s:%d: unexpected finding [%s] %s", file, f.Pos.Line, f.Rule, f.Message))
			continue
		}
		hit.found = true
	}
	for _, w := range wants {
		if !w.found {
			where := strconv.Itoa(w.line)
			if w.line == 0 {
				where = "file"
			}
			rule := w.rule
			if w.sev != "" {
				rule += ":" + string(w.sev)
			}
			problems = append(problems, fmt.Sprintf("%s:%s: no finding [%s] containing %q", file, where, rule, w.substr))
		}
	}
	return problems
}

// DefaultBuilder reads each file with engine/migration and parses its
// statements with engine/cql: kinds, positions, texts and ASTs are filled
// in; Before is not (it needs the schema replay of the lint package, whose
// builder RunWith accepts).
func DefaultBuilder(files []File) ([]*sdk.LintRequest, error) {
	var reqs []*sdk.LintRequest
	for _, f := range files {
		m, err := migration.Parse(f.Name, f.Data)
		if err != nil {
			return nil, err
		}
		req := &sdk.LintRequest{File: sdk.File{
			Path: m.Path, Version: m.VersionText, Description: m.Description,
			DownSection: m.HasDown, UpStatements: len(m.Up.Statements), DownStatements: len(m.Down.Statements),
		}}
		index := 0
		for _, sec := range []struct {
			name  string
			stmts []migration.Statement
		}{{sdk.Up, m.Up.Statements}, {sdk.Down, m.Down.Statements}} {
			for _, st := range sec.stmts {
				index++
				parsed, err := cql.ParseStatement(st.Statement)
				if err != nil {
					return nil, fmt.Errorf("%s: statement %d: %w", f.Name, index, err)
				}
				ast, err := json.Marshal(parsed)
				if err != nil {
					return nil, fmt.Errorf("%s: statement %d: encode ast: %w", f.Name, index, err)
				}
				req.Statements = append(req.Statements, &sdk.Statement{
					Section: sec.name, Index: index, Kind: string(parsed.Kind()),
					Text: st.Text, Pos: sdk.Pos{Offset: st.Pos.Offset, Line: st.Pos.Line, Column: st.Pos.Col},
					ASTJSON: bytes.TrimSpace(ast),
				})
			}
		}
		reqs = append(reqs, req)
	}
	return reqs, nil
}
