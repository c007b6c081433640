package lint

import (
	"context"
	"fmt"

	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/lint/builtin"
	"github.com/cqltrack/cqltrack/lint/sdk"
	"github.com/cqltrack/cqltrack/plugins"
	"github.com/cqltrack/cqltrack/plugins/abi"
)

// builtinMemoryPages caps the built-in module's memory: 1 GiB.
const builtinMemoryPages = 16384

// builtinGOGC is the built-in module's garbage collection target. A call
// leaves little behind (the request, its decoded statements, the
// findings), so collecting at a quarter of Go's default target costs no
// time we could measure and keeps each instance 3 MB smaller
// (docs/performance.md).
const builtinGOGC = 25

// ruleSet is one plugin's rules as configured: the built-in module (or its
// native twin) or a user's plugin.
type ruleSet struct {
	name    string
	plugin  *plugins.Plugin // nil for the native built-ins
	native  []sdk.Rule
	rules   []rule
	enabled []string // ids of the rules to run
	options map[string]abi.Value
	// override holds the severities the user configured, by rule id;
	// other findings keep the severity the plugin gave them.
	override map[string]string
}

// rule is a rule of a set with its effective severity.
type rule struct {
	id       string
	info     abi.RuleInfo
	severity string // configured, else the default; SeverityOff when disabled
}

// found is a finding with the statement it is about (0: the file).
type found struct {
	Finding
	stmt int
}

// loadRuleSets loads the built-in rules and the configured plugins. A
// plugin that fails to load is returned as an error and left out.
func loadRuleSets(ctx context.Context, opts Options, cfg *config.Config) ([]*ruleSet, []error) {
	host := plugins.Host{CacheDir: opts.CacheDir, Logger: opts.Logger}
	if host.CacheDir == "" {
		host.CacheDir = cfg.PluginCacheDir
	}
	var (
		sets []*ruleSet
		errs []error
	)
	if opts.NativeBuiltins {
		m, err := sdk.Manifest(builtin.Name, builtin.Version, builtin.Rules())
		if err != nil {
			errs = append(errs, err)
		} else {
			sets = append(sets, newRuleSet(cfg, builtin.Name, nil, builtin.Rules(), m, abi.Value{}))
		}
	} else {
		// Trusted: it ships in the binary. Its memory cap is high because
		// one call carries a whole file, and a data migration of 20000
		// INSERTs (2 MB) needs more than the 32 MiB default.
		p, err := plugins.Load(ctx, plugins.Spec{
			Name: builtin.Name, Bytes: builtin.Wasm, Kind: abi.KindRule, Trusted: true,
			MemoryPages: builtinMemoryPages, GOGC: builtinGOGC,
		}, host)
		if err != nil {
			errs = append(errs, fmt.Errorf("load built-in rules: %w", err))
		} else {
			sets = append(sets, newRuleSet(cfg, builtin.Name, p, nil, p.Manifest(), abi.Value{}))
		}
	}
	for _, pc := range cfg.Lint.Plugins {
		spec, err := plugins.ConfiguredSpec(pc, abi.KindRule)
		var conf abi.Value
		if err == nil && spec.Config != nil {
			conf, err = abi.ParseValue(spec.Config)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("plugin %s: %w", pc.Path, err))
			continue
		}
		p, err := plugins.Load(ctx, spec, host)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if dup := duplicateRule(sets, p.Manifest()); dup != "" {
			errs = append(errs, fmt.Errorf("plugin %q: rule %q is already declared by plugin %q", p.Name(), dup, ownerOf(sets, dup)))
			p.Close(ctx)
			continue
		}
		sets = append(sets, newRuleSet(cfg, p.Name(), p, nil, p.Manifest(), conf))
	}
	for _, s := range sets {
		for _, r := range s.rules {
			if r.severity == SeverityOff {
				continue
			}
			v, err := ruleOptions(cfg, r.id, s.options[r.id])
			if err != nil {
				errs = append(errs, fmt.Errorf("lint.rules.%s.options: %w", r.id, err))
				continue
			}
			if !v.IsNull() {
				s.options[r.id] = v
			}
		}
	}
	return sets, errs
}

// newRuleSet applies the configuration to a plugin's manifest. conf is
// the plugin's own configuration, the options of each of its rules that
// has none configured.
func newRuleSet(cfg *config.Config, name string, p *plugins.Plugin, native []sdk.Rule, m *abi.Manifest, conf abi.Value) *ruleSet {
	s := &ruleSet{name: name, plugin: p, native: native, options: map[string]abi.Value{}, override: map[string]string{}}
	for _, info := range m.Rules {
		r := rule{id: info.ID, info: info, severity: ruleSeverity(cfg, info.ID, info.Severity)}
		s.rules = append(s.rules, r)
		if sev := ruleSeverity(cfg, info.ID, ""); sev != "" {
			s.override[r.id] = sev
		}
		if r.severity == SeverityOff {
			continue
		}
		s.enabled = append(s.enabled, r.id)
		if !conf.IsNull() {
			s.options[r.id] = conf
		}
	}
	return s
}

func duplicateRule(sets []*ruleSet, m *abi.Manifest) string {
	for _, info := range m.Rules {
		if ownerOf(sets, info.ID) != "" || info.ID == UnusedSuppression {
			return info.ID
		}
	}
	return ""
}

func ownerOf(sets []*ruleSet, id string) string {
	for _, s := range sets {
		for _, r := range s.rules {
			if r.id == id {
				return s.name
			}
		}
	}
	if id == UnusedSuppression {
		return "cqltrack"
	}
	return ""
}

func closeRuleSets(ctx context.Context, sets []*ruleSet) {
	for _, s := range sets {
		if s.plugin != nil {
			s.plugin.Close(context.WithoutCancel(ctx))
		}
	}
}

// run lints one file with the set's enabled rules. failed lists the rules
// that could not complete on the file: every enabled rule when the call
// itself failed, else those the plugin reported in its errors.
func (s *ruleSet) run(ctx context.Context, fr *fileRequest) (out []found, errs []error, failed []string) {
	if len(s.enabled) == 0 {
		return nil, nil, nil
	}
	req := *fr.req
	req.Rules = s.enabled
	req.RuleOptions = s.options
	// The plugin sends only the statements its enabled rules declared
	// (Plugin.Lint); natively each rule skips the kinds it did not.
	var resp *sdk.LintResponse
	if s.plugin == nil {
		resp = sdk.RunNative(s.native, &req)
	} else {
		var err error
		if resp, err = s.plugin.Lint(ctx, fr.shown, &req); err != nil {
			return nil, []error{err}, s.enabled
		}
	}
	what := fr.shown
	for _, e := range resp.Errors {
		errs = append(errs, fmt.Errorf("plugin %q: rule %s: lint %s: %s", s.name, e.Rule, what, e.Message))
		if e.Rule == "" {
			failed = append(failed, s.enabled...) // which rule, the plugin did not say
		} else {
			failed = append(failed, e.Rule)
		}
	}
	out = make([]found, 0, len(resp.Findings))
	for _, f := range resp.Findings {
		sev := severityOf(f.Severity)
		if conf, ok := s.override[f.Rule]; ok {
			sev = conf
		}
		if sev == SeverityOff {
			continue
		}
		line, col := f.Pos.Line, f.Pos.Column
		if line <= 0 {
			line, col = 1, 1
		}
		out = append(out, found{stmt: f.Statement, Finding: Finding{
			File: fr.shown, Version: fr.mig.VersionText, Line: line, Column: col,
			Rule: f.Rule, Severity: sev, Message: f.Message, Plugin: s.name,
		}})
	}
	return out, errs, failed
}
