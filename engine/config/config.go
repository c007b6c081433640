package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cqltrack/cqltrack/engine/schema"
)

// Defaults of the settings that have one; docs/configuration.md lists them.
const (
	DefaultFile              = "cqltrack.yml"
	DefaultHost              = "127.0.0.1"
	DefaultPort              = 9042
	DefaultConsistency       = "LOCAL_ONE"
	DefaultSerialConsistency = "SERIAL"
	DefaultConnectTimeout    = 10 * time.Second
	DefaultRequestTimeout    = 30 * time.Second
	DefaultMigrationsDir     = "migrations"
	DefaultLockTTL           = 60 * time.Second
	DefaultLockWait          = 5 * time.Minute
	DefaultAgreementWait     = 60 * time.Second
	DefaultReplicationClass  = SimpleStrategy
	DefaultReplicationFactor = 1
	DefaultPluginMemoryPages = 512
	DefaultPluginTimeout     = 2 * time.Second
	DefaultHookOnError       = OnErrorFail
	DefaultMaxWarnings       = NoWarningLimit
)

// DefaultRelease is the Cassandra release offline schemas are built as
// when schema.release is unset: the newest line engine/schema models.
const DefaultRelease = schema.V5_0

// Limits of plugin memory, in 64 KiB pages: a Go guest is unstable under
// 128 pages, and wasm32 cannot address more than 65536.
const (
	MinPluginMemoryPages = 128
	MaxPluginMemoryPages = 65536
)

// MinLockTTL is the shortest lock.ttl: Cassandra expires a TTL'd value at
// a whole-second boundary, so a row written with TTL 1 may be gone at once,
// and the lease (engine/lock) trusts itself for less than the TTL.
const MinLockTTL = 2 * time.Second

// NoWarningLimit is Lint.MaxWarnings when any number of warnings passes.
const NoWarningLimit = -1

const (
	maxKeyspaceNameLen      = 48
	replicationFactorKey    = "replication_factor"
	replicationClassKey     = "class"
	cassandraLocatorPackage = "org.apache.cassandra.locator."
)

// Replication strategy classes a keyspace may use.
const (
	SimpleStrategy          = "SimpleStrategy"
	NetworkTopologyStrategy = "NetworkTopologyStrategy"
)

// Values of a hook's on_error.
const (
	OnErrorFail = "fail"
	OnErrorWarn = "warn"
)

// Lint severities a rule can be set to; SeverityOff disables the rule.
const (
	SeverityOff     = "off"
	SeverityInfo    = "info"
	SeverityWarning = "warning"
	SeverityError   = "error"
)

// Consistencies lists the consistency levels cassandra.consistency accepts,
// as the native protocol names them: the ones Cassandra takes for both
// reads and writes, since cqltrack reads and writes its tables at this
// level. ANY (writes only) and SERIAL, LOCAL_SERIAL (conditional
// statements only) are refused with refusedConsistency's reasons.
var Consistencies = []string{"ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "EACH_QUORUM", "LOCAL_ONE"}

// refusedConsistency says why level, a level the native protocol has, cannot
// be cassandra.consistency, or "" when it is not one of those.
func refusedConsistency(level string) string {
	switch strings.ToUpper(strings.TrimSpace(level)) {
	case "ANY":
		return "ANY is for writes only, and cqltrack also reads its tables at this level (Cassandra refuses reads at ANY); use LOCAL_ONE, ONE or a quorum"
	case "SERIAL", "LOCAL_SERIAL":
		return level + " is a serial consistency, for conditional statements only (Cassandra refuses plain writes at it); set it as cassandra.serial_consistency and choose LOCAL_QUORUM or QUORUM here"
	}
	return ""
}

// SerialConsistencies lists the levels cassandra.serial_consistency accepts.
var SerialConsistencies = []string{"SERIAL", "LOCAL_SERIAL"}

// Severities lists the values a lint rule's severity accepts.
var Severities = []string{SeverityOff, SeverityInfo, SeverityWarning, SeverityError}

// Config is the resolved configuration of one cqltrack run.
type Config struct {
	Cassandra  Cassandra  `json:"cassandra"`
	Keyspace   Keyspace   `json:"keyspace"`
	Migrations Migrations `json:"migrations"`
	Lock       Lock       `json:"lock"`
	Schema     Schema     `json:"schema"`
	Lint       Lint       `json:"lint"`
	Hooks      Hooks      `json:"hooks"`
	Output     Output     `json:"output"`
	// PluginCacheDir is where compiled WebAssembly is cached; empty means the
	// plugin host's default under the user cache directory.
	PluginCacheDir string `json:"plugin_cache_dir,omitempty"`

	// File is the configuration file that was read, or "" when none was
	// (defaults, environment and flags only).
	File string `json:"file,omitempty"`
	// Profile is the selected profile, or "" when none.
	Profile string `json:"profile,omitempty"`

	profiles []string
	// origins are where each key's value came from (Load, Parse): a file
	// position, an environment variable, a flag. Absent: the default.
	origins map[string]origin
}

// Cassandra is how to reach and talk to the cluster.
type Cassandra struct {
	ContactPoints     []string      `json:"contact_points"`
	Port              int           `json:"port"`
	Auth              Auth          `json:"auth"`
	Consistency       string        `json:"consistency"`
	SerialConsistency string        `json:"serial_consistency"`
	ConnectTimeout    time.Duration `json:"connect_timeout"`
	RequestTimeout    time.Duration `json:"request_timeout"`
	SSL               SSL           `json:"ssl"`
	// SecureConnectBundle is the path of an Astra DB bundle (zip); when set,
	// the contact point, port and TLS settings come from the bundle.
	SecureConnectBundle string `json:"secure_connect_bundle,omitempty"`
	LocalDC             string `json:"local_dc,omitempty"`
}

// Auth holds the credentials of password authentication (for Astra DB,
// Username "token" and Password "AstraCS:...").
type Auth struct {
	Username string `json:"username,omitempty"`
	Password Secret `json:"password,omitempty"`
}

// SSL configures TLS to the cluster. Verify (the default) checks the server
// certificate against CACerts (or the system roots) and its host name.
type SSL struct {
	Enabled    bool   `json:"enabled"`
	CACerts    string `json:"ca_certs,omitempty"`
	CertFile   string `json:"certfile,omitempty"`
	KeyFile    string `json:"keyfile,omitempty"`
	Verify     bool   `json:"verify"`
	ServerName string `json:"server_name,omitempty"`
}

// Keyspace is the keyspace cqltrack migrates and how init creates it.
type Keyspace struct {
	Name        string      `json:"name,omitempty"`
	Replication Replication `json:"replication"`
}

// Replication is a keyspace replication strategy: SimpleStrategy with Factor,
// or NetworkTopologyStrategy with a factor per data center.
type Replication struct {
	Class       string         `json:"class"`
	Factor      int            `json:"replication_factor,omitempty"`
	DataCenters map[string]int `json:"data_centers,omitempty"`
}

// Migrations says where the migration files are.
type Migrations struct {
	Directory string `json:"directory"`
}

// Lock tunes the LWT lease lock: TTL is the lease length (renewed in the
// background), Wait how long to wait for a lock another migrator holds.
type Lock struct {
	TTL  time.Duration `json:"ttl"`
	Wait time.Duration `json:"wait"`
}

// Schema tunes schema-agreement waits after each DDL statement, and names
// the Cassandra release the project targets.
type Schema struct {
	AgreementWait time.Duration `json:"agreement_wait"`
	// Release is the Cassandra release line ("3.11", "4.0", "4.1", "5.0")
	// that offline work builds schemas as when no live cluster says which:
	// plan --offline, diff between files and the migrations, lint's replay.
	// "" means DefaultRelease. A live cluster's own release always wins.
	// Load stores the line of a full version ("4.0.13" is "4.0"); Version
	// converts it.
	Release string `json:"release,omitempty"`
}

// Version is the release line of Release, or DefaultRelease when Release
// is "" (or one Validate refuses).
func (s Schema) Version() schema.Version {
	if s.Release == "" {
		return DefaultRelease
	}
	v, err := schema.ParseVersion(s.Release)
	if err != nil {
		return DefaultRelease
	}
	return v
}

// Releases lists the Cassandra release lines schema.release names (a full
// version such as 4.0.13 names its line).
var Releases = []string{schema.V3_11.String(), schema.V4_0.String(), schema.V4_1.String(), schema.V5_0.String()}

// parseRelease reads a schema.release value: a release line or a full
// version, as engine/schema.ParseVersion reads a cluster's
// release_version, and returns its line.
func parseRelease(s string) (string, error) {
	v, err := schema.ParseVersion(s)
	switch {
	case err == nil:
		return v.String(), nil
	case majorMinor.MatchString(s):
		// It reads as a version: one older than any line modelled.
		return "", fmt.Errorf("release %s is not supported: the oldest cqltrack models is %s", strings.TrimSpace(s), Releases[0])
	}
	return "", fmt.Errorf("unknown Cassandra release %q%s; one of %s, or a full version such as 4.0.13", s, didYouMean(s, Releases), strings.Join(Releases, ", "))
}

var majorMinor = regexp.MustCompile(`^\s*[0-9]+\.[0-9]+(\.[0-9]+)?\s*$`)

// Lint configures the linter: rule severities and options, extra rule
// plugins, and how many warnings fail a run (NoWarningLimit: no limit).
type Lint struct {
	Rules       map[string]Rule `json:"rules,omitempty"`
	Plugins     []Plugin        `json:"plugins,omitempty"`
	MaxWarnings int             `json:"max_warnings"`
}

// Rule is the configuration of one lint rule. An empty Severity keeps the
// rule's default severity; Options are passed to the rule as given.
type Rule struct {
	Severity string         `json:"severity,omitempty"`
	Options  map[string]any `json:"options,omitempty"`
}

// NormalizeSHA256 returns a sha256 pin as lower-case hex: surrounding
// space, the case and a "sha256:" prefix (in any case) do not matter. It
// does not check what is left is a digest.
func NormalizeSHA256(pin string) string {
	return strings.TrimPrefix(strings.ToLower(strings.TrimSpace(pin)), "sha256:")
}

// Plugin is a WebAssembly module to load: the file, its pinned sha256 (hex,
// a "sha256:" prefix and the case ignored; empty when not pinned), the configuration handed to it, its memory cap in
// 64 KiB pages and the deadline of each call.
type Plugin struct {
	Path        string         `json:"path"`
	SHA256      string         `json:"sha256,omitempty"`
	Config      map[string]any `json:"config,omitempty"`
	MemoryPages int            `json:"memory_pages"`
	Timeout     time.Duration  `json:"timeout"`
}

// Hook is a pre- or post-migrate hook plugin. OnError says whether its
// failure fails the run (OnErrorFail) or is only reported (OnErrorWarn); Env
// names the environment variables the hook may read.
type Hook struct {
	Plugin
	OnError string   `json:"on_error"`
	Env     []string `json:"env,omitempty"`
}

// Hooks are the hook plugins run around a migrate.
type Hooks struct {
	PreMigrate  []Hook `json:"pre_migrate,omitempty"`
	PostMigrate []Hook `json:"post_migrate,omitempty"`
}

// Formatter is a custom output formatter plugin, selected with --format Name.
type Formatter struct {
	Name string `json:"name"`
	Plugin
}

// Output configures report output.
type Output struct {
	Formatters []Formatter `json:"formatters,omitempty"`
}

// Default returns the configuration used when nothing else is given.
func Default() *Config {
	return &Config{
		Cassandra: Cassandra{
			ContactPoints:     []string{DefaultHost},
			Port:              DefaultPort,
			Consistency:       DefaultConsistency,
			SerialConsistency: DefaultSerialConsistency,
			ConnectTimeout:    DefaultConnectTimeout,
			RequestTimeout:    DefaultRequestTimeout,
			SSL:               SSL{Verify: true},
		},
		Keyspace: Keyspace{Replication: Replication{
			Class:  DefaultReplicationClass,
			Factor: DefaultReplicationFactor,
		}},
		Migrations: Migrations{Directory: DefaultMigrationsDir},
		Lock:       Lock{TTL: DefaultLockTTL, Wait: DefaultLockWait},
		Schema:     Schema{AgreementWait: DefaultAgreementWait},
		Lint:       Lint{MaxWarnings: DefaultMaxWarnings},
	}
}

// Profiles returns the names of the profiles the configuration file
// defines, sorted.
func (c *Config) Profiles() []string { return slices.Clone(c.profiles) }

// At returns where key's value came from, as an error message starts: a
// file position ("cqltrack.yml:4:14"), an environment variable
// ("CQLTRACK_SSL_CA_CERTS") or a flag; "" for a default or a value set in
// code. For errors found after loading (a file a key names cannot be
// read), so that they point where the value was written.
func (c *Config) At(key string) string {
	o, ok := c.origins[key]
	if !ok {
		return ""
	}
	return strings.TrimSuffix((&Error{Source: o.source, Line: o.line, Col: o.col}).Error(), ": ")
}

// Redacted returns a deep copy of c that is safe to print or serialise by
// any means, even ones that bypass Secret's methods (reflection, %x of the
// raw bytes): the password is replaced by Mask.
func (c *Config) Redacted() *Config {
	r := *c
	r.Cassandra.ContactPoints = slices.Clone(c.Cassandra.ContactPoints)
	if c.Cassandra.Auth.Password != "" {
		r.Cassandra.Auth.Password = Mask
	}
	r.Keyspace.Replication.DataCenters = maps.Clone(c.Keyspace.Replication.DataCenters)
	r.Lint.Rules = maps.Clone(c.Lint.Rules)
	r.Lint.Plugins = slices.Clone(c.Lint.Plugins)
	r.Hooks.PreMigrate = slices.Clone(c.Hooks.PreMigrate)
	r.Hooks.PostMigrate = slices.Clone(c.Hooks.PostMigrate)
	r.Output.Formatters = slices.Clone(c.Output.Formatters)
	r.profiles = slices.Clone(c.profiles)
	r.origins = maps.Clone(c.origins)
	return &r
}

// ReplicationCQL renders the keyspace replication as a CQL map literal, e.g.
// {'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 3} (data centers in
// name order, so the text is stable).
func (c *Config) ReplicationCQL() string {
	r := c.Keyspace.Replication
	var b strings.Builder
	b.WriteString("{'class': ")
	b.WriteString(quoteCQLString(r.Class))
	if r.Class == SimpleStrategy || r.Factor > 0 {
		b.WriteString(", 'replication_factor': ")
		b.WriteString(strconv.Itoa(r.Factor))
	}
	dcs := make([]string, 0, len(r.DataCenters))
	for dc := range r.DataCenters {
		dcs = append(dcs, dc)
	}
	sort.Strings(dcs)
	for _, dc := range dcs {
		b.WriteString(", ")
		b.WriteString(quoteCQLString(dc))
		b.WriteString(": ")
		b.WriteString(strconv.Itoa(r.DataCenters[dc]))
	}
	b.WriteString("}")
	return b.String()
}

func quoteCQLString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
