package testscripts

import (
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cqltrack/cqltrack/engine/cqltest"
)

// cmdTLS starts in-process clusters that speak TLS, with certificates
// generated for the script and written into $WORK/certs:
//
//	tls start [NODES] [OPTION...]   a TLS cluster; writes certs/ca.pem,
//	                                certs/client.pem, certs/client-key.pem and
//	                                sets CQLTRACK_HOSTS, CQLTRACK_PORT,
//	                                CQLTRACK_KEYSPACE and KEYSPACE (app).
//	                                Options: mtls (client certificates
//	                                required), expired (the server's
//	                                certificate expired yesterday),
//	                                name=HOST (the server's certificate names
//	                                only HOST), keyspaces (system.local says
//	                                Amazon Keyspaces, as its endpoints do)
//	tls ca NAME                     another CA with its own client
//	                                certificate: certs/NAME-ca.pem,
//	                                certs/NAME-client.pem, certs/NAME-client-key.pem
//	tls astra [NODES] [TOKEN]       an Astra DB stand-in: nodes behind an SNI
//	                                proxy with a metadata service, token
//	                                authentication (user "token", password
//	                                TOKEN) when given; writes the bundle
//	                                secure-connect-app.zip and sets
//	                                CQLTRACK_KEYSPACE and KEYSPACE (app)
//	tls bundle NAME FILE            write the Astra stand-in's bundle again as
//	                                FILE, with the certificates of CA NAME
//	tls routes                      print how many of the Astra stand-in's
//	                                nodes the SNI proxy routed connections to
//	                                by host id, and how many it refused
//
// Register it as "tls" in TestScripts' Cmds. It needs the in-process server:
// scripts guard their use with [!cqltest] skip.
func cmdTLS(ts *testscript.TestScript, neg bool, args []string) {
	const usage = "usage: tls start [NODES] [mtls|expired|name=HOST|keyspaces...] | tls ca NAME | tls astra [NODES] [TOKEN] | tls bundle NAME FILE | tls routes"
	if neg || len(args) == 0 {
		ts.Fatalf(usage)
	}
	if realHosts != "" {
		ts.Fatalf("tls %s: needs the in-process server (CQLTRACK_TEST_HOSTS is set)", args[0])
	}
	h := holder(ts)
	certDir := ts.MkAbs("certs")
	ts.Check(os.MkdirAll(certDir, 0o700))
	switch args[0] {
	case "start":
		nodes, rest := nodeCount(ts, args[1:])
		certs, err := cqltest.NewTestCertificates(nodes)
		ts.Check(err)
		_, _, _, err = certs.WriteFiles(certDir)
		ts.Check(err)
		server := certs.ServerConfig(false)
		opts := []cqltest.Option{}
		for _, o := range rest {
			switch name, value, _ := strings.Cut(o, "="); name {
			case "mtls":
				server = certs.ServerConfig(true)
			case "expired":
				c, err := certs.IssueServer(time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour), tlsHosts(nodes)...)
				ts.Check(err)
				server.Certificates = []tls.Certificate{c}
			case "name":
				c, err := certs.IssueServer(time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour), value)
				ts.Check(err)
				server.Certificates = []tls.Certificate{c}
			case "keyspaces":
				opts = append(opts, cqltest.WithClusterName("Amazon Keyspaces"))
			default:
				ts.Fatalf("tls start: unknown option %q\n%s", o, usage)
			}
		}
		// Options that replace the certificate keep mtls's client check.
		startCluster(ts, h, nodes, append(opts, cqltest.WithTLS(server))...)
	case "ca":
		if len(args) != 2 {
			ts.Fatalf(usage)
		}
		certs, err := cqltest.NewTestCertificates(1)
		ts.Check(err)
		tlsCAs(ts)[args[1]] = certs
		ca, cert, key, err := certs.WriteFiles(ts.MkAbs(".tmp"))
		ts.Check(err)
		for from, to := range map[string]string{ca: "ca.pem", cert: "client.pem", key: "client-key.pem"} {
			ts.Check(os.Rename(from, filepath.Join(certDir, args[1]+"-"+to)))
		}
	case "astra":
		nodes, rest := nodeCount(ts, args[1:])
		if len(rest) > 1 {
			ts.Fatalf(usage)
		}
		certs, err := cqltest.NewTestCertificates(nodes)
		ts.Check(err)
		_, _, _, err = certs.WriteFiles(certDir)
		ts.Check(err)
		opts := []cqltest.Option{cqltest.WithNodes(nodes), cqltest.WithSNIProxy(certs.ServerConfig(true))}
		if len(rest) == 1 {
			opts = append(opts, cqltest.WithCredentials("token", rest[0]))
		}
		if h.c != nil {
			ts.Fatalf("cluster already started")
		}
		c, err := cqltest.Start(opts...)
		ts.Check(err)
		ts.Defer(c.Close)
		h.c = c
		tlsCAs(ts)["astra"] = certs
		ts.Check(c.WriteSecureConnectBundle(ts.MkAbs("secure-connect-app.zip"), certs, "app"))
		ts.Setenv("CQLTRACK_KEYSPACE", "app")
		ts.Setenv("KEYSPACE", "app")
	case "bundle":
		if len(args) != 3 || h.c == nil {
			ts.Fatalf("%s (after tls astra and tls ca NAME)", usage)
		}
		certs, ok := tlsCAs(ts)[args[1]]
		if !ok {
			ts.Fatalf("tls bundle: no CA %q (make it with tls ca %s)", args[1], args[1])
		}
		ts.Check(h.c.WriteSecureConnectBundle(ts.MkAbs(args[2]), certs, "app"))
	case "routes":
		if h.c == nil || h.c.SNIProxyAddr() == "" {
			ts.Fatalf("tls routes: start an Astra stand-in first (tls astra)")
		}
		routed, rejected := h.c.SNIRoutes()
		reached := 0
		for _, n := range h.c.Nodes() {
			if routed[n.HostID()] > 0 {
				reached++
			}
		}
		fmt.Fprintf(ts.Stdout(), "routed to %d of %d nodes by host id, %d refused\n", reached, len(h.c.Nodes()), rejected)
	default:
		ts.Fatalf(usage)
	}
}

// scriptCAs holds each running script's certificate authorities by name
// (*testscript.TestScript -> map[string]*cqltest.TestCertificates), so that
// tls bundle can reuse them; a script's entry goes when it ends.
var scriptCAs sync.Map

func tlsCAs(ts *testscript.TestScript) map[string]*cqltest.TestCertificates {
	v, loaded := scriptCAs.LoadOrStore(ts, map[string]*cqltest.TestCertificates{})
	if !loaded {
		ts.Defer(func() { scriptCAs.Delete(ts) })
	}
	// One script runs its commands one at a time: the map needs no lock.
	return v.(map[string]*cqltest.TestCertificates)
}

// nodeCount reads an optional leading node count.
func nodeCount(ts *testscript.TestScript, args []string) (int, []string) {
	if len(args) > 0 {
		if n, err := strconv.Atoi(args[0]); err == nil {
			if n < 1 {
				ts.Fatalf("tls: %d nodes", n)
			}
			return n, args[1:]
		}
	}
	return 1, args
}

// tlsHosts are the addresses of a cluster's nodes, as its certificate
// names them.
func tlsHosts(nodes int) []string {
	hosts := []string{"localhost"}
	for i := 1; i <= nodes; i++ {
		hosts = append(hosts, fmt.Sprintf("127.0.0.%d", i))
	}
	return hosts
}
