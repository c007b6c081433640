package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/config"
)

// loadConfig resolves the configuration from the global flags, the
// environment and the file; dir, when set, overrides migrations.directory.
func (a *app) loadConfig(dir string) (*config.Config, error) {
	flags, err := a.globals.overrides()
	if err != nil {
		return nil, engine.InputError(err)
	}
	flags.MigrationsDir = dir
	cfg, err := config.Load(config.LoadOptions{Flags: flags, LookupEnv: a.env})
	if err != nil {
		return nil, engine.InputError(err)
	}
	a.cfg = cfg
	return cfg, nil
}

// newEngine loads the configuration and builds an engine on it.
func (a *app) newEngine(dir string) (*engine.Engine, error) {
	cfg, err := a.loadConfig(dir)
	if err != nil {
		return nil, err
	}
	// Warnings (TLS verification off, hooks with on_error: warn) go to
	// stderr; the engine is quiet otherwise.
	logger := slog.New(&warnHandler{w: a.stderr})
	return engine.New(cfg, engine.WithEnv(a.env), engine.WithLogger(logger))
}

// overrides are the global flags as the configuration layer takes them. A
// flag given with an empty value, or --port 0, is an error: in a script,
// -k "$KEYSPACE" with the variable unset must not quietly fall back to the
// file's keyspace.
func (g Globals) overrides() (config.Overrides, error) {
	var o config.Overrides
	var errs []error
	str := func(flag string, v *string, dst *string) {
		if v == nil {
			return
		}
		if strings.TrimSpace(*v) == "" {
			errs = append(errs, fmt.Errorf("%s: empty value: give one, or leave the flag out", flag))
			return
		}
		*dst = *v
	}
	str("--config", g.Config, &o.ConfigPath)
	str("--profile", g.Profile, &o.Profile)
	str("--keyspace", g.Keyspace, &o.Keyspace)
	if g.Port != nil {
		if *g.Port < 1 || *g.Port > 65535 {
			errs = append(errs, fmt.Errorf("--port: must be a port between 1 and 65535, got %d", *g.Port))
		}
		o.Port = *g.Port
	}
	o.Hosts = g.Host
	return o, errors.Join(errs...)
}

// configPath is --config, or "" when it was not given.
func (g Globals) configPath() string {
	if g.Config == nil {
		return ""
	}
	return *g.Config
}

// portFlag is --port, or 0 (the default) when it was not given.
func portFlag(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
