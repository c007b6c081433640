package abi

import (
	"errors"
	"slices"

	"github.com/cqltrack/cqltrack/internal/tinyfmt"
)

// Plugin kinds a manifest may declare; each has one entry point.
const (
	KindRule      = "rule"
	KindHook      = "hook"
	KindFormatter = "formatter"
)

// Severities a rule may declare as its default.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// ErrManifest is wrapped by every manifest validation error.
var ErrManifest = errors.New("invalid manifest")

// Manifest is what a plugin says about itself through cqltrack_manifest.
type Manifest struct {
	Name       string       // plugin name, e.g. "acme-policies"
	Version    string       // the plugin's own version, free form
	Kind       string       // KindRule, KindHook or KindFormatter
	ABIVersion int          // must equal Version
	Rules      []RuleInfo   // kind rule: the rules the module implements
	Formats    []FormatInfo // kind formatter: the formats it renders
	Events     []string     // kind hook: "pre_migrate", "post_migrate"
}

// RuleInfo describes one rule of a rule plugin.
type RuleInfo struct {
	ID       string // stable id, lower-case words joined by '-'
	Severity string // default severity: error, warning or info
	Summary  string // one line shown by `cqltrack rules`
	DocsURL  string
	// Options is the JSON schema (an object) of the rule's options; null
	// when the rule takes none.
	Options Value
	// Kinds lists the statement kinds the rule inspects, e.g. "CREATE
	// TABLE"; empty means every kind.
	Kinds []string
	// FileOnly says the rule looks at the file as a whole (its sections and
	// statement counts) and at no statement: the host sends it none, and
	// Kinds does not apply.
	FileOnly bool
}

// FormatInfo describes one output format of a formatter plugin.
type FormatInfo struct {
	Name        string
	Description string
	Reports     []string // report types it accepts, e.g. "lint", "migrate"
}

// EntryPoint returns the export name of the manifest kind's entry point,
// or "" for an unknown kind.
func EntryPoint(kind string) string {
	switch kind {
	case KindRule:
		return ExportLint
	case KindHook:
		return ExportHook
	case KindFormatter:
		return ExportFormat
	}
	return ""
}

// AppendManifest appends m as JSON.
func AppendManifest(dst []byte, m *Manifest) []byte {
	w := Writer{B: dst}
	w.BeginObject()
	w.Key("name")
	w.String(m.Name)
	w.Key("version")
	w.String(m.Version)
	w.Key("kind")
	w.String(m.Kind)
	w.Key("abi_version")
	w.Int(int64(m.ABIVersion))
	if len(m.Rules) > 0 {
		w.Key("rules")
		w.BeginArray()
		for i := range m.Rules {
			ri := &m.Rules[i]
			w.BeginObject()
			w.Key("id")
			w.String(ri.ID)
			w.Key("severity")
			w.String(ri.Severity)
			w.Key("summary")
			w.String(ri.Summary)
			w.Key("docs_url")
			w.String(ri.DocsURL)
			if !ri.Options.IsNull() {
				w.Key("options")
				w.Value(ri.Options)
			}
			w.Key("kinds")
			w.Strings(ri.Kinds)
			if ri.FileOnly {
				w.Key("file_only")
				w.Bool(true)
			}
			w.EndObject()
		}
		w.EndArray()
	}
	if len(m.Formats) > 0 {
		w.Key("formats")
		w.BeginArray()
		for _, f := range m.Formats {
			w.BeginObject()
			w.Key("name")
			w.String(f.Name)
			w.Key("description")
			w.String(f.Description)
			w.Key("reports")
			w.Strings(f.Reports)
			w.EndObject()
		}
		w.EndArray()
	}
	if len(m.Events) > 0 {
		w.Key("events")
		w.Strings(m.Events)
	}
	w.EndObject()
	return w.B
}

// DecodeManifest parses a manifest document. Unknown members are ignored.
// It does not validate; see Manifest.Validate.
func DecodeManifest(data []byte) (*Manifest, error) {
	r := NewReader(data)
	m := &Manifest{}
	for it := r.Object(); it.Next(); {
		k := it.Key()
		switch k {
		case "name":
			m.Name = r.String()
		case "version":
			m.Version = r.String()
		case "kind":
			m.Kind = r.String()
		case "abi_version":
			m.ABIVersion = int(r.Int())
		case "rules":
			for it := r.Array(); it.Next(); {
				var ri RuleInfo
				for it := r.Object(); it.Next(); {
					k := it.Key()
					switch k {
					case "id":
						ri.ID = r.String()
					case "severity":
						ri.Severity = r.String()
					case "summary":
						ri.Summary = r.String()
					case "docs_url":
						ri.DocsURL = r.String()
					case "options":
						ri.Options = r.Value()
					case "kinds":
						ri.Kinds = r.Strings()
					case "file_only":
						ri.FileOnly = r.Bool()
					default:
						r.Skip()
					}
				}
				m.Rules = append(m.Rules, ri)
			}
		case "formats":
			for it := r.Array(); it.Next(); {
				var f FormatInfo
				for it := r.Object(); it.Next(); {
					k := it.Key()
					switch k {
					case "name":
						f.Name = r.String()
					case "description":
						f.Description = r.String()
					case "reports":
						f.Reports = r.Strings()
					default:
						r.Skip()
					}
				}
				m.Formats = append(m.Formats, f)
			}
		case "events":
			m.Events = r.Strings()
		default:
			r.Skip()
		}
	}
	if err := r.Finish(); err != nil {
		return nil, tinyfmt.Errorf("decode manifest: %w", err)
	}
	return m, nil
}

// ValidName reports whether s is usable as a plugin name, rule id or
// format name: 1 to 64 characters of lower-case letters, digits, '-', '_'
// and '.', starting with a letter or digit.
func ValidName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case (c == '-' || c == '_' || c == '.') && i > 0:
		default:
			return false
		}
	}
	return true
}

// Validate checks the manifest against ABI v1: a valid name, a known kind,
// the ABI version, and the metadata the kind needs. Every problem found is
// reported, joined.
func (m *Manifest) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, tinyfmt.Errorf("%w: "+format, append([]any{ErrManifest}, args...)...))
	}
	if !ValidName(m.Name) {
		bad("name %q: want 1-64 lower-case letters, digits, '-', '_' or '.'", m.Name)
	}
	if m.ABIVersion != Version {
		bad("abi_version %d, host supports %d", m.ABIVersion, Version)
	}
	switch m.Kind {
	case KindRule:
		if len(m.Rules) == 0 {
			bad("a rule plugin declares no rules")
		}
		seen := map[string]bool{}
		for _, r := range m.Rules {
			if !ValidName(r.ID) {
				bad("rule id %q: want 1-64 lower-case letters, digits, '-', '_' or '.'", r.ID)
			}
			if seen[r.ID] {
				bad("rule %q declared twice", r.ID)
			}
			seen[r.ID] = true
			if !slices.Contains([]string{SeverityError, SeverityWarning, SeverityInfo}, r.Severity) {
				bad("rule %q: severity %q, want error, warning or info", r.ID, r.Severity)
			}
			if r.Summary == "" {
				bad("rule %q: empty summary", r.ID)
			}
			if k := r.Options.Kind(); k != Null && k != Object {
				bad("rule %q: options schema must be a JSON object", r.ID)
			}
		}
	case KindFormatter:
		if len(m.Formats) == 0 {
			bad("a formatter plugin declares no formats")
		}
		seen := map[string]bool{}
		for _, f := range m.Formats {
			if !ValidName(f.Name) {
				bad("format name %q: want 1-64 lower-case letters, digits, '-', '_' or '.'", f.Name)
			}
			if seen[f.Name] {
				bad("format %q declared twice", f.Name)
			}
			seen[f.Name] = true
		}
	case KindHook:
		if len(m.Events) == 0 {
			bad("a hook plugin declares no events")
		}
		for _, e := range m.Events {
			if e != "pre_migrate" && e != "post_migrate" {
				bad("hook event %q, want pre_migrate or post_migrate", e)
			}
		}
	default:
		bad("kind %q, want rule, hook or formatter", m.Kind)
	}
	return errors.Join(errs...)
}
