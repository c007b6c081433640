// Package cli is cqltrack's command-line grammar and wiring: one kong struct
// per command whose Run method turns flags into engine calls and the engine's
// typed report into text or JSON. It holds no business logic.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/config"

	"github.com/alecthomas/kong"
)

// Version is the cqltrack version, set at build time with
// -ldflags "-X github.com/cqltrack/cqltrack/cmd/cqltrack/cli.Version=v1.2.3".
var Version = "dev"

// version is Version, or, for a binary built without the flag (go install
// github.com/cqltrack/cqltrack/cmd/cqltrack@v1.2.3), the module version Go
// recorded in it.
func version() string {
	if Version != "dev" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return Version
}

// Globals are the flags every command accepts.
type Globals struct {
	// Pointers: a flag given empty (-k "$UNSET") is an error, not the
	// configuration's value.
	Config   *string  `short:"c" name:"config" placeholder:"FILE" help:"Configuration file (default ./cqltrack.yml, or $$CQLTRACK_CONFIG)."`
	Profile  *string  `name:"profile" placeholder:"NAME" help:"Profile of the configuration file to apply (or $$CQLTRACK_PROFILE)."`
	Keyspace *string  `short:"k" name:"keyspace" placeholder:"NAME" help:"Keyspace to manage, overriding the configuration."`
	Host     []string `name:"host" sep:"none" placeholder:"HOST" help:"Contact point, repeatable or comma-separated, overriding the configuration."`
	Port     *int     `short:"p" name:"port" placeholder:"PORT" help:"Native protocol port, overriding the configuration."`
	JSON     bool     `name:"json" help:"Print the report as JSON (shapes in docs/cli.md)."`
}

// root is the whole grammar. Commands are added here as they are built; each
// one that exists works end to end.
type root struct {
	Globals

	Init       initCmd       `cmd:"" help:"Create the keyspace and the tracking tables (idempotent)."`
	Migrate    migrateCmd    `cmd:"" help:"Apply the pending migrations under the migration lock."`
	Rollback   rollbackCmd   `cmd:"" help:"Undo applied migrations with their down sections, newest first."`
	Status     statusCmd     `cmd:"" help:"Show every migration's state and the lock."`
	History    historyCmd    `cmd:"" help:"Show the event log: every attempt, failure, rollback, baseline, repair and forced unlock."`
	Pending    pendingCmd    `cmd:"" help:"List pending migrations; exit 1 when there are any (a CI gate)."`
	Baseline   baselineCmd   `cmd:"" help:"Adopt an existing database: mark migrations up to a version as applied."`
	Validate   validateCmd   `cmd:"" help:"Check applied migrations against their files; exit 1 on a modified or missing file."`
	Repair     repairCmd     `cmd:"" help:"Accept modified applied files and reset failed attempts."`
	Unlock     unlockCmd     `cmd:"" help:"Show who holds the migration lock; --force removes it."`
	Snapshot   snapshotCmd   `cmd:"" help:"Print the live keyspace as CQL that recreates it."`
	Diff       diffCmd       `cmd:"" help:"Compare two schemas: live keyspaces, profiles, snapshot files, migrations; exit 1 when they differ."`
	Drift      driftCmd      `cmd:"" help:"Compare the live keyspace with what its applied migrations produce; exit 1 on drift."`
	Lint       lintCmd       `cmd:"" help:"Check migration files against the lint rules; exit 1 on errors."`
	Rules      rulesCmd      `cmd:"" help:"List every lint rule: built-in and from configured plugins."`
	Cache      cacheCmd      `cmd:"" help:"Manage the compiled-plugin cache."`
	New        newCmd        `cmd:"" help:"Write a new migration file, numbered after the existing ones."`
	Plan       planCmd       `cmd:"" help:"Show what the pending migrations will change."`
	Profiles   profilesCmd   `cmd:"" help:"List the profiles of the configuration file."`
	Sandbox    sandboxCmd    `cmd:"" help:"Run an in-memory Cassandra stand-in for trying cqltrack (not a database)."`
	Completion completionCmd `cmd:"" help:"Print a shell completion script (bash, zsh or fish)."`
	Version    versionCmd    `cmd:"" help:"Print the cqltrack version."`
}

// env is how commands read the process environment; tests pass their own.
type env func(string) (string, bool)

// app carries what every Run method needs besides its own flags.
type app struct {
	stdout, stderr io.Writer
	env            env
	globals        *Globals
	color          bool
	// cfg is the configuration the command loaded (formatters come from it).
	cfg *config.Config
	// eng is the engine of a command that has one: it names versions as
	// the migration files write them.
	eng *engine.Engine
	// interrupted: Ctrl-C or SIGTERM arrived while the command worked.
	interrupted bool
}

// signalContext returns a context that Ctrl-C and SIGTERM cancel, and the
// function that stops listening for them, noting whether one arrived (so
// the exit code says interrupted only when a signal did it).
func (a *app) signalContext() (context.Context, func()) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	return ctx, func() {
		if ctx.Err() != nil {
			a.interrupted = true
		}
		stop()
	}
}

// exitRequest is how kong's exit hook (after --help, say) reaches Main
// without kong calling os.Exit itself.
type exitRequest struct{ code int }

// Main runs cqltrack with args (without the program name) and returns the
// process exit code. lookupEnv is usually os.LookupEnv.
func Main(args []string, stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) (code int) {
	var cli root
	a := &app{stdout: stdout, stderr: stderr, env: lookupEnv, globals: &cli.Globals}
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(exitRequest); ok {
				code = e.code
				return
			}
			panic(r)
		}
	}()
	parser, err := kong.New(&cli,
		kong.Name("cqltrack"),
		kong.Description("Schema migrations for Apache Cassandra: versioned CQL files applied safely across data centres."),
		kong.Writers(stdout, stderr),
		kong.Exit(func(c int) { panic(exitRequest{c}) }),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
		kong.Vars{"version": version()},
	)
	if err != nil {
		fmt.Fprintf(stderr, "cqltrack: %v\n", err)
		return ExitInternal
	}
	kctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintf(stderr, "cqltrack: %v\n", err)
		var perr *kong.ParseError
		if errors.As(err, &perr) {
			fmt.Fprintln(stderr, "run 'cqltrack --help' for usage")
		}
		return ExitInput
	}
	a.color = useColor(stdout, lookupEnv)
	err = kctx.Run(a)
	if err == nil {
		return ExitOK
	}
	var found *foundError
	if errors.As(err, &found) {
		return ExitFound
	}
	msg := err.Error()
	if a.interrupted && !strings.Contains(msg, "interrupted") {
		msg = "interrupted: " + msg
	}
	fmt.Fprintf(stderr, "cqltrack: %s\n", indentHint(msg))
	if a.interrupted {
		return ExitInterrupted
	}
	return exitCode(err)
}

// foundError is returned by a command whose check found something (exit 1).
// Its report was already printed, so Main prints nothing more.
type foundError struct{ what string }

func (f *foundError) Error() string { return f.what }

// indentHint keeps multi-line messages (an error, then "hint: ...") readable
// under the "cqltrack: " prefix.
func indentHint(msg string) string {
	return strings.ReplaceAll(msg, "\n", "\n  ")
}

type versionCmd struct{}

func (versionCmd) Run(a *app) error {
	if a.globals.JSON {
		return writeJSON(a.stdout, map[string]string{"version": version()})
	}
	_, err := fmt.Fprintf(a.stdout, "cqltrack %s\n", version())
	return err
}
