package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/cqltest"
)

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

// env is a fake environment for parseSettings.
func env(kv map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := kv[k]; return v, ok }
}

// startCluster returns a stand-in and settings pointing at it.
func startCluster(t *testing.T, opts ...cqltest.Option) (*cqltest.Cluster, *settings) {
	t.Helper()
	c := cqltest.NewCluster(t, opts...)
	s, err := parseSettings([]string{"-hosts", strings.Join(c.Hosts(), ","), "-port", strconv.Itoa(c.Port()), "-keyspace", "notes_test"},
		env(nil))
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

func get(t *testing.T, h http.Handler, path string) (int, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if ct := rec.Header().Get("Content-Type"); rec.Code != http.StatusMethodNotAllowed && ct != "application/json" {
		t.Errorf("GET %s: content type %q", path, ct)
	}
	return rec.Code, rec.Body.Bytes()
}

func TestStartupMigratesAndServesStatus(t *testing.T) {
	c, s := startCluster(t)
	svc, err := startup(context.Background(), s.cfg, quiet())
	if err != nil {
		t.Fatalf("startup: %v", err)
	}
	defer svc.Close()
	h := svc.handler()

	code, body := get(t, h, "/migrations")
	if code != http.StatusOK {
		t.Fatalf("GET /migrations: %d %s", code, body)
	}
	var st engine.StatusReport
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatalf("GET /migrations: %v in %s", err, body)
	}
	if st.Keyspace != "notes_test" || st.Current != 2 || len(st.Migrations) != 2 || st.Lock != nil {
		t.Fatalf("status %+v: want notes_test at V2 with two migrations and the lock free", st)
	}
	for _, m := range st.Migrations {
		if m.State != engine.StateApplied || m.AppliedAt == nil || m.StatementsApplied != m.StatementsTotal {
			t.Errorf("V%d: %+v, want applied completely", m.Version, m)
		}
	}
	if got := st.Migrations[1].Name; got != "V002 add tags" {
		t.Errorf("second migration named %q", got)
	}

	code, body = get(t, h, "/healthz")
	var hz health
	if err := json.Unmarshal(body, &hz); err != nil || code != http.StatusOK || hz.Status != "ok" || hz.Current != 2 {
		t.Errorf("GET /healthz: %d %s (%v), want 200 ok at V2", code, body, err)
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/migrations", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /migrations: %d, want 405", rec.Code)
	}

	// The tables the migrations create are there, on the cluster.
	cat := c.Node(1).Catalog()
	ks := cat.Keyspace("notes_test")
	if ks == nil || ks.Tables["notes"] == nil || ks.Tables["notes_by_tag"] == nil {
		t.Errorf("the keyspace lacks the migrated tables: %v", ks)
	}
}

// Replicas that start together all come up; the migrations are applied
// once.
func TestReplicasStartTogether(t *testing.T) {
	c, s := startCluster(t)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc, err := startup(context.Background(), s.cfg, quiet())
			if err == nil {
				svc.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i+1, err)
		}
	}
	// Init's tables (3) + V001 (1) + V002 (2), each made once; keyspace 1.
	ddl := 0
	for _, n := range c.Stats().DDL {
		ddl += n
	}
	if ddl != 7 {
		t.Errorf("the cluster made %d schema changes, want 7 (keyspace, 3 tracking tables, 3 migration statements)", ddl)
	}
}

// With the schema behind the binary (a migration the keyspace lacks),
// /healthz is 503 and names it.
func TestHealthzReportsPendingMigrations(t *testing.T) {
	_, s := startCluster(t)
	svc, err := startup(context.Background(), s.cfg, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	if _, err := svc.eng.Rollback(context.Background(), engine.RollbackOptions{}); err != nil {
		t.Fatalf("roll back V2: %v", err)
	}
	code, body := get(t, svc.handler(), "/healthz")
	if code != http.StatusServiceUnavailable || !strings.Contains(string(body), "V002 add tags (pending)") {
		t.Errorf("GET /healthz: %d %s, want 503 naming V002", code, body)
	}
}

func TestStartupFailsWithoutCluster(t *testing.T) {
	s, err := parseSettings([]string{"-hosts", "127.0.0.1", "-port", "1"}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	s.cfg.Cassandra.ConnectTimeout = time.Second
	_, err = startup(context.Background(), s.cfg, quiet())
	if !errors.Is(err, engine.ErrConnect) {
		t.Errorf("startup against nothing: %v, want ErrConnect", err)
	}
}

func TestSettings(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		hosts    string
		port     int
		keyspace string
		listen   string
		wantErr  string
	}{
		{name: "defaults", hosts: "127.0.0.1", port: 9042, keyspace: "notes", listen: "127.0.0.1:8080"},
		{name: "environment", env: map[string]string{"CQLTRACK_HOSTS": "10.0.0.1,10.0.0.2", "CQLTRACK_PORT": "9142", "CQLTRACK_KEYSPACE": "prod", "LISTEN_ADDR": ":9000"},
			hosts: "10.0.0.1,10.0.0.2", port: 9142, keyspace: "prod", listen: ":9000"},
		{name: "flags over environment", args: []string{"-hosts", "db1", "-port", "9043", "-keyspace", "staging", "-listen", ":7000"},
			env:   map[string]string{"CQLTRACK_HOSTS": "10.0.0.1", "CQLTRACK_KEYSPACE": "prod", "LISTEN_ADDR": ":9000"},
			hosts: "db1", port: 9043, keyspace: "staging", listen: ":7000"},
		{name: "bad port", env: map[string]string{"CQLTRACK_PORT": "nine"}, wantErr: "CQLTRACK_PORT"},
		{name: "unknown flag", args: []string{"-verbose"}, wantErr: "-verbose"},
		{name: "stray argument", args: []string{"serve"}, wantErr: "unexpected arguments: serve"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir()) // no cqltrack.yml
			s, err := parseSettings(tt.args, env(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want it to mention %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(s.cfg.Cassandra.ContactPoints, ","); got != tt.hosts || s.cfg.Cassandra.Port != tt.port ||
				s.cfg.Keyspace.Name != tt.keyspace || s.listen != tt.listen {
				t.Errorf("hosts %s port %d keyspace %s listen %s; want %s %d %s %s", got, s.cfg.Cassandra.Port,
					s.cfg.Keyspace.Name, s.listen, tt.hosts, tt.port, tt.keyspace, tt.listen)
			}
		})
	}
}

// The service runs end to end: it migrates, listens, answers and stops
// when its context ends.
func TestRunServesUntilStopped(t *testing.T) {
	c := cqltest.NewCluster(t)
	l := httptest.NewUnstartedServer(nil) // only to find a free port
	addr := l.Listener.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-hosts", c.Hosts()[0], "-port", strconv.Itoa(c.Port()), "-keyspace", "notes_run", "-listen", addr},
			env(nil), quiet())
	}()
	var resp *http.Response
	deadline := time.Now().Add(20 * time.Second)
	for {
		var err error
		resp, err = http.Get("http://" + addr + "/healthz")
		if err == nil {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the service never answered: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"current": 2`) {
		t.Errorf("GET /healthz: %d %s", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after stop: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not stop")
	}
}

// Handlers share one engine: concurrent requests are served correctly
// (run with -race).
func TestConcurrentRequests(t *testing.T) {
	_, s := startCluster(t)
	svc, err := startup(context.Background(), s.cfg, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	srv := httptest.NewServer(svc.handler())
	defer srv.Close()
	var wg sync.WaitGroup
	codes := make(chan int, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := "/migrations"
			if i%2 == 1 {
				path = "/healthz"
			}
			resp, err := http.Get(srv.URL + path)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(codes)
	n := 0
	for c := range codes {
		n++
		if c != http.StatusOK {
			t.Errorf("status %d, want 200", c)
		}
	}
	if n != 20 {
		t.Errorf("%d answers, want 20", n)
	}
}
