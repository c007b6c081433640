// Package testscripts holds cqltrack's end-to-end tests: txtar scripts in
// this directory, each one behaviour of one command, run by testscript
// against the real command-line entry point.
package testscripts

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cqltrack/cqltrack/cmd/cqltrack/cli"
)

var update = flag.Bool("update", false, "rewrite the scripts' golden files with the actual output")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"cqltrack": func() { os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr, os.LookupEnv)) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 ".",
		UpdateScripts:       *update,
		RequireExplicitExec: false,
		Setup: func(env *testscript.Env) error {
			// Keep each script hermetic: its own HOME and caches, no
			// colour, and no cqltrack settings leaking in from the machine.
			work := env.WorkDir
			env.Setenv("HOME", work)
			env.Setenv("XDG_CACHE_HOME", filepath.Join(work, ".cache"))
			env.Setenv("NO_COLOR", "1")
			for _, kv := range os.Environ() {
				if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "CQLTRACK_") {
					env.Setenv(name, "")
				}
			}
			return nil
		},
	})
}
