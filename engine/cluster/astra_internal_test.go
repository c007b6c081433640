package cluster

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cqltrack/cqltrack/engine/cqltest"
)

func TestKeyspacesEndpoint(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"cassandra.us-east-1.amazonaws.com", true},
		{"cassandra.eu-west-1.amazonaws.com:9142", true},
		{"CASSANDRA.AP-SOUTH-1.AMAZONAWS.COM.", true},
		{"cassandra-fips.us-gov-west-1.amazonaws.com", true},
		{"cassandra.cn-north-1.amazonaws.com.cn", true},
		{"vpce-0123-abcd.cassandra.us-east-1.vpce.amazonaws.com", true},
		// Cassandra on EC2 is Cassandra: only the service's names count.
		{"ec2-3-80-1-2.compute-1.amazonaws.com", false},
		{"cassandra-node1.internal.example.com", false},
		{"10.0.0.5:9142", false},
		{"127.0.0.1", false},
	}
	for _, tt := range tests {
		if got := keyspacesEndpoint(tt.host); got != tt.want {
			t.Errorf("keyspacesEndpoint(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
}

func TestKeyspacesCluster(t *testing.T) {
	tests := []struct {
		clusterName, partitioner string
		want                     bool
	}{
		{"Amazon Keyspaces", "com.amazonaws.cassandra.DefaultPartitioner", true},
		{"my ring", "com.amazonaws.cassandra.DefaultPartitioner", true},
		{"Amazon Keyspaces", "", true},
		{"Test Cluster", "org.apache.cassandra.dht.Murmur3Partitioner", false},
	}
	for _, tt := range tests {
		if got := keyspacesCluster(tt.clusterName, tt.partitioner); got != tt.want {
			t.Errorf("keyspacesCluster(%q, %q) = %v, want %v", tt.clusterName, tt.partitioner, got, tt.want)
		}
	}
}

// The dialer checks the proxy's certificate against the proxy's host name,
// not against the host id it sends as the server name: a proxy whose
// certificate names another host is refused.
func TestSNIDialerVerifiesTheProxyName(t *testing.T) {
	certs, err := cqltest.NewTestCertificates(1)
	if err != nil {
		t.Fatal(err)
	}
	c := cqltest.NewCluster(t, cqltest.WithSNIProxy(certs.ServerConfig(true)))
	path := filepath.Join(t.TempDir(), "bundle.zip")
	if err := c.WriteSecureConnectBundle(path, certs, "app"); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBundle(path)
	if err != nil {
		t.Fatal(err)
	}
	ci, err := b.fetchContactInfo(context.Background(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(ci.ContactPoints) != 1 || ci.ContactPoints[0] != c.Node(1).HostID() || ci.LocalDC != "datacenter1" {
		t.Fatalf("contact info %+v, want node 1's host id in datacenter1", ci)
	}
	contact, err := gocql.NewHostInfoFromAddrPort(net.IPv4(0, 0, 0, 1), 9042)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		proxyName string // what the certificate must name
		wantErr   string
	}{
		{"the name in the certificate", cqltest.SNIProxyHost, ""},
		{"an address the certificate also holds", "127.0.0.1", ""},
		{"a name the certificate does not hold", "db.example.com", "db.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newSNIDialer(b, ci, 2*time.Second)
			d.proxyHost = tt.proxyName
			dh, err := d.DialHost(context.Background(), contact)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				defer dh.Conn.Close()
				tc, ok := dh.Conn.(*tls.Conn)
				if !ok {
					t.Fatalf("dialled a %T, want a TLS connection", dh.Conn)
				}
				if got := tc.ConnectionState().ServerName; got != c.Node(1).HostID() {
					t.Errorf("server name %q, want the host id %s", got, c.Node(1).HostID())
				}
				return
			}
			if err == nil {
				dh.Conn.Close()
				t.Fatal("connected to a proxy whose certificate names another host")
			}
			if !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), ci.ContactPoints[0]) {
				t.Errorf("error %q: want the host id and %q", err, tt.wantErr)
			}
		})
	}
}

// What the metadata service may answer besides contact points: each is an
// error naming the service, never a session to somewhere else.
func TestFetchContactInfoRefusesBadAnswers(t *testing.T) {
	certs, err := cqltest.NewTestCertificates(1)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		status  int
		header  map[string]string
		body    string
		wantErr string
	}{
		{"service unavailable", http.StatusServiceUnavailable, nil, "parked", "503"},
		{"not JSON", http.StatusOK, nil, "<html>", "invalid character"},
		{"no proxy", http.StatusOK, nil, `{"contact_info": {"contact_points": ["a"], "local_dc": "dc1"}}`, "no SNI proxy"},
		{"no contact points", http.StatusOK, nil, `{"contact_info": {"sni_proxy_address": "db:29042"}}`, "no contact points"},
		{"proxy without a port", http.StatusOK, nil, `{"contact_info": {"sni_proxy_address": "db", "contact_points": ["a"]}}`, "sni_proxy_address"},
		{"redirect", http.StatusFound, map[string]string{"Location": "https://elsewhere.example/metadata"}, "", "302"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			srv.TLS = certs.ServerConfig(true)
			srv.StartTLS()
			defer srv.Close()
			_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
			p, _ := strconv.Atoi(port)
			b := &Bundle{Host: "127.0.0.1", Port: p, roots: certs.CA, cert: certs.Client}
			ci, err := b.fetchContactInfo(context.Background(), 5*time.Second)
			if err == nil {
				t.Fatalf("accepted %+v", ci)
			}
			if !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), b.metadataURL()) {
				t.Errorf("error %q: want the service's URL and %q", err, tt.wantErr)
			}
		})
	}
}
