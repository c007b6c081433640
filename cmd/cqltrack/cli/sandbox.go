package cli

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/cqltest"
)

type sandboxCmd struct {
	Nodes    int    `name:"nodes" default:"1" help:"Number of simulated nodes, on 127.0.0.1, 127.0.0.2, ..."`
	Username string `name:"username" placeholder:"USER" help:"Require PasswordAuthenticator credentials: the user name."`
	Password string `name:"password" placeholder:"PASSWORD" help:"Require PasswordAuthenticator credentials: the password."`
	Release  string `name:"release" placeholder:"VERSION" help:"Cassandra release to behave as (e.g. 4.1.5); default the newest."`
}

// Run starts the in-process test server and serves until interrupted. It
// is a stand-in for trying cqltrack, not a database: data lives in memory.
func (c *sandboxCmd) Run(a *app) error {
	if c.Nodes < 1 || c.Nodes > 32 {
		return engine.InputError(fmt.Errorf("--nodes must be between 1 and 32, got %d", c.Nodes))
	}
	if (c.Username == "") != (c.Password == "") {
		return engine.InputError(fmt.Errorf("--username and --password go together"))
	}
	ctx, stop := a.signalContext()
	defer stop()
	cl, err := cqltest.StartSandbox(cqltest.SandboxOptions{
		Port: portFlag(a.globals.Port), Nodes: c.Nodes, Username: c.Username, Password: c.Password,
		ReleaseVersion: c.Release,
	})
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return engine.InputError(fmt.Errorf("%w\nhint: is another Cassandra or sandbox using the port? choose another with --port", err))
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return engine.InputError(fmt.Errorf("%w\nhint: node N listens on 127.0.0.N; where only 127.0.0.1 exists (macOS), add the others with 'sudo ifconfig lo0 alias 127.0.0.N' or use --nodes 1", err))
	case errors.Is(err, syscall.EACCES):
		return engine.InputError(fmt.Errorf("%w\nhint: ports below 1024 need privileges; choose another with --port", err))
	case errors.Is(err, cqltest.ErrUnsupportedRelease):
		return engine.InputError(err)
	case err != nil:
		return err
	}
	defer cl.Close()
	hosts := strings.Join(cl.Hosts(), ",")
	fmt.Fprintf(a.stdout, "sandbox ready: %d node(s) on %s port %d, Cassandra %s stand-in, in memory\n",
		c.Nodes, hosts, cl.Port(), cl.ReleaseVersion())
	fmt.Fprintf(a.stdout, "connect with:  export CQLTRACK_HOSTS=%s CQLTRACK_PORT=%d\n", hosts, cl.Port())
	if c.Username != "" {
		fmt.Fprintf(a.stdout, "               export CQLTRACK_USERNAME=%s CQLTRACK_PASSWORD=...\n", c.Username)
	}
	fmt.Fprintln(a.stdout, "stop with Ctrl-C")
	<-ctx.Done()
	fmt.Fprintln(a.stdout, "sandbox stopped")
	return nil
}
