package cqltest

import (
	"encoding/json"
	"os"
	execpkg "os/exec"
	"reflect"
	"strconv"
	"strings"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// pythonWithDriver finds a python3 that can import the DataStax driver: the
// Debian package installs it for the system interpreter, which may not be
// the first python3 on PATH.
func pythonWithDriver(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		path, err := execpkg.LookPath(p)
		if err != nil {
			continue
		}
		if execpkg.Command(path, "-c", "import cassandra.cluster").Run() == nil {
			return path
		}
	}
	t.Skip("the DataStax Python driver is not installed (apt-get install -y python3-cassandra)")
	return ""
}

// pythonMetadataScript connects with the Python driver's defaults and prints
// what cluster.metadata knows, as JSON.
const pythonMetadataScript = `
import json, sys
from cassandra.cluster import Cluster
port, hosts, ks = int(sys.argv[1]), sys.argv[2].split(","), sys.argv[3]
auth = None
if len(sys.argv) > 5:
    from cassandra.auth import PlainTextAuthProvider
    auth = PlainTextAuthProvider(username=sys.argv[4], password=sys.argv[5])
cluster = Cluster(hosts, port=port, auth_provider=auth)
session = cluster.connect()
md = cluster.metadata
km = md.keyspaces[ks]
out = {
    "protocol": cluster.protocol_version,
    "hosts": sorted(h.address for h in md.all_hosts()),
    "dcs": sorted(set(h.datacenter for h in md.all_hosts())),
    "partitioner": md.partitioner,
    "replication": km.replication_strategy.export_for_schema(),
    "tables": {
        name: {
            "partition_key": [c.name for c in t.partition_key],
            "clustering_key": [c.name for c in t.clustering_key],
            "columns": {c.name: c.cql_type for c in t.columns.values()},
        } for name, t in km.tables.items()
    },
    "types": {name: list(zip(u.field_names, u.field_types)) for name, u in km.user_types.items()},
    "indexes": sorted(km.indexes),
    "virtual": sorted(k for k, m in md.keyspaces.items() if getattr(m, "virtual", False)),
    "rows": [list(r) for r in session.execute("SELECT k, v FROM %s.items WHERE k = 1" % ks)],
}
cluster.shutdown()
print(json.dumps(out))
`

func TestPythonDriverReadsMetadata(t *testing.T) {
	python := pythonWithDriver(t)
	tg := newTarget(t, false, WithNodes(3))
	checkPythonMetadata(t, python, tg, nil)
}

func TestPythonDriverLogsIn(t *testing.T) {
	python := pythonWithDriver(t)
	tg := newTarget(t, true, WithNodes(2), WithCredentials("cassandra", "s3cret"))
	checkPythonMetadata(t, python, tg, []string{"cassandra", "s3cret"})
}

// checkPythonMetadata creates a schema through gocql, then has the Python
// driver connect (with credentials when given) and describe it.
func checkPythonMetadata(t *testing.T, python string, tg target, creds []string) {
	t.Helper()
	s := tg.session(t, func(cfg *gocql.ClusterConfig) {
		if creds != nil {
			cfg.Authenticator = gocql.PasswordAuthenticator{Username: creds[0], Password: creds[1]}
		}
	})
	ks := keyspace(t, s)
	exec(t, s, "CREATE TYPE "+ks+".address (street text, zip int)")
	exec(t, s, "CREATE TABLE "+ks+".items (k int, c timeuuid, v text, home frozen<address>, tags map<text, int>, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC)")
	exec(t, s, "CREATE INDEX items_v ON "+ks+".items (v)")
	exec(t, s, "INSERT INTO "+ks+".items (k, c, v) VALUES (1, now(), 'hello')")

	script := t.TempDir() + "/metadata.py"
	if err := os.WriteFile(script, []byte(pythonMetadataScript), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{script, strconv.Itoa(tg.port), strings.Join(tg.hosts, ","), ks}, creds...)
	cmd := execpkg.Command(python, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python driver: %v\n%s", err, stderr.String())
	}
	if stderr.Len() > 0 {
		// The driver logs its protocol downgrade and anything it did not
		// like about the answers; keep it in the test log.
		t.Logf("python driver stderr:\n%s", stderr.String())
	}
	var got struct {
		Protocol    int
		Hosts       []string
		DCs         []string `json:"dcs"`
		Partitioner string
		Replication string
		Tables      map[string]struct {
			PartitionKey  []string          `json:"partition_key"`
			ClusteringKey []string          `json:"clustering_key"`
			Columns       map[string]string `json:"columns"`
		}
		Types   map[string][][]string
		Indexes []string
		Virtual []string
		Rows    [][]any
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("decode %s: %v", out, err)
	}
	if got.Protocol != 4 {
		t.Errorf("protocol %d, want 4 after falling back", got.Protocol)
	}
	if tg.c != nil && !reflect.DeepEqual(got.Hosts, tg.c.Hosts()) {
		t.Errorf("hosts %v, want %v", got.Hosts, tg.c.Hosts())
	}
	if got.Partitioner != "org.apache.cassandra.dht.Murmur3Partitioner" {
		t.Errorf("partitioner %q", got.Partitioner)
	}
	if !strings.Contains(got.Replication, "'SimpleStrategy'") {
		t.Errorf("replication %q", got.Replication)
	}
	items, ok := got.Tables["items"]
	if !ok {
		t.Fatalf("tables %v", got.Tables)
	}
	wantCols := map[string]string{"k": "int", "c": "timeuuid", "v": "text", "home": "frozen<address>", "tags": "map<text, int>"}
	if !reflect.DeepEqual(items.PartitionKey, []string{"k"}) || !reflect.DeepEqual(items.ClusteringKey, []string{"c"}) ||
		!reflect.DeepEqual(items.Columns, wantCols) {
		t.Errorf("items: %+v", items)
	}
	if want := [][]string{{"street", "text"}, {"zip", "int"}}; !reflect.DeepEqual(got.Types["address"], want) {
		t.Errorf("type address: %v", got.Types["address"])
	}
	if !reflect.DeepEqual(got.Indexes, []string{"items_v"}) {
		t.Errorf("indexes %v", got.Indexes)
	}
	if tg.c != nil && !reflect.DeepEqual(got.Virtual, []string{"system_views", "system_virtual_schema"}) {
		t.Errorf("virtual keyspaces %v", got.Virtual)
	}
	if len(got.Rows) != 1 || got.Rows[0][1] != "hello" {
		t.Errorf("rows %v", got.Rows)
	}
}
