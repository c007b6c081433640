package cli

import (
	"log/slog"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/config"
)

// loadConfig resolves the configuration from the global flags, the
// environment and the file; dir, when set, overrides migrations.directory.
func (a *app) loadConfig(dir string) (*config.Config, error) {
	g := a.globals
	cfg, err := config.Load(config.LoadOptions{
		Flags: config.Overrides{
			ConfigPath: g.Config, Profile: g.Profile, Keyspace: g.Keyspace,
			Hosts: g.Host, Port: g.Port, MigrationsDir: dir,
		},
		LookupEnv: a.env,
	})
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
