// Package testscripts holds cqltrack's end-to-end tests: txtar scripts in
// this directory, each one behaviour of one command, run by testscript
// against the real command-line entry point.
package testscripts

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

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
	// One compiled-plugin cache for every script: compiling the built-in
	// rules takes seconds cold, and the cache is keyed by module content.
	cache := t.TempDir()
	t.Cleanup(func() {
		if pluginDir != "" {
			os.RemoveAll(pluginDir)
		}
	})
	testscript.Run(t, testscript.Params{
		Dir:                 ".",
		UpdateScripts:       *update,
		RequireExplicitExec: false,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exit":      cmdExit,
			"cluster":   cmdCluster,
			"port":      cmdPort,
			"plugin":    cmdPlugin,
			"tls":       cmdTLS,
			"interrupt": cmdInterrupt,
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "cqltest":
				// The in-process server: faults can be injected.
				return realHosts == "", nil
			case "realcluster":
				return realHosts != "", nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Setup: func(env *testscript.Env) error {
			// Keep each script hermetic: its own HOME and caches, no
			// colour, and no cqltrack settings leaking in from the machine.
			work := env.WorkDir
			env.Setenv("HOME", work)
			env.Setenv("XDG_CACHE_HOME", cache)
			env.Setenv("NO_COLOR", "1")
			env.Values["cluster"] = &clusterHolder{}
			for _, kv := range os.Environ() {
				if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "CQLTRACK_") {
					env.Setenv(name, "")
				}
			}
			return nil
		},
	})
}

// cmdExit runs a command and checks its exit status: `exit 2 cqltrack plan`.
// Exit codes are part of cqltrack's contract (docs/cli.md), so scripts
// assert the exact code, not only that the command failed. stdout and
// stderr are kept for the assertions that follow.
func cmdExit(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("usage: exit CODE command [args...] (no ! prefix: the code says it all)")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exit CODE command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exit: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exit: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// cmdPort helps scripts that run a server of their own:
//
//	port free VAR          set VAR to a free TCP port on 127.0.0.1
//	port wait HOST:PORT    wait (up to 20s) until something accepts there
func cmdPort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: port free VAR | port wait HOST:PORT")
	}
	switch args[0] {
	case "free":
		l, err := net.Listen("tcp", "127.0.0.1:0")
		ts.Check(err)
		port := l.Addr().(*net.TCPAddr).Port
		ts.Check(l.Close())
		ts.Setenv(args[1], strconv.Itoa(port))
	case "wait":
		deadline := time.Now().Add(20 * time.Second)
		for {
			c, err := net.DialTimeout("tcp", args[1], time.Second)
			if err == nil {
				c.Close()
				return
			}
			if time.Now().After(deadline) {
				ts.Fatalf("nothing accepts connections on %s: %v", args[1], err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	default:
		ts.Fatalf("usage: port free VAR | port wait HOST:PORT")
	}
}
