package cqltest

import (
	"encoding/json"
	"os"
	execpkg "os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// pythonCloudScript connects as the Python driver's Astra support does: with
// only a secure connect bundle and a token, and prints which nodes it knows
// and which it holds connections to.
const pythonCloudScript = `
import json, sys
from cassandra.cluster import Cluster
from cassandra.auth import PlainTextAuthProvider
bundle, token = sys.argv[1], sys.argv[2]
cluster = Cluster(cloud={"secure_connect_bundle": bundle, "connect_timeout": 5},
                  auth_provider=PlainTextAuthProvider("token", token), protocol_version=4)
session = cluster.connect()
row = session.execute("SELECT release_version, host_id FROM system.local").one()
hosts = cluster.metadata.all_hosts()
out = {
    "release": row.release_version,
    "host_ids": sorted(str(h.host_id) for h in hosts),
    "endpoints": sorted(set(str(h.endpoint) for h in hosts)),
    "up": sum(1 for h in hosts if h.is_up),
}
cluster.shutdown()
print(json.dumps(out))
`

// The DataStax Python driver's own Astra code (cassandra.datastax.cloud and
// its SNI end points) connects to the SNI proxy stand-in with nothing but
// the bundle: an independent check that the proxy, the metadata service and
// the bundle are what Astra's clients expect.
func TestPythonDriverConnectsThroughTheSNIProxy(t *testing.T) {
	python := pythonWithDriver(t)
	certs, err := NewTestCertificates(3)
	if err != nil {
		t.Fatal(err)
	}
	const token = "AstraCS:pyTest:0123456789abcdef"
	c := NewCluster(t, WithNodes(3), WithCredentials("token", token), WithSNIProxy(certs.ServerConfig(true)))
	dir := t.TempDir()
	bundle := filepath.Join(dir, "secure-connect.zip")
	if err := c.WriteSecureConnectBundle(bundle, certs, "app"); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "cloud.py")
	if err := os.WriteFile(script, []byte(pythonCloudScript), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := execpkg.Command(python, script, bundle, token)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python driver: %v\n%s", err, stderr.String())
	}
	var got struct {
		Release   string
		HostIDs   []string `json:"host_ids"`
		Endpoints []string
		Up        int
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("decode %s: %v", out, err)
	}
	var want []string
	for _, n := range c.Nodes() {
		want = append(want, n.HostID())
	}
	slices.Sort(want)
	if got.Release != DefaultReleaseVersion || !slices.Equal(got.HostIDs, want) || got.Up != 3 {
		t.Errorf("python driver saw %+v; want release %s and the 3 host ids %v up", got, DefaultReleaseVersion, want)
	}
	// The driver's SNI end points: the proxy's name and port, then the host id.
	_, port, _ := strings.Cut(c.SNIProxyAddr(), ":")
	var wantEndpoints []string
	for _, id := range want {
		wantEndpoints = append(wantEndpoints, SNIProxyHost+":"+port+":"+id)
	}
	if !slices.Equal(got.Endpoints, wantEndpoints) {
		t.Errorf("end points %v, want %v", got.Endpoints, wantEndpoints)
	}
	routed, rejected := c.SNIRoutes()
	for _, id := range want {
		if routed[id] == 0 {
			t.Errorf("the python driver reached no node %s through the proxy: %v", id, routed)
		}
	}
	if rejected != 0 {
		t.Errorf("the proxy refused %d of the python driver's connections", rejected)
	}
}
