package lint

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/lint/sdk"
	"github.com/cqltrack/cqltrack/plugins/abi"
)

// Severities of findings, as configured and reported.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
	// SeverityOff disables a rule in the configuration.
	SeverityOff = "off"
)

// UnusedSuppression is the id of the rule that reports suppression
// comments that suppress nothing. It is part of the linter itself, not of a
// plugin, and is configured like any rule.
const UnusedSuppression = "unused-suppression"

// lintWorkers is how many files are linted at once: each needs a plugin
// instance, and two already keep a small machine busy while the replay
// builds the next requests.
var lintWorkers = min(runtime.GOMAXPROCS(0), 4)

// Sentinel errors. ErrInput is wrapped by every error that means the input
// is bad (a syntax error, an unreadable or unknown path, a configuration
// naming an unknown rule): the command maps it to its bad-input exit code.
var (
	ErrInput       = errors.New("bad lint input")
	ErrUnknownRule = errors.New("unknown lint rule")
)

// Options say what to lint and with which configuration.
type Options struct {
	// Paths are migration files and directories to lint; empty means the
	// configured migrations directory (when Sources is empty too).
	Paths []string
	// Sources are migration files in memory, linted as if read from disk
	// (a service that embeds its migrations, tests).
	Sources []Source
	// Config supplies the migrations directory, the keyspace of unqualified
	// names, rule severities and options, plugins and the plugin cache
	// directory; nil means config.Default().
	Config *config.Config
	// CacheDir overrides Config.PluginCacheDir for compiled WebAssembly;
	// both empty means the plugin host's default under the user cache dir.
	CacheDir string
	// NativeBuiltins runs the built-in rules as Go code in this process
	// instead of through builtin.wasm. The findings are the same (a test
	// proves it); it exists to measure what the ABI costs.
	NativeBuiltins bool
	// Logger receives plugin log messages; nil means slog.Default().
	Logger *slog.Logger
	// NoResultCache turns off the result cache: by default the findings of
	// each file are kept under the cache directory (in lint/, next to the
	// compiled modules), keyed by everything they depend on, and a file
	// whose key is known is neither replayed nor linted again.
	NoResultCache bool
	// GCPercent, when positive, is the Go collector's target (as
	// debug.SetGCPercent) while the files are linted: set after the
	// modules are loaded, because compiling one allocates much and keeps
	// little, and restored when Lint returns. It changes a process-wide
	// setting, so a caller linting beside other work leaves it zero.
	GCPercent int
}

// Source is a migration file in memory. Path is how findings name it;
// its base name gives version and description.
type Source struct {
	Path string
	Data []byte
}

// Finding is one problem found in one file.
type Finding struct {
	// File is the path as given (or as found in a given directory).
	File string `json:"file"`
	// Version is the file's version digits as written ("005"), "" for a
	// file whose name is not V<version>__<description>.cql.
	Version  string `json:"version"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	// Plugin is where the rule comes from: "builtin", a plugin's manifest
	// name, or "cqltrack" for unused-suppression.
	Plugin string `json:"plugin"`
}

// Report is the result of a lint run.
type Report struct {
	// Findings sorted by file, line, column and rule.
	Findings []Finding `json:"findings"`
	// Errors, Warnings and Infos count the findings by severity.
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
	// Files is the number of files linted.
	Files int `json:"files"`
	// PluginErrors lists plugins that could not be loaded and calls or
	// rules that failed; the other rules still ran, but the lint is
	// incomplete. Each error names the plugin.
	PluginErrors []error `json:"-"`
}

// Complete reports whether every rule ran on every file.
func (r *Report) Complete() bool { return len(r.PluginErrors) == 0 }

// RuleInfo describes one loaded rule for `cqltrack rules`.
type RuleInfo struct {
	ID string `json:"id"`
	// Severity is the effective severity: the configured one, else the
	// default; SeverityOff when disabled.
	Severity        string   `json:"severity"`
	DefaultSeverity string   `json:"default_severity"`
	Plugin          string   `json:"plugin"`
	Summary         string   `json:"summary"`
	DocsURL         string   `json:"docs_url,omitempty"`
	Kinds           []string `json:"kinds,omitempty"`
}

// Lint lints the files opts names and returns the report. A file that
// cannot be read or parsed is an error wrapping ErrInput that names
// file:line:col; a plugin that fails is not an error but is listed in
// Report.PluginErrors.
func Lint(ctx context.Context, opts Options) (*Report, error) {
	cfg := opts.config()
	files, err := collect(cfg, opts)
	if err != nil {
		return nil, err
	}
	cache := openCache(cfg, opts, files)
	defer cache.close(time.Now()) // writes what this run computed
	if rep, ok := cachedReport(cache, files); ok {
		return rep, nil
	}
	sets, loadErrs := loadRuleSets(ctx, opts, cfg)
	defer closeRuleSets(ctx, sets)
	if err := checkConfiguredRules(cfg, sets, len(loadErrs) > 0); err != nil {
		return nil, err
	}
	if opts.GCPercent > 0 {
		defer debug.SetGCPercent(debug.SetGCPercent(opts.GCPercent))
	}
	// Without user plugins, Before carries only what the built-ins read.
	var proj *projection
	if len(cfg.Lint.Plugins) == 0 {
		proj = builtinProjection()
	}
	rep := &Report{Findings: []Finding{}, PluginErrors: loadErrs}
	enabled := map[string]bool{} // rule id -> can fire (for unused suppressions)
	for _, s := range sets {
		for _, r := range s.rules {
			enabled[r.id] = r.severity != SeverityOff
		}
	}
	unused := ruleSeverity(cfg, UnusedSuppression, SeverityWarning)

	// One goroutine replays and builds requests in order; workers lint the
	// files as they come, each call in its own plugin instance.
	type result struct {
		findings []Finding
		errs     []error
	}
	var results []*result
	jobs := make(chan func(), 2*lintWorkers)
	var wg sync.WaitGroup
	for range lintWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range jobs {
				job()
			}
		}()
	}
	cached := map[*file][]Finding{}
	known := func(f *file) bool {
		fs, ok := cache.get(f)
		if ok {
			cached[f] = fs
		}
		return ok
	}
	err = streamRequests(cfg, files, proj, known, func(fr *fileRequest) {
		res := &result{}
		results = append(results, res)
		if fs, ok := cached[fr.file]; ok {
			res.findings = fs
			fr.file.release()
			return
		}
		jobs <- func() {
			fr.encode()
			var (
				all    []found
				failed map[string]bool // rules that could not complete on this file
			)
			for _, s := range sets {
				fs, errs, ids := s.run(ctx, fr)
				all = append(all, fs...)
				res.errs = append(res.errs, errs...)
				for _, id := range ids {
					if failed == nil {
						failed = map[string]bool{}
					}
					failed[id] = true
				}
			}
			res.findings = fr.suppress(all, enabled, unused, failed, len(loadErrs) > 0)
			if len(res.errs) == 0 && len(loadErrs) == 0 && ctx.Err() == nil {
				cache.put(fr.file, res.findings) // only complete results
			}
			fr.file.release()
		}
	})
	close(jobs)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("lint: stopped before every file was linted: %w", err)
	}
	for _, res := range results {
		rep.Files++
		rep.Findings = append(rep.Findings, res.findings...)
		rep.PluginErrors = append(rep.PluginErrors, res.errs...)
	}
	rep.count()
	return rep, nil
}

// cachedReport builds the report from the result cache when it holds
// every file to lint.
func cachedReport(cache *resultCache, files []*file) (*Report, bool) {
	found, ok := cache.getAll(files)
	if !ok {
		return nil, false
	}
	rep := &Report{Findings: []Finding{}}
	for _, fs := range found {
		rep.Files++
		rep.Findings = append(rep.Findings, fs...)
	}
	rep.count()
	return rep, true
}

// count sorts the findings and counts them by severity.
func (rep *Report) count() {
	sortFindings(rep.Findings)
	for _, f := range rep.Findings {
		switch f.Severity {
		case SeverityError:
			rep.Errors++
		case SeverityWarning:
			rep.Warnings++
		default:
			rep.Infos++
		}
	}
}

// Rules lists every rule of the built-in module and the configured
// plugins with its effective severity, sorted by plugin (built-ins first)
// and id. Plugins that fail to load are returned as errors next to the
// rules of the others.
func Rules(ctx context.Context, opts Options) ([]RuleInfo, error) {
	cfg := opts.config()
	sets, loadErrs := loadRuleSets(ctx, opts, cfg)
	defer closeRuleSets(ctx, sets)
	var out []RuleInfo
	for _, s := range sets {
		for _, r := range s.rules {
			out = append(out, RuleInfo{
				ID: r.id, Severity: r.severity, DefaultSeverity: r.info.Severity, Plugin: s.name,
				Summary: r.info.Summary, DocsURL: r.info.DocsURL, Kinds: r.info.Kinds,
			})
		}
	}
	out = append(out, RuleInfo{
		ID: UnusedSuppression, Severity: ruleSeverity(cfg, UnusedSuppression, SeverityWarning),
		DefaultSeverity: SeverityWarning, Plugin: "cqltrack",
		Summary: "a cqltrack:ignore comment that suppresses nothing",
		DocsURL: "https://github.com/cqltrack/cqltrack/blob/main/docs/rules.md#unused-suppression",
	})
	if err := checkConfiguredRules(cfg, sets, len(loadErrs) > 0); err != nil {
		loadErrs = append(loadErrs, err)
	}
	return out, errors.Join(loadErrs...)
}

// WarmCache compiles the built-in module and every configured rule plugin
// into the compilation cache, so that later runs (in a container image, a
// CI cache) skip compiling. It returns the names of the modules compiled.
func WarmCache(ctx context.Context, opts Options) ([]string, error) {
	opts.NativeBuiltins = false
	cfg := opts.config()
	sets, errs := loadRuleSets(ctx, opts, cfg)
	defer closeRuleSets(ctx, sets)
	var names []string
	for _, s := range sets {
		names = append(names, s.name)
	}
	return names, errors.Join(errs...)
}

func (o *Options) config() *config.Config {
	if o.Config != nil {
		return o.Config
	}
	return config.Default()
}

// ruleSeverity is the configured severity of a rule, or def.
func ruleSeverity(cfg *config.Config, id, def string) string {
	if r, ok := cfg.Lint.Rules[id]; ok && r.Severity != "" {
		return r.Severity
	}
	return def
}

// ruleOptions is the configured options of a rule as a JSON value, or
// fallback (a plugin's config) when none are configured.
func ruleOptions(cfg *config.Config, id string, fallback abi.Value) (abi.Value, error) {
	r, ok := cfg.Lint.Rules[id]
	if !ok || r.Options == nil {
		return fallback, nil
	}
	return jsonValue(r.Options)
}

func jsonValue(v any) (abi.Value, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return abi.Value{}, err
	}
	return abi.ParseValue(b)
}

// checkConfiguredRules refuses severities and options for rules no loaded
// plugin declares: a typo would otherwise silently keep a rule on. When a
// plugin failed to load its rules are unknown, so nothing is refused.
func checkConfiguredRules(cfg *config.Config, sets []*ruleSet, incomplete bool) error {
	if incomplete {
		return nil
	}
	known := map[string]bool{UnusedSuppression: true}
	for _, s := range sets {
		for _, r := range s.rules {
			known[r.id] = true
		}
	}
	var unknown []string
	for id := range cfg.Lint.Rules {
		if !known[id] {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	return fmt.Errorf("%w: %w: lint.rules names %s, which no loaded plugin declares (see `cqltrack rules`)",
		ErrInput, ErrUnknownRule, strings.Join(unknown, ", "))
}

func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			strings.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			strings.Compare(a.Rule, b.Rule),
			strings.Compare(a.Message, b.Message),
		)
	})
}

// severityOf maps an SDK severity to the report's.
func severityOf(s sdk.Severity) string {
	switch s {
	case sdk.Error:
		return SeverityError
	case sdk.Info:
		return SeverityInfo
	}
	return SeverityWarning
}
