// Command service is an example Go HTTP service that migrates its Cassandra
// keyspace at start-up with cqltrack's Go API: its migrations are compiled
// into the binary with embed.FS, applied under the migration lock before
// the service listens, and reported by GET /migrations; GET /healthz says
// whether the schema is at the version the binary carries.
//
// Several replicas may start together: one applies the migrations, the
// others wait for the lock, find nothing left to do and start at once.
//
// Settings resolve as in the cqltrack tool: defaults < cqltrack.yml (if
// present, or -config) < -profile < CQLTRACK_* environment (CQLTRACK_HOSTS,
// CQLTRACK_PORT, CQLTRACK_KEYSPACE, CQLTRACK_USERNAME, CQLTRACK_PASSWORD,
// ...) < flags. docs/go-api.md walks through it.
//
//	go run ./examples/service -hosts 127.0.0.1 -port 9042 -keyspace notes -listen :8080
package main

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/config"
)

// migrationFS holds the service's migrations, compiled into the binary so
// that the schema it needs always travels with it.
//
//go:embed migrations/*.cql
var migrationFS embed.FS

// settings are the service's own flags besides the cluster's.
type settings struct {
	listen string
	// startupTimeout bounds connecting, waiting for the lock and migrating.
	startupTimeout time.Duration
	cfg            *config.Config
}

// parseSettings reads the flags in args and the configuration they select,
// with lookupEnv as the environment.
func parseSettings(args []string, lookupEnv func(string) (string, bool)) (*settings, error) {
	fs := flag.NewFlagSet("service", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		s     settings
		hosts string
		flags config.Overrides
	)
	listen := "127.0.0.1:8080"
	if v, ok := lookupEnv("LISTEN_ADDR"); ok && v != "" {
		listen = v
	}
	fs.StringVar(&s.listen, "listen", listen, "address to serve HTTP on (or $LISTEN_ADDR)")
	fs.DurationVar(&s.startupTimeout, "startup-timeout", 10*time.Minute, "how long start-up may take: connect, wait for the migration lock, migrate")
	fs.StringVar(&flags.ConfigPath, "config", "", "cqltrack configuration file (default ./cqltrack.yml when present, or $CQLTRACK_CONFIG)")
	fs.StringVar(&flags.Profile, "profile", "", "profile of the configuration file (or $CQLTRACK_PROFILE)")
	fs.StringVar(&hosts, "hosts", "", "Cassandra contact points, comma-separated (or $CQLTRACK_HOSTS)")
	fs.IntVar(&flags.Port, "port", 0, "native protocol port (or $CQLTRACK_PORT)")
	fs.StringVar(&flags.Keyspace, "keyspace", "", "keyspace to migrate and use (or $CQLTRACK_KEYSPACE)")
	if err := fs.Parse(args); err != nil {
		return nil, fmt.Errorf("parse flags: %w", err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if hosts != "" {
		flags.Hosts = []string{hosts}
	}
	cfg, err := config.Load(config.LoadOptions{Flags: flags, LookupEnv: lookupEnv})
	if err != nil {
		return nil, fmt.Errorf("load configuration: %w", err)
	}
	if cfg.Keyspace.Name == "" {
		cfg.Keyspace.Name = "notes"
	}
	s.cfg = cfg
	return &s, nil
}

// service is the running service: an engine connected to the cluster.
type service struct {
	eng *engine.Engine
	log *slog.Logger
}

// startup connects, creates the keyspace and tracking tables when they are
// missing, and applies the embedded migrations. Every replica of the
// service calls it; only one applies anything.
func startup(ctx context.Context, cfg *config.Config, log *slog.Logger) (*service, error) {
	eng, err := engine.Open(ctx, cfg, engine.WithMigrations(migrationFS, "migrations"), engine.WithLogger(log))
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	if _, err := eng.Init(ctx); err != nil {
		eng.Close()
		return nil, fmt.Errorf("init keyspace %s: %w", cfg.Keyspace.Name, err)
	}
	r, err := eng.Migrate(ctx, engine.MigrateOptions{Progress: func(p engine.Progress) {
		switch p.Kind {
		case engine.ProgressLockWait:
			log.Info("waiting for the migration lock", "holder", p.Holder.String())
		case engine.ProgressMigrationDone:
			log.Info("migration applied", "migration", p.Name, "took", p.Elapsed)
		}
	}})
	if err != nil {
		eng.Close()
		return nil, fmt.Errorf("migrate keyspace %s: %w", cfg.Keyspace.Name, err)
	}
	log.Info("schema ready", "keyspace", r.Keyspace, "version", r.Current, "applied", len(r.Migrations))
	return &service{eng: eng, log: log}, nil
}

// Close releases the cluster connections.
func (s *service) Close() { s.eng.Close() }

// handler serves the service's endpoints.
func (s *service) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /migrations", s.migrations)
	mux.HandleFunc("GET /healthz", s.healthz)
	return mux
}

// migrations answers with the engine's status report: every version, its
// state, when and by whom it was applied, and the lock holder.
func (s *service) migrations(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	st, err := s.eng.Status(ctx)
	if err != nil {
		s.log.Error("read migration status", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "cannot read the migration status"})
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// health is the body of /healthz.
type health struct {
	Status  string `json:"status"`
	Current int64  `json:"current"`
	// Pending are migrations the binary carries that the keyspace lacks,
	// e.g. after a failed start-up of a newer replica.
	Pending []string `json:"pending,omitempty"`
	Error   string   `json:"error,omitempty"`
}

// healthz is 200 when the cluster answers and every embedded migration is
// applied, 503 otherwise.
func (s *service) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	p, err := s.eng.Pending(ctx)
	if err != nil {
		s.log.Error("health check", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, health{Status: "unavailable", Error: "cannot read the migration status"})
		return
	}
	h := health{Status: "ok", Current: p.Current}
	for _, m := range p.Pending {
		h.Pending = append(h.Pending, fmt.Sprintf("%s (%s)", m.Name, m.State))
	}
	code := http.StatusOK
	if len(h.Pending) > 0 {
		h.Status, code = "pending migrations", http.StatusServiceUnavailable
	}
	writeJSON(w, code, h)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// run starts the service and serves until ctx ends.
func run(ctx context.Context, args []string, lookupEnv func(string) (string, bool), log *slog.Logger) error {
	s, err := parseSettings(args, lookupEnv)
	if err != nil {
		return err
	}
	sctx, cancel := context.WithTimeout(ctx, s.startupTimeout)
	svc, err := startup(sctx, s.cfg, log)
	cancel()
	if err != nil {
		return err
	}
	defer svc.Close()

	srv := &http.Server{Addr: s.listen, Handler: svc.handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("listening", "addr", s.listen)
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.LookupEnv, log); err != nil {
		log.Error("service stopped", "err", err)
		os.Exit(1)
	}
}
