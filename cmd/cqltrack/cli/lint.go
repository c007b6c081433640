package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/cqltrack/cqltrack/format"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/lint"
)

type lintCmd struct {
	outputFlags `embed:""`
	Paths       []string `arg:"" optional:"" placeholder:"PATH" help:"Migration files or directories (default: the configured migrations directory)."`
	MaxWarnings *int     `name:"max-warnings" placeholder:"N" help:"Fail (exit 1) when there are more than N warnings (default: lint.max_warnings, else no limit); -1 never fails on warnings, whatever the configuration says."`
	CacheDir    string   `name:"cache-dir" placeholder:"DIR" help:"Where compiled plugins and the lint results are cached (default: plugin_cache_dir, else the user cache directory)."`
}

// lintReport is the JSON shape of `cqltrack lint --json` (docs/cli.md).
type lintReport struct {
	*lint.Report
	PluginErrors []string `json:"plugin_errors"`
}

// lintGOGC is the Go collector's target while lint works through the
// files, unless the user set GOGC. Lint's live heap is small and steady
// (the replayed schema, the decoded module, the files in flight), so
// collecting at half the default target costs a few percent more
// collector time and lowers the peak resident memory of a 500-file run by
// 4 MB (docs/performance.md): lint runs in pre-commit hooks and CI steps
// beside other processes.
const lintGOGC = 50

// Run lints migration files. Exit 1 for error findings (or too many
// warnings), 2 for bad input, 6 when a plugin failed and lint is incomplete.
func (c *lintCmd) Run(a *app) error {
	cfg, err := a.loadConfig("")
	if err != nil {
		return err
	}
	if err := checkWritable(c.Output); err != nil {
		return err
	}
	if c.MaxWarnings != nil && *c.MaxWarnings < -1 {
		return engine.InputError(fmt.Errorf("--max-warnings must be 0 or more, or -1 for no limit, got %d", *c.MaxWarnings))
	}
	ctx, stop := a.signalContext()
	defer stop()
	opts := lint.Options{Paths: c.Paths, Config: cfg, CacheDir: c.CacheDir}
	// The process environment, not a.env: it is what the Go runtime read.
	if _, set := os.LookupEnv("GOGC"); !set {
		opts.GCPercent = lintGOGC
	}
	r, err := lint.Lint(ctx, opts)
	if err != nil {
		return classifyLint(err)
	}
	out := lintReport{Report: r, PluginErrors: []string{}}
	for _, pe := range r.PluginErrors {
		out.PluginErrors = append(out.PluginErrors, pe.Error())
	}
	if r.Findings == nil {
		r.Findings = []lint.Finding{}
	}
	if err := a.emitReport(ctx, &c.outputFlags, format.TypeLint, out, func(b *strings.Builder) { a.writeFindings(b, r) }); err != nil {
		return err
	}
	limit, source := cfg.Lint.MaxWarnings, "lint.max_warnings" // config.NoWarningLimit when unset
	if c.MaxWarnings != nil {
		limit, source = *c.MaxWarnings, "--max-warnings"
	}
	switch {
	case !r.Complete():
		msgs := make([]string, len(r.PluginErrors))
		for i, pe := range r.PluginErrors {
			msgs[i] = pe.Error()
		}
		return engine.PluginError(fmt.Errorf("lint is incomplete:\n%s", strings.Join(msgs, "\n")))
	case r.Errors > 0:
		return &foundError{what: "lint errors"}
	case limit >= 0 && r.Warnings > limit:
		if a.textual(&c.outputFlags) {
			fmt.Fprintf(a.stderr, "cqltrack: %d warning(s), more than %s %d\n", r.Warnings, source, limit)
		}
		return &foundError{what: "too many warnings"}
	}
	return nil
}

// severityTags are the text output's severity columns.
var severityTags = map[string]string{"error": "ERR", "warning": "WARN", "info": "INFO"}

func (a *app) writeFindings(b *strings.Builder, r *lint.Report) {
	for _, f := range r.Findings {
		where := f.File
		if f.Version != "" {
			where = "V" + f.Version
		}
		tag := severityTags[f.Severity]
		color := map[string]string{"ERR": red, "WARN": yellow, "INFO": dim}[tag]
		fmt.Fprintf(b, "%s %s:%d [%s] %s\n", a.paint(color, fmt.Sprintf("%-4s", tag)), where, f.Line, f.Rule, f.Message)
	}
	fmt.Fprintf(b, "%d file(s): %d error(s), %d warning(s), %d info\n", r.Files, r.Errors, r.Warnings, r.Infos)
}

// classifyLint maps lint's errors onto the exit codes.
func classifyLint(err error) error {
	if errors.Is(err, lint.ErrInput) || errors.Is(err, lint.ErrUnknownRule) {
		return engine.InputError(err)
	}
	return err
}

type rulesCmd struct{}

func (rulesCmd) Run(a *app) error {
	cfg, err := a.loadConfig("")
	if err != nil {
		return err
	}
	rules, err := lint.Rules(context.Background(), lint.Options{Config: cfg})
	if a.globals.JSON {
		if rules == nil {
			rules = []lint.RuleInfo{}
		}
		if jerr := writeJSON(a.stdout, map[string]any{"rules": rules}); jerr != nil {
			return jerr
		}
	} else {
		t := table{}
		t.add("RULE", "SEVERITY", "PLUGIN", "SUMMARY")
		for _, r := range rules {
			t.add(r.ID, r.Severity, r.Plugin, r.Summary)
		}
		if werr := t.write(a.stdout); werr != nil {
			return werr
		}
	}
	if err != nil {
		if errors.Is(err, lint.ErrUnknownRule) {
			return engine.InputError(err)
		}
		return engine.PluginError(err)
	}
	return nil
}

type cacheCmd struct {
	Warm cacheWarmCmd `cmd:"" help:"Compile the built-in rules and every configured plugin into the cache (for images and CI)."`
}

type cacheWarmCmd struct {
	CacheDir string `name:"cache-dir" placeholder:"DIR" help:"Cache directory (default: plugin_cache_dir, else the user cache directory)."`
}

func (c *cacheWarmCmd) Run(a *app) error {
	cfg, err := a.loadConfig("")
	if err != nil {
		return err
	}
	names, err := lint.WarmCache(context.Background(), lint.Options{Config: cfg, CacheDir: c.CacheDir})
	if err != nil {
		return engine.PluginError(err)
	}
	if a.globals.JSON {
		return writeJSON(a.stdout, map[string]any{"compiled": names})
	}
	_, err = fmt.Fprintf(a.stdout, "compiled %s\n", strings.Join(names, ", "))
	return err
}
