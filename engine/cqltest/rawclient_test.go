package cqltest

import (
	"bufio"
	"net"
	"regexp"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
)

// rawClient speaks the protocol frame by frame, for the tests that must see
// exactly what the server sends (version errors, events).
type rawClient struct {
	t  testing.TB
	nc net.Conn
	br *bufio.Reader
}

func dialRaw(t *testing.T, addr string) *rawClient { return dialRawTB(t, addr) }

func dialRawTB(t testing.TB, addr string) *rawClient {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { nc.Close() })
	return &rawClient{t: t, nc: nc, br: bufio.NewReader(nc)}
}

func (r *rawClient) send(version byte, stream int16, op wire.Opcode, body []byte) {
	r.t.Helper()
	frame := wire.AppendFrame(nil, wire.Header{Version: version, Stream: stream, Opcode: op}, body)
	if _, err := r.nc.Write(frame); err != nil {
		r.t.Fatalf("send %s: %v", op, err)
	}
}

func (r *rawClient) recv() wire.Frame {
	r.t.Helper()
	r.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	f, err := wire.ReadFrame(r.br, wire.MaxFrameLength)
	if err != nil {
		r.t.Fatalf("receive frame: %v", err)
	}
	return f
}

// startup performs OPTIONS-less STARTUP and expects READY.
func (r *rawClient) startup() {
	r.t.Helper()
	r.send(4, 1, wire.OpStartup, wire.EncodeStartup([]string{"CQL_VERSION"}, map[string]string{"CQL_VERSION": "3.0.0"}))
	if f := r.recv(); f.Header.Opcode != wire.OpReady {
		r.t.Fatalf("STARTUP answered with %s", f.Header.Opcode)
	}
}

func (r *rawClient) query(stream int16, q string) wire.Frame {
	r.t.Helper()
	r.send(4, stream, wire.OpQuery, wire.EncodeQuery(wire.Query{Query: q, Params: wire.QueryParams{Consistency: wire.One}}))
	return r.recv()
}

func frameError(t *testing.T, f wire.Frame) *wire.Error {
	t.Helper()
	if f.Header.Opcode != wire.OpError {
		t.Fatalf("got %s, want ERROR", f.Header.Opcode)
	}
	e, err := wire.DecodeError(f.Body)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func regexpMust(expr string) *regexp.Regexp { return regexp.MustCompile(expr) }
