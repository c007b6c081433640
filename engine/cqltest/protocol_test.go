package cqltest

import (
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
)

func TestProtocolVersionNegotiation(t *testing.T) {
	c := NewCluster(t)
	tests := []struct {
		name        string
		version     byte
		wantVersion byte
		wantMsg     string
	}{
		{"v5 is refused in a v5 frame", 5, 5, "Invalid or unsupported protocol version (5); supported versions are (3/v3, 4/v4)"},
		{"v6 is refused in a v4 frame", 6, 4, "Invalid or unsupported protocol version (6); supported versions are (3/v3, 4/v4)"},
		{"v3 is rejected as an older protocol", 3, 3, "Rejecting Protocol Version 3/v3 < 4/v4."},
		{"v2 is answered in its own version", 2, 2, "Invalid or unsupported protocol version (2); supported versions are (3/v3, 4/v4)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := dialRaw(t, c.Node(1).Addr())
			r.send(tt.version, 7, wire.OpOptions, nil)
			f := r.recv()
			if f.Header.Version != tt.wantVersion || !f.Header.Response || f.Header.Stream != 7 {
				t.Fatalf("header %+v, want version %d response on stream 7", f.Header, tt.wantVersion)
			}
			e := frameError(t, f)
			if e.Code != wire.CodeProtocolError || e.Message != tt.wantMsg {
				t.Fatalf("error %#x %q, want ProtocolError %q", e.Code, e.Message, tt.wantMsg)
			}
		})
	}
}

func TestHandshakeOrder(t *testing.T) {
	c := NewCluster(t)
	r := dialRaw(t, c.Node(1).Addr())

	e := frameError(t, r.query(1, "SELECT * FROM system.local"))
	if e.Code != wire.CodeProtocolError || e.Message != "Unexpected message QUERY, expecting STARTUP or OPTIONS" {
		t.Fatalf("query before STARTUP: %#x %q", e.Code, e.Message)
	}

	r.send(4, 2, wire.OpOptions, nil)
	f := r.recv()
	if f.Header.Opcode != wire.OpSupported {
		t.Fatalf("OPTIONS answered with %s", f.Header.Opcode)
	}
	sup := wire.NewReader(f.Body).StringMultimap()
	if got := strings.Join(sup["PROTOCOL_VERSIONS"], ","); got != "3/v3,4/v4" {
		t.Errorf("PROTOCOL_VERSIONS = %q", got)
	}
	if got := sup["CQL_VERSION"]; len(got) != 1 || got[0] != "3.4.7" {
		t.Errorf("CQL_VERSION = %q, want 3.4.7 for Cassandra 5.0", got)
	}
	if _, ok := sup["COMPRESSION"]; !ok {
		t.Errorf("SUPPORTED lacks COMPRESSION, which drivers index without checking")
	}

	r.send(4, 3, wire.OpStartup, wire.EncodeStartup(nil, nil))
	e = frameError(t, r.recv())
	if e.Message != "Missing value CQL_VERSION in STARTUP message" {
		t.Fatalf("STARTUP without CQL_VERSION: %q", e.Message)
	}
	r.startup()
	r.send(4, 4, wire.OpStartup, wire.EncodeStartup([]string{"CQL_VERSION"}, map[string]string{"CQL_VERSION": "3.0.0"}))
	if e := frameError(t, r.recv()); e.Message != "Unexpected message STARTUP, the connection is already initialized" {
		t.Fatalf("second STARTUP: %q", e.Message)
	}
}

func TestAuthHandshake(t *testing.T) {
	c := NewCluster(t, WithCredentials("cassandra", "s3cret"))
	tests := []struct {
		name    string
		token   string
		wantOp  wire.Opcode
		wantErr string
	}{
		{"good credentials", "\x00cassandra\x00s3cret", wire.OpAuthSuccess, ""},
		{"good credentials with authzid", "cassandra\x00cassandra\x00s3cret", wire.OpAuthSuccess, ""},
		{"wrong password", "\x00cassandra\x00nope", wire.OpError, "Provided username cassandra and/or password are incorrect"},
		{"unknown user", "\x00mallory\x00s3cret", wire.OpError, "Provided username mallory and/or password are incorrect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := dialRaw(t, c.Node(1).Addr())
			r.send(4, 1, wire.OpStartup, wire.EncodeStartup([]string{"CQL_VERSION"}, map[string]string{"CQL_VERSION": "3.0.0"}))
			f := r.recv()
			if f.Header.Opcode != wire.OpAuthenticate || wire.NewReader(f.Body).String() != "org.apache.cassandra.auth.PasswordAuthenticator" {
				t.Fatalf("STARTUP answered with %s %q", f.Header.Opcode, f.Body)
			}
			e := frameError(t, r.query(2, "SELECT * FROM system.local"))
			if e.Message != "Unexpected message QUERY, expecting SASL_RESPONSE" {
				t.Fatalf("query before login: %q", e.Message)
			}
			var w wire.Writer
			w.Bytes([]byte(tt.token))
			r.send(4, 3, wire.OpAuthResponse, w.B)
			f = r.recv()
			if f.Header.Opcode != tt.wantOp {
				t.Fatalf("AUTH_RESPONSE answered with %s", f.Header.Opcode)
			}
			if tt.wantErr != "" {
				if e := frameError(t, f); e.Code != wire.CodeBadCredentials || e.Message != tt.wantErr {
					t.Fatalf("error %#x %q", e.Code, e.Message)
				}
			}
		})
	}
}

func TestSchemaChangeEventsReachRegisteredConnections(t *testing.T) {
	c := NewCluster(t, WithNodes(2))
	listener := dialRaw(t, c.Node(2).Addr())
	listener.startup()
	var w wire.Writer
	w.StringList([]string{"SCHEMA_CHANGE", "STATUS_CHANGE"})
	listener.send(4, 1, wire.OpRegister, w.B)
	if f := listener.recv(); f.Header.Opcode != wire.OpReady {
		t.Fatalf("REGISTER answered with %s", f.Header.Opcode)
	}

	client := dialRaw(t, c.Node(1).Addr())
	client.startup()
	f := client.query(5, "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	if f.Header.Opcode != wire.OpResult {
		t.Fatalf("CREATE KEYSPACE: %+v", frameError(t, f))
	}
	r := wire.NewReader(f.Body)
	if kind, change, target, ks := r.Int(), r.String(), r.String(), r.String(); kind != wire.ResultSchemaChange ||
		change != "CREATED" || target != "KEYSPACE" || ks != "ks" {
		t.Fatalf("result %d %s %s %s", kind, change, target, ks)
	}

	ev := listener.recv()
	if ev.Header.Opcode != wire.OpEvent || ev.Header.Stream != -1 {
		t.Fatalf("event frame %+v", ev.Header)
	}
	er := wire.NewReader(ev.Body)
	if typ, change, target, ks := er.String(), er.String(), er.String(), er.String(); typ != "SCHEMA_CHANGE" ||
		change != "CREATED" || target != "KEYSPACE" || ks != "ks" {
		t.Fatalf("event %s %s %s %s", typ, change, target, ks)
	}

	client.query(6, "CREATE TABLE ks.t (k int PRIMARY KEY, v text)")
	er = wire.NewReader(listener.recv().Body)
	if typ, change, target, ks, name := er.String(), er.String(), er.String(), er.String(), er.String(); typ != "SCHEMA_CHANGE" ||
		change != "CREATED" || target != "TABLE" || ks != "ks" || name != "t" {
		t.Fatalf("event %s %s %s %s %s", typ, change, target, ks, name)
	}

	if err := c.Node(1).SetDown(true); err != nil {
		t.Fatal(err)
	}
	er = wire.NewReader(listener.recv().Body)
	typ, change := er.String(), er.String()
	ip, _ := er.Inet()
	if typ != "STATUS_CHANGE" || change != "DOWN" || ip.String() != "127.0.0.1" {
		t.Fatalf("status event %s %s %s", typ, change, ip)
	}
}

func TestUnpreparedCarriesTheID(t *testing.T) {
	c := NewCluster(t)
	r := dialRaw(t, c.Node(1).Addr())
	r.startup()
	id := preparedID("", "SELECT * FROM system.local")
	r.send(4, 2, wire.OpExecute, wire.EncodeExecute(wire.Execute{ID: id, Params: wire.QueryParams{Consistency: wire.One}}))
	e := frameError(t, r.recv())
	if e.Code != wire.CodeUnprepared || string(e.ID) != string(id) {
		t.Fatalf("error %#x id % x", e.Code, e.ID)
	}
	var w wire.Writer
	w.LongString("SELECT * FROM system.local")
	r.send(4, 3, wire.OpPrepare, w.B)
	f := r.recv()
	pr := wire.NewReader(f.Body)
	if kind, got := pr.Int(), pr.ShortBytes(); kind != wire.ResultPrepared || string(got) != string(id) {
		t.Fatalf("PREPARE gave kind %d id % x, want MD5 of the text % x", kind, got, id)
	}
}

func TestPreparedIDsFollowTheRelease(t *testing.T) {
	const qualified, bare = "SELECT * FROM system.local", "SELECT * FROM local"
	tests := []struct {
		release string
		text    string
		want    []byte
	}{
		{"5.0.4", qualified, preparedID("", qualified)},
		{"5.0.4", bare, preparedID("system", bare)},
		{"4.1.7", qualified, preparedID("", qualified)},
		{"3.11.17", qualified, preparedID("system", qualified)},
		{"3.11.17", bare, preparedID("system", bare)},
	}
	for _, tt := range tests {
		t.Run(tt.release+" "+tt.text, func(t *testing.T) {
			c := NewCluster(t, WithReleaseVersion(tt.release))
			r := dialRaw(t, c.Node(1).Addr())
			r.startup()
			if f := r.query(2, "USE system"); f.Header.Opcode != wire.OpResult {
				t.Fatalf("USE: %+v", frameError(t, f))
			}
			var w wire.Writer
			w.LongString(tt.text)
			r.send(4, 3, wire.OpPrepare, w.B)
			pr := wire.NewReader(r.recv().Body)
			if kind, id := pr.Int(), pr.ShortBytes(); kind != wire.ResultPrepared || string(id) != string(tt.want) {
				t.Fatalf("id % x, want % x", id, tt.want)
			}
		})
	}
}
