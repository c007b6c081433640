package hooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/hooks/sdk"
	"github.com/cqltrack/cqltrack/plugins"
	"github.com/cqltrack/cqltrack/plugins/abi"
)

// The request parts, shared with the guest SDK so that both sides agree on
// one definition of the documents.
type (
	// RunInfo describes the migrate run: profile, keyspace, cluster name
	// and the pending migrations.
	RunInfo = sdk.Run
	// Migration is one pending migration: version, description, file,
	// checksum and up statements.
	Migration = sdk.Migration
	// Outcome is how one migration ended.
	Outcome = sdk.Outcome
	// Summary is how the run ended.
	Summary = sdk.Summary
)

// Sentinel errors.
var (
	// ErrDenied is wrapped by Decision.Err: a pre hook denied the run.
	ErrDenied = errors.New("denied by hook")
	// ErrHookFailed is wrapped by the error of a hook with on_error: fail
	// that could not answer, or of a post hook that reported a failure.
	ErrHookFailed = errors.New("hook failed")
	// ErrEvent is wrapped when a hook's manifest does not declare the
	// event it is configured under.
	ErrEvent = errors.New("hook does not handle event")
)

// Options are how the hooks run.
type Options struct {
	// Host is the plugin host: compilation cache, logger, and LookupEnv,
	// which reads the allow-listed variables (os.LookupEnv when nil).
	Host plugins.Host
	// Now is the clock hooks are given; nil means time.Now.
	Now func() time.Time
	// Warn receives the failures of hooks with on_error: warn; nil logs
	// them at warn level on Host.Logger (slog.Default when nil).
	Warn func(error)
}

// Runner calls the configured hooks. Its methods are safe for concurrent
// use, but a run calls them in order.
type Runner struct {
	pre, post []*hook
	now       func() time.Time
	warn      func(error)
}

// hook is one loaded, configured hook.
type hook struct {
	plugin  *plugins.Plugin
	config  json.RawMessage
	onError string
}

// Load loads every hook of cfg. A hook that cannot be loaded, or whose
// manifest does not declare the event it is configured under, is an error
// naming it (by its key, e.g. hooks.pre_migrate[1]); the hooks loaded
// before it are closed. With no hook configured it returns an empty
// Runner.
func Load(ctx context.Context, cfg config.Hooks, opts Options) (*Runner, error) {
	r := &Runner{now: opts.Now, warn: opts.Warn}
	if r.now == nil {
		r.now = time.Now
	}
	if r.warn == nil {
		logger := opts.Host.Logger
		if logger == nil {
			logger = slog.Default()
		}
		r.warn = func(err error) { logger.Warn("hook failed, continuing (on_error: warn)", "err", err) }
	}
	for _, list := range []struct {
		event string
		hooks []config.Hook
		dst   *[]*hook
	}{
		{sdk.EventPreMigrate, cfg.PreMigrate, &r.pre},
		{sdk.EventPostMigrate, cfg.PostMigrate, &r.post},
	} {
		for i, hc := range list.hooks {
			h, err := loadHook(ctx, list.event, hc, opts.Host)
			if err != nil {
				r.Close(context.WithoutCancel(ctx))
				return nil, fmt.Errorf("hooks.%s[%d]: %w", list.event, i, err)
			}
			*list.dst = append(*list.dst, h)
		}
	}
	return r, nil
}

func loadHook(ctx context.Context, event string, hc config.Hook, host plugins.Host) (*hook, error) {
	h := &hook{onError: hc.OnError}
	if h.onError == "" {
		h.onError = config.DefaultHookOnError
	}
	spec, err := plugins.ConfiguredSpec(hc.Plugin, abi.KindHook)
	if err != nil {
		return nil, fmt.Errorf("hook %s: %w", hc.Path, err)
	}
	spec.Env, h.config = hc.Env, spec.Config
	p, err := plugins.Load(ctx, spec, host)
	if err != nil {
		return nil, err
	}
	for _, e := range p.Manifest().Events {
		if e == event {
			h.plugin = p
			return h, nil
		}
	}
	p.Close(ctx)
	return nil, fmt.Errorf("plugin %q: %w %s (its manifest declares %q)", p.Name(), ErrEvent, event, p.Manifest().Events)
}

// Close releases every hook's instances.
func (r *Runner) Close(ctx context.Context) error {
	if r == nil {
		return nil
	}
	var errs []error
	for _, h := range append(append([]*hook(nil), r.pre...), r.post...) {
		errs = append(errs, h.plugin.Close(ctx))
	}
	return errors.Join(errs...)
}

// Len returns how many hooks are configured under each event.
func (r *Runner) Len() (pre, post int) {
	if r == nil {
		return 0, 0
	}
	return len(r.pre), len(r.post)
}

// Decision is the answer of the pre hooks to one call.
type Decision struct {
	// Allowed is false when a hook denied.
	Allowed bool
	// Hook names the hook that denied, or that allowed with a note.
	Hook string
	// Message is the denying hook's message for the user; with Allowed,
	// the last note a hook gave (a break-glass override, say), if any.
	Message string
}

// Err returns nil for an allowing decision and otherwise an error wrapping
// ErrDenied that names the hook and carries its message:
//
//	denied by hook "change-window": the run is outside the change window ...
func (d Decision) Err() error {
	if d.Allowed {
		return nil
	}
	return fmt.Errorf("%w %q: %s", ErrDenied, d.Hook, d.Message)
}

// PreRun asks the pre_migrate hooks whether the run may start. The error
// is that of a hook with on_error: fail that could not answer; the run must
// not start then either.
func (r *Runner) PreRun(ctx context.Context, run RunInfo) (Decision, error) {
	if r == nil {
		return Decision{Allowed: true}, nil
	}
	return r.ask(ctx, "pre_migrate run", sdk.Request{Event: sdk.EventPreMigrate, Stage: sdk.StageRun, Run: run})
}

// PreMigration asks the pre_migrate hooks whether migration m may start.
// Call it before anything of m executes; on a deny or an error, apply
// nothing of m and record nothing for it.
func (r *Runner) PreMigration(ctx context.Context, run RunInfo, m Migration) (Decision, error) {
	if r == nil {
		return Decision{Allowed: true}, nil
	}
	return r.ask(ctx, "pre_migrate "+version(m.Version), sdk.Request{Event: sdk.EventPreMigrate, Stage: sdk.StageMigration, Run: run, Migration: &m})
}

// PostMigration tells the post_migrate hooks how a migration ended. Call
// it after the outcome is recorded. The error joins the failures of hooks
// with on_error: fail, each wrapping ErrHookFailed; it never means the
// migration should be undone.
func (r *Runner) PostMigration(ctx context.Context, run RunInfo, o Outcome) error {
	if r == nil {
		return nil
	}
	return r.tell(ctx, "post_migrate "+version(o.Version), sdk.Request{Event: sdk.EventPostMigrate, Stage: sdk.StageMigration, Run: run, Outcome: &o})
}

// PostRun tells the post_migrate hooks how the run ended, as PostMigration
// does for a migration.
func (r *Runner) PostRun(ctx context.Context, run RunInfo, s Summary) error {
	if r == nil {
		return nil
	}
	return r.tell(ctx, "post_migrate run", sdk.Request{Event: sdk.EventPostMigrate, Stage: sdk.StageRun, Run: run, Summary: &s})
}

func version(v int64) string { return "V" + strconv.FormatInt(v, 10) }

// ask calls the pre hooks in order until one denies.
func (r *Runner) ask(ctx context.Context, what string, req sdk.Request) (Decision, error) {
	out := Decision{Allowed: true}
	for _, h := range r.pre {
		d, err := h.call(ctx, r.now(), what, req)
		if err != nil {
			if err := r.failed(h, err); err != nil {
				return Decision{}, err
			}
			continue
		}
		if !d.Allowed() {
			msg := d.Message
			if msg == "" {
				msg = "no reason given"
			}
			return Decision{Hook: h.plugin.Name(), Message: msg}, nil
		}
		if d.Message != "" {
			out.Hook, out.Message = h.plugin.Name(), d.Message
		}
	}
	return out, nil
}

// tell calls every post hook and joins the failures that count.
func (r *Runner) tell(ctx context.Context, what string, req sdk.Request) error {
	var errs []error
	for _, h := range r.post {
		if _, err := h.call(ctx, r.now(), what, req); err != nil {
			errs = append(errs, r.failed(h, err))
		}
	}
	return errors.Join(errs...)
}

// failed applies a hook's on_error to its failure: the error to return, or
// nil after handing it to Warn.
func (r *Runner) failed(h *hook, err error) error {
	err = fmt.Errorf("%w: %w", ErrHookFailed, err)
	if h.onError == config.OnErrorWarn {
		r.warn(err)
		return nil
	}
	return err
}

func (h *hook) call(ctx context.Context, now time.Time, what string, req sdk.Request) (sdk.Decision, error) {
	req.Now = now.UTC() // docs/hooks.md: "now" is UTC whatever the zone of the clock
	req.Config = h.config
	body, err := json.Marshal(req)
	if err != nil {
		return sdk.Decision{}, fmt.Errorf("plugin %q: %s: encode request: %w", h.plugin.Name(), what, err)
	}
	var d sdk.Decision
	_, err = h.plugin.Call(ctx, abi.ExportHook, what, body, func(result []byte) error {
		var err error
		d, err = sdk.DecodeDecision(result)
		return err
	})
	if err != nil {
		return sdk.Decision{}, err
	}
	return d, nil
}
