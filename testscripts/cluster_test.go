package testscripts

import (
	"crypto/rand"
	"sort"
	"time"

	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
)

// realHosts is CQLTRACK_TEST_HOSTS: when set, scripts run against that real
// cluster instead of an in-process engine/cqltest server.
var realHosts = os.Getenv("CQLTRACK_TEST_HOSTS")

// clusterHolder is the per-script cluster, kept in the script's values.
type clusterHolder struct {
	c      *cqltest.Cluster
	paused *cqltest.Injection // the fault of the last cluster pause
}

func holder(ts *testscript.TestScript) *clusterHolder {
	return ts.Value("cluster").(*clusterHolder)
}

// cmdCluster drives the script's cluster:
//
//	cluster start [release=V] [NODES [USER PASS]]
//	                                   start it; sets CQLTRACK_HOSTS, CQLTRACK_PORT,
//	                                   CQLTRACK_KEYSPACE and KEYSPACE for the script.
//	                                   release=V: the stand-in presents Cassandra V
//	                                   (e.g. 3.11.17); a script that needs one
//	                                   begins with [!cqltest] skip
//	cluster fail MATCH CODE MSG [NTH]  answer the NTH statement containing MATCH
//	                                   (every one when NTH is 0 or absent) with
//	                                   error CODE (hex, e.g. 0x2200) and MSG
//	cluster pause MATCH                execute statements containing MATCH but hold
//	                                   their answers (the client waits)
//	cluster wait                       wait (up to 30s) until the pause holds a
//	                                   statement, e.g. of a command run in the
//	                                   background with exec ... &
//	cluster resume                     end the pause: held answers go out
//	cluster interrupt CMD [ARGS...]    run CMD, send it SIGINT (Ctrl-C) once the
//	                                   pause holds one of its statements, and
//	                                   print its output and its exit code
//	cluster disagree NODE              NODE (from 1) never takes schema changes
//	cluster agree NODE                 NODE takes schema changes again, and
//	                                   catches up with the others
//	cluster down NODE                  NODE stops answering
//	cluster cql STATEMENT              run STATEMENT with the driver (a hand-made
//	                                   change, a lock row); rows go to stdout
//
// Against a real cluster (CQLTRACK_TEST_HOSTS) only start works; scripts that
// inject faults guard those lines with [cqltest].
func cmdCluster(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("usage: cluster start|fail|disagree|down ...")
	}
	if len(args) == 0 {
		ts.Fatalf("usage: cluster start|fail|disagree|down ...")
	}
	h := holder(ts)
	if args[0] == "cql" {
		runCQL(ts, args[1:])
		return
	}
	if args[0] != "start" && h.c == nil {
		ts.Fatalf("cluster %s: no in-process cluster (start one first; not available with CQLTRACK_TEST_HOSTS)", args[0])
	}
	switch args[0] {
	case "start":
		var opts []cqltest.Option
		if len(args) > 1 && strings.HasPrefix(args[1], "release=") {
			if realHosts != "" {
				ts.Fatalf("cluster start %s: a real cluster runs the release it runs; begin the script with [!cqltest] skip", args[1])
			}
			opts = append(opts, cqltest.WithReleaseVersion(strings.TrimPrefix(args[1], "release=")))
			args = append(args[:1:1], args[2:]...)
		}
		nodes := 1
		if len(args) > 1 {
			n, err := strconv.Atoi(args[1])
			ts.Check(err)
			nodes = n
		}
		if len(args) == 4 {
			opts = append(opts, cqltest.WithCredentials(args[2], args[3]))
		}
		startCluster(ts, h, nodes, opts...)
	case "fail":
		if len(args) < 4 {
			ts.Fatalf("usage: cluster fail MATCH CODE MSG [NTH]")
		}
		code, err := strconv.ParseInt(strings.TrimPrefix(args[2], "0x"), 16, 32)
		ts.Check(err)
		f := cqltest.Fault{Match: args[1], Err: &wire.Error{Code: wire.ErrorCode(code), Message: args[3]}}
		if len(args) > 4 {
			f.Nth, err = strconv.Atoi(args[4])
			ts.Check(err)
		}
		h.c.Inject(f)
	case "pause":
		if len(args) != 2 {
			ts.Fatalf("usage: cluster pause MATCH")
		}
		h.paused = h.c.Inject(cqltest.Fault{Match: args[1], Pause: true})
		ts.Defer(h.paused.Remove)
	case "interrupt":
		if h.paused == nil || len(args) < 2 {
			ts.Fatalf("usage: cluster interrupt CMD [ARGS...] (after cluster pause)")
		}
		paused := h.paused
		interrupt(ts, args[1], args[2:], "sent no statement the pause holds", func(*os.Process) <-chan string {
			return paused.Paused()
		})
	case "wait":
		if h.paused == nil {
			ts.Fatalf("cluster wait: no cluster pause in force")
		}
		select {
		case stmt := <-h.paused.Paused():
			ts.Logf("paused: %s", stmt)
		case <-time.After(30 * time.Second):
			ts.Fatalf("cluster wait: no statement paused within 30s")
		}
	case "resume":
		if h.paused == nil {
			ts.Fatalf("cluster resume: no cluster pause in force")
		}
		h.paused.Remove()
		h.paused = nil
	case "disagree", "agree", "down":
		if len(args) != 2 {
			ts.Fatalf("usage: cluster %s NODE", args[0])
		}
		n, err := strconv.Atoi(args[1])
		ts.Check(err)
		node := h.c.Node(n)
		if node == nil {
			ts.Fatalf("cluster has no node %d", n)
		}
		switch args[0] {
		case "disagree", "agree":
			node.SetSchemaAgreement(args[0] == "agree")
		default:
			ts.Check(node.SetDown(true))
		}
	default:
		ts.Fatalf("unknown cluster command %q", args[0])
	}
}

// interrupt runs a command as the script would, in its directory and with
// its cluster settings, and sends it SIGINT once ready reports that it is
// where the script wants it (what that is goes in the log), as a person
// pressing Ctrl-C mid-run. It prints the command's output, then "exit N"
// with its exit code (which a background exec and kill cannot report).
// waiting says what the command failed to do when ready never fires.
func interrupt(ts *testscript.TestScript, name string, args []string, waiting string, ready func(*os.Process) <-chan string) {
	path, err := exec.LookPath(name)
	ts.Check(err)
	cmd := exec.Command(path, args...)
	cmd.Dir = ts.MkAbs(".")
	// The script's environment as far as cqltrack reads it: testscript
	// does not list its variables, so name them.
	names := []string{"PATH", "HOME", "TMPDIR", "XDG_CACHE_HOME", "NO_COLOR"}
	for _, ev := range config.EnvVars() {
		names = append(names, ev.Name)
	}
	for _, k := range names {
		if v := ts.Getenv(k); v != "" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	ts.Check(cmd.Start())
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait() // a non-zero exit is what is reported
		close(exited)
	}()
	select {
	case what := <-ready(cmd.Process):
		ts.Logf("interrupting: %s", what)
		ts.Check(cmd.Process.Signal(os.Interrupt))
		<-exited
	case <-exited:
		ts.Logf("%s ended before it could be interrupted", name)
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
		ts.Fatalf("interrupt: %s %s within 30s", name, waiting)
	}
	fmt.Fprintf(ts.Stdout(), "%sexit %d\n", stdout.String(), cmd.ProcessState.ExitCode())
	fmt.Fprint(ts.Stderr(), stderr.String())
}

func startCluster(ts *testscript.TestScript, h *clusterHolder, nodes int, opts ...cqltest.Option) {
	if h.c != nil {
		ts.Fatalf("cluster already started")
	}
	if realHosts != "" {
		// A real cluster is shared: every script gets a keyspace of its own.
		var b [4]byte
		_, _ = rand.Read(b[:])
		ks := "cqltrack_ts_" + hex.EncodeToString(b[:])
		ts.Setenv("CQLTRACK_HOSTS", realHosts)
		ts.Setenv("CQLTRACK_PORT", os.Getenv("CQLTRACK_TEST_PORT"))
		ts.Setenv("CQLTRACK_KEYSPACE", ks)
		ts.Setenv("KEYSPACE", ks)
		return
	}
	c, err := cqltest.Start(append([]cqltest.Option{cqltest.WithNodes(nodes)}, opts...)...)
	ts.Check(err)
	ts.Defer(c.Close)
	h.c = c
	ts.Setenv("CQLTRACK_HOSTS", strings.Join(c.Hosts(), ","))
	ts.Setenv("CQLTRACK_PORT", fmt.Sprint(c.Port()))
	ts.Setenv("CQLTRACK_KEYSPACE", "app")
	ts.Setenv("KEYSPACE", "app")
}

// runCQL executes one statement against the script's cluster with gocql,
// as a person with cqlsh would, and prints the rows it returns.
func runCQL(ts *testscript.TestScript, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: cluster cql STATEMENT")
	}
	hosts := strings.Split(ts.Getenv("CQLTRACK_HOSTS"), ",")
	if hosts[0] == "" {
		ts.Fatalf("cluster cql: start the cluster first")
	}
	c := gocql.NewCluster(hosts...)
	if p, err := strconv.Atoi(ts.Getenv("CQLTRACK_PORT")); err == nil && p > 0 {
		c.Port = p
	}
	if u := ts.Getenv("CQLTRACK_USERNAME"); u != "" {
		c.Authenticator = gocql.PasswordAuthenticator{Username: u, Password: ts.Getenv("CQLTRACK_PASSWORD")}
	}
	c.Timeout = 10 * time.Second
	s, err := c.CreateSession()
	ts.Check(err)
	defer s.Close()
	iter := s.Query(args[0]).Iter()
	rows, err := iter.SliceMap()
	ts.Check(err)
	for _, row := range rows {
		keys := make([]string, 0, len(row))
		for k := range row {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s=%v", k, row[k])
		}
		fmt.Fprintln(ts.Stdout(), strings.Join(parts, " "))
	}
}
