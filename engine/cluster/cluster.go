package cluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cqltrack/cqltrack/engine/config"
)

// DefaultAgreementPoll is how often ExecDDL reads the nodes' schema versions
// while it waits for agreement (gocql polls every 200ms too).
const DefaultAgreementPoll = 200 * time.Millisecond

// Retries of idempotent statements (see Query and readRetry): a timeout or
// an unavailable coordinator is retried a few times with exponential
// backoff. Other writes are never retried here.
const (
	readRetries    = 3
	readBackoffMin = 100 * time.Millisecond
	readBackoffMax = 2 * time.Second
)

// Option customises Connect.
type Option func(*options)

type options struct {
	keyspace string
	logger   *slog.Logger
	warn     *slog.Logger // logger, or slog.Default when it drops warnings
	poll     time.Duration
	numConns int
}

// WithKeyspace makes unqualified table names in statements refer to
// keyspace (the driver's initial keyspace). The keyspace must exist: connect
// without it to create it.
func WithKeyspace(keyspace string) Option { return func(o *options) { o.keyspace = keyspace } }

// WithLogger sends the session's warnings (verification turned off) and the
// driver's own messages (at debug level) to l. The default discards the
// driver's messages. The warning that TLS verification is off goes to
// slog.Default (standard error unless the program set another) when l is
// missing or drops warnings: a security warning must not vanish because
// nobody asked for logs.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithAgreementPoll sets how often schema versions are read while waiting
// for agreement; tests shorten it.
func WithAgreementPoll(d time.Duration) Option { return func(o *options) { o.poll = d } }

// WithConnsPerHost sets the driver's connection pool size per host (default 1:
// cqltrack runs one statement at a time).
func WithConnsPerHost(n int) Option { return func(o *options) { o.numConns = n } }

// Session is a connection to one cluster, made by Connect. It is safe for
// concurrent use. Close it when done.
type Session struct {
	gs            *gocql.Session
	consistency   gocql.Consistency
	serial        gocql.Consistency
	agreementWait time.Duration
	poll          time.Duration
	log           *slog.Logger
	keyspace      string

	clusterName    string
	releaseVersion string
	partitioner    string

	// bundle is the Astra DB secure connect bundle the session came from,
	// or nil.
	bundle *Bundle
}

// Connect opens a session to the cluster cfg.Cassandra describes: contact
// points and port, password authentication when a username is set, the
// configured consistency and serial consistency, connect and request
// timeouts, DC-aware host selection when local_dc is set, and TLS (mutual
// when a client certificate is given). Schema agreement after DDL is waited
// for by ExecDDL within cfg.Schema.AgreementWait, not by the driver.
//
// TLS verifies the server's certificate against ssl.ca_certs (the system
// roots when none) and its host name (ssl.server_name, or the address
// dialled) unless ssl.verify is false, which is logged as a warning.
//
// With cassandra.secure_connect_bundle, Connect reaches an Astra DB
// database as its drivers do (see ReadBundle): it asks the bundle's
// metadata service for the SNI proxy and the nodes' host ids, then dials
// every node through the proxy with the host id as the TLS server name and
// the bundle's certificates; contact_points, port and ssl are not used. A
// password that is an application token (AstraCS:...) logs in as user
// "token" when no username is set, and consistencies Astra refuses for
// writes (ANY, ONE, LOCAL_ONE, the default) are raised to LOCAL_QUORUM.
//
// A cluster that cannot be reached or refuses the credentials gives an error
// wrapping ErrConnect that names the hosts tried; a configuration Connect
// cannot use (unreadable certificate files or bundle, an unknown
// consistency) gives one wrapping config.ErrInvalid, and so does Amazon
// Keyspaces (ErrKeyspacesUnsupported), recognised by its endpoint names
// before connecting or by its system.local after. No error ever contains
// the password.
func Connect(ctx context.Context, cfg *config.Config, opts ...Option) (*Session, error) {
	o := options{poll: DefaultAgreementPoll, numConns: 1}
	for _, opt := range opts {
		opt(&o)
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	o.warn = o.logger
	if !o.logger.Enabled(ctx, slog.LevelWarn) {
		o.warn = slog.Default()
	}
	gc, s, err := clusterConfig(cfg, o)
	if err != nil {
		return nil, err
	}
	hosts := hostList(gc.Hosts, gc.Port)
	if b := s.bundle; b != nil {
		ci, err := b.fetchContactInfo(ctx, gc.ConnectTimeout)
		if err != nil {
			return nil, &connectErr{hosts: "Astra DB " + b.Host, cause: err.Error(),
				hint: "could not ask the metadata service of the secure connect bundle for the contact points\nhint: check that the database is active (not hibernated or terminated) and that " + b.Path + " is its current bundle"}
		}
		gc.Hosts = contactHosts(ci)
		gc.HostDialer = newSNIDialer(b, ci, gc.ConnectTimeout)
		if cfg.Cassandra.LocalDC == "" && ci.LocalDC != "" {
			gc.PoolConfig.HostSelectionPolicy = gocql.DCAwareRoundRobinPolicy(ci.LocalDC)
		}
		hosts = "Astra DB " + ci.SNIProxyAddress
	}

	type result struct {
		gs  *gocql.Session
		err error
	}
	done := make(chan result, 1)
	go func() {
		gs, err := gc.CreateSession()
		done <- result{gs, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		// The driver cannot be interrupted: close whatever it opens later.
		go func() {
			if r := <-done; r.err == nil {
				r.gs.Close()
			}
		}()
		return nil, fmt.Errorf("%w: connect to %s: %w", ErrConnect, hosts, ctx.Err())
	}
	if r.err != nil {
		return nil, connectError(cfg, hosts, r.err)
	}
	s.gs = r.gs
	if err := s.readLocal(ctx); err != nil {
		s.gs.Close()
		return nil, fmt.Errorf("%w: read system.local from %s: %w", ErrConnect, hosts, err)
	}
	if keyspacesCluster(s.clusterName, s.partitioner) {
		s.gs.Close()
		return nil, fmt.Errorf("%w: %w: %s is Amazon Keyspaces (cluster_name %q, partitioner %s); %s",
			config.ErrInvalid, ErrKeyspacesUnsupported, hosts, s.clusterName, s.partitioner, keyspacesWhy)
	}
	return s, nil
}

// clusterConfig translates cfg into the driver's configuration.
func clusterConfig(cfg *config.Config, o options) (*gocql.ClusterConfig, *Session, error) {
	c := cfg.Cassandra
	var bundle *Bundle
	if c.SecureConnectBundle != "" {
		b, err := ReadBundle(c.SecureConnectBundle)
		if err != nil {
			return nil, nil, err
		}
		bundle = b
	} else {
		if len(c.ContactPoints) == 0 {
			return nil, nil, fmt.Errorf("%w: cassandra.contact_points is empty", config.ErrInvalid)
		}
		if err := refuseKeyspacesHosts(c.ContactPoints); err != nil {
			return nil, nil, err
		}
	}
	consistency, err := parseConsistency(c.Consistency, config.DefaultConsistency)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: cassandra.consistency: %w", config.ErrInvalid, err)
	}
	serial, err := parseConsistency(c.SerialConsistency, config.DefaultSerialConsistency)
	if err != nil || (serial != gocql.Serial && serial != gocql.LocalSerial) {
		return nil, nil, fmt.Errorf("%w: cassandra.serial_consistency %q: want SERIAL or LOCAL_SERIAL", config.ErrInvalid, c.SerialConsistency)
	}

	if bundle != nil && astraWriteConsistencies[consistency] {
		o.logger.Info("Astra DB refuses writes at " + consistency.String() + ": running at LOCAL_QUORUM")
		consistency = gocql.LocalQuorum
	}

	gc := gocql.NewCluster(c.ContactPoints...)
	if c.Port != 0 {
		gc.Port = c.Port
	}
	if o.keyspace != "" {
		gc.Keyspace = o.keyspace
	}
	gc.Consistency = consistency
	gc.SerialConsistency = serial
	if c.ConnectTimeout > 0 {
		gc.ConnectTimeout = c.ConnectTimeout
	}
	if c.RequestTimeout > 0 {
		gc.Timeout = c.RequestTimeout
		gc.WriteTimeout = c.RequestTimeout
	}
	gc.NumConns = o.numConns
	// ExecDDL waits for agreement itself, naming the nodes that disagree;
	// the driver's own wait would only log an unnamed warning and double
	// the round trips. Zero makes it return at once.
	gc.MaxWaitSchemaAgreement = 0
	// The driver's schema metadata cache re-reads system_schema after every
	// schema event and waits up to 10s for agreement on its own; cqltrack
	// reads system_schema itself when it needs to.
	gc.Metadata.CacheMode = gocql.Disabled
	// No retries by default: Query and ExecIdempotent set a policy of their
	// own on the statements that may be retried.
	gc.RetryPolicy = nil
	gc.DefaultIdempotence = false
	gc.ReconnectionPolicy = &gocql.ExponentialReconnectionPolicy{MaxRetries: 3, InitialInterval: 200 * time.Millisecond, MaxInterval: 2 * time.Second}
	gc.Logger = &driverLogger{l: o.logger}
	if c.LocalDC != "" {
		gc.PoolConfig.HostSelectionPolicy = gocql.DCAwareRoundRobinPolicy(c.LocalDC)
	}
	if user := authUser(c); user != "" {
		gc.Authenticator = gocql.PasswordAuthenticator{Username: user, Password: c.Auth.Password.Value()}
	}
	if c.SSL.Enabled && bundle == nil {
		tc, err := tlsConfig(cfg)
		if err != nil {
			return nil, nil, err
		}
		if !c.SSL.Verify {
			warnInsecure(cfg, o)
		}
		// Verification is expressed in tc (InsecureSkipVerify, or our own
		// VerifyConnection); EnableHostVerification would override it.
		gc.SslOpts = &gocql.SslOptions{Config: tc, EnableHostVerification: false}
	}
	s := &Session{
		consistency:   consistency,
		serial:        serial,
		agreementWait: cfg.Schema.AgreementWait,
		poll:          o.poll,
		log:           o.logger,
		keyspace:      o.keyspace,
		bundle:        bundle,
	}
	if s.agreementWait <= 0 {
		s.agreementWait = config.DefaultAgreementWait
	}
	return gc, s, nil
}

// authUser is the user Connect logs in as: the configured one, or "token"
// for an Astra application token given as the password alone.
func authUser(c config.Cassandra) string {
	if c.Auth.Username == "" && c.SecureConnectBundle != "" && strings.HasPrefix(c.Auth.Password.Value(), "AstraCS:") {
		return astraTokenUser
	}
	return c.Auth.Username
}

func parseConsistency(v, def string) (gocql.Consistency, error) {
	if v == "" {
		v = def
	}
	return gocql.ParseConsistencyWrapper(strings.ToUpper(v))
}

// hostList renders the contact points as host:port for messages.
func hostList(hosts []string, port int) string {
	out := make([]string, len(hosts))
	for i, h := range hosts {
		if _, _, err := net.SplitHostPort(h); err == nil {
			out[i] = h
			continue
		}
		out[i] = net.JoinHostPort(h, strconv.Itoa(port))
	}
	return strings.Join(out, ", ")
}

// connectError explains a failed CreateSession: bad credentials, TLS, or an
// unreachable cluster, each with what to check next.
func connectError(cfg *config.Config, hosts string, err error) error {
	msg := err.Error()
	if pw := cfg.Cassandra.Auth.Password.Value(); pw != "" {
		msg = strings.ReplaceAll(msg, pw, config.Secret(pw).String())
	}
	// The driver's wrapping says nothing a user can act on.
	for _, noise := range []string{"gocql: unable to create session: ", "unable to discover protocol version: "} {
		msg = strings.TrimPrefix(msg, noise)
	}
	var credErr *gocql.RequestErrCredentials
	var hint string
	switch {
	case errors.As(err, &credErr) || strings.Contains(msg, "Provided username") || strings.Contains(strings.ToLower(msg), "bad credentials"):
		hint = fmt.Sprintf("authentication failed for user %q\nhint: check cassandra.auth.username and cassandra.auth.password (or CQLTRACK_USERNAME, CQLTRACK_PASSWORD)", authUser(cfg.Cassandra))
		if cfg.Cassandra.SecureConnectBundle != "" {
			hint += "; for Astra DB the user is token and the password an application token (AstraCS:...) of this database's organisation"
		}
	case strings.Contains(msg, "authentication required"):
		hint = "the cluster requires authentication\nhint: set cassandra.auth.username and cassandra.auth.password (or CQLTRACK_USERNAME, CQLTRACK_PASSWORD)"
	case cfg.Cassandra.SecureConnectBundle != "" && (strings.Contains(msg, "x509") || strings.Contains(msg, "tls:")):
		// The ssl keys play no part with a bundle: its certificates do.
		hint = "TLS with the Astra SNI proxy failed\nhint: the bundle's certificates do not fit this database: download its current secure connect bundle"
	case strings.Contains(msg, "x509") || strings.Contains(msg, "tls:") || strings.Contains(msg, "certificate"):
		hint = "TLS handshake failed\nhint: " + tlsHint(msg, cfg.Cassandra.SSL)
	case cfg.Cassandra.SecureConnectBundle == "" && !cfg.Cassandra.SSL.Enabled &&
		(strings.HasSuffix(msg, "EOF") || strings.Contains(msg, "connection reset")):
		// A node that requires client encryption drops a plain STARTUP.
		hint = "the node closed the connection without answering\nhint: if the cluster requires TLS (client encryption), set cassandra.ssl.enabled and cassandra.ssl.ca_certs; otherwise check cassandra.contact_points and port"
	default:
		hint = "no contact point answered\nhint: check cassandra.contact_points and port, or that the cluster is up"
	}
	return &connectErr{hosts: hosts, cause: msg, hint: hint}
}

// tlsHint says what to do about a failed handshake, from the message of
// crypto/tls (the driver passes the error on as text).
func tlsHint(msg string, ssl config.SSL) string {
	// A TLS 1.2 server that wants a client certificate and gets none says
	// only "bad certificate" or "handshake failure"; TLS 1.3 says
	// "certificate required".
	noClientCert := ssl.CertFile == "" && (strings.Contains(msg, "bad certificate") || strings.Contains(msg, "handshake failure"))
	switch {
	case strings.Contains(msg, "unknown authority"):
		return "the cluster's certificate is not signed by a CA cqltrack trusts: set cassandra.ssl.ca_certs to the CA that signed it (the system roots are used when it is unset)"
	case strings.Contains(msg, "expired or is not yet valid"):
		return "the cluster's certificate is outside its validity period: renew it (or check this machine's clock)"
	case strings.Contains(msg, "certificate is valid for"), strings.Contains(msg, "cannot validate certificate for"):
		return "the cluster's certificate does not name the host cqltrack dialled: connect by a name it holds, or set cassandra.ssl.server_name to one"
	case strings.Contains(msg, "certificate required"), noClientCert:
		return "the cluster requires a client certificate (mutual TLS): set cassandra.ssl.certfile and cassandra.ssl.keyfile"
	case strings.Contains(msg, "unknown certificate authority"), strings.Contains(msg, "bad certificate"),
		strings.Contains(msg, "certificate unknown"), strings.Contains(msg, "certificate expired"):
		return "the cluster refused the client certificate in cassandra.ssl.certfile: use one signed by a CA in the cluster's truststore, and within its validity"
	case strings.Contains(msg, "first record does not look like a TLS handshake"):
		return "the port does not speak TLS: use the cluster's TLS port, or turn cassandra.ssl.enabled off"
	}
	return "check cassandra.ssl (ca_certs, certfile, keyfile, server_name) and that the cluster has client encryption enabled"
}

// connectErr is a failed connection; it matches ErrConnect.
type connectErr struct {
	hosts, cause, hint string
}

func (e *connectErr) Error() string {
	first, rest, _ := strings.Cut(e.hint, "\n")
	out := "connect to " + e.hosts + ": " + first + ": " + e.cause
	if rest != "" {
		out += "\n" + rest
	}
	return out
}

func (e *connectErr) Is(target error) bool { return target == ErrConnect }

// readLocal caches the cluster name and release version of the node that
// answers.
func (s *Session) readLocal(ctx context.Context) error {
	return s.Query(ctx, "SELECT cluster_name, release_version, partitioner FROM system.local WHERE key = 'local'").
		Scan(&s.clusterName, &s.releaseVersion, &s.partitioner)
}

// Close closes every connection of the session.
func (s *Session) Close() { s.gs.Close() }

// Driver returns the underlying gocql session, for what the helpers here do
// not cover. Schema changes made through it are not followed by an
// agreement wait.
func (s *Session) Driver() *gocql.Session { return s.gs }

// Keyspace returns the keyspace given with WithKeyspace, or "".
func (s *Session) Keyspace() string { return s.keyspace }

// Consistency returns the consistency level statements run at.
func (s *Session) Consistency() gocql.Consistency { return s.consistency }

// SerialConsistency returns the serial consistency of lightweight
// transactions and SERIAL reads.
func (s *Session) SerialConsistency() gocql.Consistency { return s.serial }

// AgreementWait returns how long ExecDDL waits for schema agreement.
func (s *Session) AgreementWait() time.Duration { return s.agreementWait }

// ClusterName returns system.local's cluster_name, read at Connect.
func (s *Session) ClusterName() string { return s.clusterName }

// ReleaseVersion returns the Cassandra release_version of the node that
// answered at Connect ("4.1.7").
func (s *Session) ReleaseVersion() string { return s.releaseVersion }

// Query prepares an idempotent statement, a read or a write that may
// safely be applied twice (an upsert of the same values): it runs at the
// session's consistency under ctx and is retried up to three times, with
// backoff, on timeouts, unavailable or overloaded coordinators and lost
// connections. Use Exec for other writes.
func (s *Session) Query(ctx context.Context, stmt string, args ...any) *gocql.Query {
	return s.gs.Query(stmt, args...).WithContext(ctx).Idempotent(true).RetryPolicy(newReadRetry())
}

// Exec runs a statement that changes data, at the session's consistency,
// once: a write is never retried behind the caller's back. Use ExecDDL for
// schema changes.
func (s *Session) Exec(ctx context.Context, stmt string, args ...any) error {
	return s.gs.Query(stmt, args...).WithContext(ctx).Idempotent(false).Exec()
}

// ExecIdempotent runs a write that may safely be applied twice (an upsert
// of the same values) and is therefore retried like a read.
func (s *Session) ExecIdempotent(ctx context.Context, stmt string, args ...any) error {
	return s.Query(ctx, stmt, args...).Exec()
}

// ScanCAS runs a lightweight transaction (INSERT ... IF NOT EXISTS, UPDATE
// ... IF, DELETE ... IF) at the session's serial consistency, once. It
// reports whether it was applied and, when it was not, the current row the
// server returned (nil when there is none).
func (s *Session) ScanCAS(ctx context.Context, stmt string, args ...any) (applied bool, current map[string]any, err error) {
	current = map[string]any{}
	applied, err = s.gs.Query(stmt, args...).WithContext(ctx).Idempotent(false).
		SerialConsistency(s.serial).MapScanCAS(current)
	if err != nil {
		return false, nil, err
	}
	delete(current, "[applied]")
	if applied || len(current) == 0 {
		current = nil
	}
	return applied, current, nil
}

// ReadSerial reads at the serial consistency (SERIAL or LOCAL_SERIAL), which
// completes any Paxos round in flight first: the way to learn the outcome of
// a lightweight transaction that timed out.
func (s *Session) ReadSerial(ctx context.Context, stmt string, args ...any) *gocql.Query {
	return s.Query(ctx, stmt, args...).Consistency(s.serial)
}
