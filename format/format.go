package format

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/format/builtin"
	"github.com/cqltrack/cqltrack/format/sdk"
	lintbuiltin "github.com/cqltrack/cqltrack/lint/builtin"
	"github.com/cqltrack/cqltrack/plugins"
	"github.com/cqltrack/cqltrack/plugins/abi"
)

// Report types, as formatters receive them in "type".
const (
	TypeLint     = sdk.TypeLint
	TypeMigrate  = sdk.TypeMigrate
	TypeStatus   = sdk.TypeStatus
	TypePending  = sdk.TypePending
	TypeHistory  = sdk.TypeHistory
	TypeValidate = sdk.TypeValidate
	TypeDiff     = sdk.TypeDiff
	TypeDrift    = sdk.TypeDrift
)

// Types lists every report type.
var Types = sdk.Types

// The formats every command renders natively.
const (
	Text = "text"
	JSON = "json"
)

// InformationURI is cqltrack's home, named by the reports that name their
// tool (SARIF).
const InformationURI = "https://github.com/cqltrack/cqltrack"

// BuiltinMemoryPages caps the built-in module's memory (1 GiB). A report's
// output is several times its JSON inside the guest (the decoded report,
// the document, its JSON text, the envelope): a 4 MB lint report of 20000
// findings needs more than the plugin default of 32 MiB. It is a cap, not
// an allocation.
const BuiltinMemoryPages = 16384

// Sentinel errors of Run and Render.
var (
	// ErrUnknownFormat: no built-in or configured formatter has the name.
	ErrUnknownFormat = errors.New("unknown format")
	// ErrReportType: the format does not render this report type.
	ErrReportType = errors.New("format does not render this report")
	// ErrNative: text and json are rendered by the command, not here.
	ErrNative = errors.New("format is rendered by the command itself")
	// ErrShadowed: a configured formatter takes the name of a built-in.
	ErrShadowed = errors.New("formatter name is taken by a built-in format")
)

// Info describes one format for `cqltrack formats` and --help.
type Info struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Reports     []string `json:"reports"`
	// Source is "cqltrack" for text and json, "builtin" for the built-in
	// module, else the configured plugin's path.
	Source string `json:"source"`
}

// Request is everything Render needs. Format, Type and Report are
// required.
type Request struct {
	// Format is the name given to --format.
	Format string
	// Type is the report's type (TypeLint, ...).
	Type string
	// Report is the report as the command prints it with --json.
	Report []byte
	// Config supplies output.formatters and the plugin cache directory;
	// nil means config.Default().
	Config *config.Config
	// Rules describe the lint rules that ran (type lint). Nil means the
	// built-in rules the configuration leaves on; pass lint.Rules' result
	// converted to list the rules of plugins with their docs URLs too.
	Rules []sdk.RuleInfo
	// Files are the files linted, those without findings included.
	Files []string
	// Versions names versions as the migration files write them (3:
	// "V003", engine.Engine.VersionNames), so formats name the current
	// version and history events as the text output does; nil leaves
	// them V<n>.
	Versions map[int64]string
	// Tool names cqltrack in the output; the zero value means "cqltrack"
	// at the binary's module version.
	Tool sdk.Tool
	// Host overrides the plugin host (cache directory, logger); its
	// CacheDir defaults to Config.PluginCacheDir.
	Host plugins.Host
}

// Run renders a report of type reportType, the JSON the command prints
// with --json, in format name, with the formatters cfg configures (nil:
// the built-ins only). It is Render with the defaults.
func Run(ctx context.Context, name, reportType string, reportJSON []byte, cfg *config.Config) ([]byte, error) {
	return Render(ctx, Request{Format: name, Type: reportType, Report: reportJSON, Config: cfg})
}

// Render renders req.Report in req.Format. Errors name the format; a
// formatter's own failure is the plugin's error (plugin "x": format lint:
// ...).
func Render(ctx context.Context, req Request) ([]byte, error) {
	cfg := req.Config
	if cfg == nil {
		cfg = config.Default()
	}
	if !slices.Contains(sdk.Types, req.Type) {
		return nil, fmt.Errorf("format %s: unknown report type %q, want one of %s", req.Format, req.Type, strings.Join(sdk.Types, ", "))
	}
	if req.Format == Text || req.Format == JSON {
		return nil, fmt.Errorf("format %s: %w", req.Format, ErrNative)
	}
	if !json.Valid(req.Report) {
		return nil, fmt.Errorf("format %s: the %s report is not valid JSON", req.Format, req.Type)
	}
	host := req.Host
	if host.CacheDir == "" {
		host.CacheDir = cfg.PluginCacheDir
	}
	wire := sdk.Request{Type: req.Type, Report: req.Report, Tool: req.Tool, Files: req.Files}
	if len(req.Versions) > 0 {
		wire.Versions = make(map[string]string, len(req.Versions))
		for v, name := range req.Versions {
			wire.Versions[strconv.FormatInt(v, 10)] = name
		}
	}
	if wire.Tool.Name == "" {
		wire.Tool = defaultTool()
	}
	if req.Type == TypeLint {
		wire.Rules = req.Rules
		if wire.Rules == nil {
			wire.Rules = builtinRules(cfg)
		}
	}
	for i, fc := range cfg.Output.Formatters {
		if fc.Name == req.Format {
			if _, _, err := customSpec(i, fc); err != nil {
				return nil, err
			}
		}
	}
	for _, f := range builtin.Formats() {
		if f.Name != req.Format {
			continue
		}
		if !f.Accepts(req.Type) {
			return nil, reportTypeError(req.Format, req.Type, f.Reports)
		}
		wire.Format = f.Name
		return call(ctx, plugins.Spec{Name: builtin.Name, Bytes: builtin.Wasm, Kind: abi.KindFormatter, Trusted: true, MemoryPages: BuiltinMemoryPages}, host, &wire)
	}
	for i, fc := range cfg.Output.Formatters {
		if fc.Name != req.Format {
			continue
		}
		spec, conf, err := customSpec(i, fc)
		if err != nil {
			return nil, err
		}
		wire.Config = conf
		return call(ctx, spec, host, &wire)
	}
	return nil, fmt.Errorf("%w %q: available: %s", ErrUnknownFormat, req.Format, strings.Join(names(cfg), ", "))
}

func reportTypeError(name, typ string, reports []string) error {
	return fmt.Errorf("%w: format %s renders %s reports, not %s", ErrReportType, name, strings.Join(reports, ", "), typ)
}

// customSpec is the plugin spec of output.formatters[i].
func customSpec(i int, fc config.Formatter) (plugins.Spec, json.RawMessage, error) {
	if fc.Name == Text || fc.Name == JSON || slices.ContainsFunc(builtin.Formats(), func(f sdk.Format) bool { return f.Name == fc.Name }) {
		return plugins.Spec{}, nil, fmt.Errorf("output.formatters[%d]: %w: %s", i, ErrShadowed, fc.Name)
	}
	spec, err := plugins.ConfiguredSpec(fc.Plugin, abi.KindFormatter)
	if err != nil {
		return spec, nil, fmt.Errorf("output.formatters[%d].%w", i, err)
	}
	spec.Name = fc.Name
	return spec, spec.Config, nil
}

// call loads the plugin of spec, picks the format to ask for and renders.
// A configured name that the plugin does not declare is accepted when the
// plugin has exactly one format: users name formatters as they like.
func call(ctx context.Context, spec plugins.Spec, host plugins.Host, wire *sdk.Request) ([]byte, error) {
	name := wire.Format
	if spec.Name != builtin.Name {
		name = spec.Name
	}
	p, err := plugins.Load(ctx, spec, host)
	if err != nil {
		return nil, fmt.Errorf("format %s: %w", name, err)
	}
	defer p.Close(context.WithoutCancel(ctx))
	formats := p.Manifest().Formats
	var chosen *abi.FormatInfo
	for i := range formats {
		if formats[i].Name == name {
			chosen = &formats[i]
		}
	}
	if chosen == nil && len(formats) == 1 {
		chosen = &formats[0]
	}
	if chosen == nil {
		var declared []string
		for _, f := range formats {
			declared = append(declared, f.Name)
		}
		return nil, fmt.Errorf("format %s: plugin %q declares formats %s, none named %s", name, p.Name(), strings.Join(declared, ", "), name)
	}
	if !slices.Contains(chosen.Reports, wire.Type) {
		return nil, reportTypeError(name, wire.Type, chosen.Reports)
	}
	wire.Format = chosen.Name
	body, err := json.Marshal(wire)
	if err != nil {
		return nil, fmt.Errorf("format %s: encode request: %w", name, err)
	}
	var out string
	_, err = p.Call(ctx, abi.ExportFormat, "format "+wire.Type, body, func(result []byte) error {
		var err error
		out, err = sdk.DecodeResult(result)
		return err
	})
	if err != nil {
		return nil, err
	}
	return []byte(out), nil
}

// Formats lists the formats available with cfg: text and json, the
// built-ins, then the configured formatters, each of which is loaded to
// read what it declares. A formatter that cannot be loaded is left out and
// its error returned (joined) with the rest of the list.
func Formats(ctx context.Context, cfg *config.Config) ([]Info, error) {
	if cfg == nil {
		cfg = config.Default()
	}
	out := []Info{
		{Name: Text, Description: "the command's own output for people", Reports: sdk.Types, Source: "cqltrack"},
		{Name: JSON, Description: "the report as JSON, what formatters receive as \"report\"", Reports: sdk.Types, Source: "cqltrack"},
	}
	for _, f := range builtin.Formats() {
		out = append(out, Info{Name: f.Name, Description: f.Description, Reports: f.Reports, Source: "builtin"})
	}
	host := plugins.Host{CacheDir: cfg.PluginCacheDir}
	var errs []error
	for i, fc := range cfg.Output.Formatters {
		spec, _, err := customSpec(i, fc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p, err := plugins.Load(ctx, spec, host)
		if err != nil {
			errs = append(errs, fmt.Errorf("output.formatters[%d]: %w", i, err))
			continue
		}
		info := Info{Name: fc.Name, Source: fc.Path}
		for _, f := range p.Manifest().Formats {
			if f.Name == fc.Name || len(p.Manifest().Formats) == 1 {
				info.Description, info.Reports = f.Description, f.Reports
			}
		}
		p.Close(ctx)
		out = append(out, info)
	}
	return out, errors.Join(errs...)
}

// names lists the format names available with cfg, for errors.
func names(cfg *config.Config) []string {
	out := []string{Text, JSON}
	for _, f := range builtin.Formats() {
		out = append(out, f.Name)
	}
	for _, f := range cfg.Output.Formatters {
		out = append(out, f.Name)
	}
	return out
}

// builtinRules describes the built-in lint rules with the severities cfg
// gives them, leaving out those it turns off.
func builtinRules(cfg *config.Config) []sdk.RuleInfo {
	var out []sdk.RuleInfo
	for _, r := range lintbuiltin.All() {
		sev := string(r.Severity)
		if rc, ok := cfg.Lint.Rules[r.ID]; ok && rc.Severity != "" {
			sev = rc.Severity
		}
		if sev == config.SeverityOff {
			continue
		}
		out = append(out, sdk.RuleInfo{ID: r.ID, Severity: sev, Summary: r.Summary, DocsURL: r.DocsURL, Plugin: lintbuiltin.Name})
	}
	return out
}

// defaultTool names cqltrack at the version of the running binary's main
// module, when the build recorded one.
func defaultTool() sdk.Tool {
	t := sdk.Tool{Name: "cqltrack", InformationURI: InformationURI}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		t.Version = strings.TrimPrefix(bi.Main.Version, "v")
	}
	return t
}
