package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Overrides are the command-line flags, the last layer of resolution. Zero
// values mean "not given".
type Overrides struct {
	ConfigPath    string   // -c/--config: the file to read instead of ./cqltrack.yml
	Profile       string   // --profile
	Keyspace      string   // -k/--keyspace
	Hosts         []string // --host, repeatable; each may also be a comma list
	Port          int      // -p/--port
	MigrationsDir string   // --dir
}

// LoadOptions are the inputs of Load besides the file itself.
type LoadOptions struct {
	// Flags override everything else.
	Flags Overrides
	// LookupEnv reads the environment (os.LookupEnv in the CLI). Nil means
	// no environment, so a Go service or a test is not affected by the
	// variables of the process it runs in.
	LookupEnv func(string) (string, bool)
	// Dir is the directory a relative configuration path is taken from
	// (default: the working directory).
	Dir string
}

// Load resolves the configuration: defaults < file < profile < environment
// < flags. The file is Flags.ConfigPath, else $CQLTRACK_CONFIG, else
// ./cqltrack.yml; the default file may be missing (defaults apply), a file
// named explicitly may not (ErrNotFound). The profile is Flags.Profile, else
// $CQLTRACK_PROFILE. Every problem found is returned at once, each an *Error
// (errors.Is(err, ErrInvalid)) carrying its position.
func Load(opts LoadOptions) (*Config, error) {
	env := opts.LookupEnv
	if env == nil {
		env = func(string) (string, bool) { return "", false }
	}
	getenv := func(name string) string {
		v, _ := env(name)
		return strings.TrimSpace(v)
	}

	name, namedBy := DefaultFile, ""
	switch {
	case opts.Flags.ConfigPath != "":
		name, namedBy = opts.Flags.ConfigPath, "--config"
	case getenv("CQLTRACK_CONFIG") != "":
		name, namedBy = getenv("CQLTRACK_CONFIG"), "CQLTRACK_CONFIG"
	}
	full := name
	if opts.Dir != "" && !filepath.IsAbs(name) {
		full = filepath.Join(opts.Dir, name)
	}

	profile, profileBy := opts.Flags.Profile, "--profile"
	if profile == "" {
		profile, profileBy = getenv("CQLTRACK_PROFILE"), "CQLTRACK_PROFILE"
	}

	var doc *document
	var errs errorList
	data, err := os.ReadFile(full)
	switch {
	case err == nil:
		doc = parseDocument(name, filepath.Dir(full), data, &errs)
	case errors.Is(err, fs.ErrNotExist) && namedBy == "":
		doc = &document{} // no file: defaults, environment and flags
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s (named by %s): %w", name, namedBy, ErrNotFound)
	default:
		return nil, fmt.Errorf("read configuration %s: %w", name, err)
	}

	c, origins, profileErr := doc.resolve(profile, profileBy, &errs)
	if _, set := origins["migrations.directory"]; !set && doc.dir != "" && doc.dir != "." {
		// The default migrations directory sits next to the file, like a
		// directory the file names: `-c project/cqltrack.yml` finds
		// project/migrations from anywhere.
		c.Migrations.Directory = filepath.Join(doc.dir, c.Migrations.Directory)
	}
	applyEnv(c, origins, env, &errs)
	applyFlags(c, origins, opts.Flags, &errs)
	validate(c, origins, &errs)
	if err := errors.Join(errs.err(), profileErr); err != nil {
		return nil, err
	}
	c.origins = origins
	return c, nil
}

// Parse reads configuration text (named name in messages) and applies the
// given profile, without environment or flags. Relative paths stay as
// written. Use it for a configuration embedded in a program.
func Parse(name string, data []byte, profile string) (*Config, error) {
	var errs errorList
	doc := parseDocument(name, "", data, &errs)
	c, origins, profileErr := doc.resolve(profile, "profile", &errs)
	validate(c, origins, &errs)
	if err := errors.Join(errs.err(), profileErr); err != nil {
		return nil, err
	}
	c.origins = origins
	return c, nil
}

// document is a parsed configuration file.
type document struct {
	source   string
	dir      string
	root     ast.Node // nil when the file is empty
	anchors  map[string]ast.Node
	profiles map[string]ast.Node
	names    []string
}

func parseDocument(source, dir string, data []byte, errs *errorList) *document {
	doc := &document{source: source, dir: dir}
	// Editors on Windows save a byte order mark; YAML allows one at the
	// start, the parser does not. Columns on line 1 count from after it.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	file, err := parseYAML(data)
	if err != nil {
		e := &Error{Source: source, Msg: "invalid yaml: " + err.Error()}
		var ye yaml.Error
		if errors.As(err, &ye) {
			e.Line, e.Col = tokenPos(ye.GetToken())
			e.Msg = "invalid yaml: " + ye.GetMessage()
		}
		errs.add(e)
		return doc
	}
	for _, d := range file.Docs {
		if d == nil || d.Body == nil {
			continue
		}
		if doc.root != nil {
			line, col := (&decoder{}).pos(d.Body)
			errs.add(&Error{Source: source, Line: line, Col: col, Msg: "only one yaml document is allowed"})
			break
		}
		doc.root = d.Body
	}
	if doc.root == nil {
		return doc
	}
	doc.anchors = map[string]ast.Node{}
	for _, n := range ast.Filter(ast.AnchorType, doc.root) {
		a := n.(*ast.AnchorNode)
		if a.Name != nil && a.Name.GetToken() != nil {
			doc.anchors[a.Name.GetToken().Value] = a.Value
		}
	}
	d := doc.decoder(errs, nil)
	es, ok := d.entries(doc.root, "")
	if !ok {
		doc.root = nil
		return doc
	}
	for _, e := range es {
		if e.key != "profiles" {
			continue
		}
		pes, _ := d.entries(e.value, "profiles")
		doc.profiles = map[string]ast.Node{}
		for _, pe := range pes {
			if strings.TrimSpace(pe.key) == "" {
				d.errorf(pe.keyN, "profiles: a profile needs a name")
				continue
			}
			v := d.resolve(pe.value)
			switch v.(type) {
			case nil, *ast.NullNode, *ast.MappingNode, *ast.MappingValueNode:
			default:
				d.errorf(v, "profiles.%s: must be a mapping of overrides, got %s", pe.key, kind(v))
				continue
			}
			if _, dup := doc.profiles[pe.key]; !dup {
				doc.names = append(doc.names, pe.key)
			}
			doc.profiles[pe.key] = pe.value
		}
	}
	slices.Sort(doc.names)
	return doc
}

// parseYAML shields the caller from a panic inside the YAML parser on
// hostile input: a configuration file must give an error, never a crash.
func parseYAML(data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("unreadable input (%v)", r)
		}
	}()
	return parser.ParseBytes(data, 0)
}

func (doc *document) decoder(errs *errorList, origins map[string]origin) *decoder {
	return &decoder{source: doc.source, dir: doc.dir, anchors: doc.anchors, errs: errs, origins: origins, budget: aliasBudget}
}

// build applies the file and, when profile is not "", that profile.
func (doc *document) build(profile string, errs *errorList) (*Config, map[string]origin) {
	c := Default()
	origins := map[string]origin{}
	d := doc.decoder(errs, origins)
	if doc.root != nil {
		d.apply(doc.root, c, "")
	}
	if n, ok := doc.profiles[profile]; ok {
		d.apply(n, c, "profiles."+profile)
	}
	c.File = doc.source
	c.Profile = profile
	c.profiles = slices.Clone(doc.names)
	return c, origins
}

// resolve builds the configuration with the selected profile, and checks
// every other profile too, so that a mistake in any of them is found now.
func (doc *document) resolve(profile, by string, errs *errorList) (*Config, map[string]origin, error) {
	for _, name := range doc.names {
		if name != profile {
			c, origins := doc.build(name, errs)
			validate(c, origins, errs)
		}
	}
	var profileErr error
	if _, ok := doc.profiles[profile]; profile != "" && !ok {
		if len(doc.names) == 0 {
			where := doc.source
			if where == "" {
				where = "the configuration (no file was read)"
			}
			profileErr = fmt.Errorf("%s: %w %q: %s defines no profiles", by, ErrUnknownProfile, profile, where)
		} else {
			profileErr = fmt.Errorf("%s: %w %q%s; known profiles: %s", by, ErrUnknownProfile, profile,
				didYouMean(profile, doc.names), strings.Join(doc.names, ", "))
		}
		profile = ""
	}
	c, origins := doc.build(profile, errs)
	return c, origins, profileErr
}

// validate makes the checks that span several keys, after all layers.
func validate(c *Config, origins map[string]origin, errs *errorList) {
	ssl := c.Cassandra.SSL
	switch {
	case ssl.CertFile != "" && ssl.KeyFile == "":
		errs.add(origins["cassandra.ssl.certfile"].errorf("cassandra.ssl.certfile is set without cassandra.ssl.keyfile: a client certificate needs its key"))
	case ssl.KeyFile != "" && ssl.CertFile == "":
		errs.add(origins["cassandra.ssl.keyfile"].errorf("cassandra.ssl.keyfile is set without cassandra.ssl.certfile: a client key needs its certificate"))
	}
}

// EnvVar describes one environment variable Load reads.
type EnvVar struct {
	Name string // CQLTRACK_...
	Key  string // the configuration key it overrides; "" for CQLTRACK_CONFIG and CQLTRACK_PROFILE
	Doc  string // what it sets, in one phrase
	set  func(c *Config, v string) error
}

var envVars = []EnvVar{
	{Name: "CQLTRACK_CONFIG", Doc: "path of the configuration file (instead of ./cqltrack.yml); it must exist"},
	{Name: "CQLTRACK_PROFILE", Doc: "profile to apply"},
	{Name: "CQLTRACK_HOSTS", Key: "cassandra.contact_points", Doc: "contact points, comma-separated", set: func(c *Config, v string) error {
		hosts := splitList(v)
		if len(hosts) == 0 {
			return errors.New("must list at least one host")
		}
		for _, h := range hosts {
			if err := checkContactPoint(h); err != nil {
				return err
			}
		}
		c.Cassandra.ContactPoints = hosts
		return nil
	}},
	{Name: "CQLTRACK_PORT", Key: "cassandra.port", Doc: "native protocol port", set: func(c *Config, v string) error {
		p, err := parsePort(v)
		c.Cassandra.Port = p
		return err
	}},
	{Name: "CQLTRACK_USERNAME", Key: "cassandra.auth.username", Doc: "user name", set: func(c *Config, v string) error {
		c.Cassandra.Auth.Username = v
		return nil
	}},
	{Name: "CQLTRACK_PASSWORD", Key: "cassandra.auth.password", Doc: "password (or AstraCS token); never printed", set: func(c *Config, v string) error {
		c.Cassandra.Auth.Password = Secret(v)
		return nil
	}},
	{Name: "CQLTRACK_CONSISTENCY", Key: "cassandra.consistency", Doc: "consistency level", set: func(c *Config, v string) error {
		if why := refusedConsistency(v); why != "" {
			return errors.New(why)
		}
		s, err := parseEnum(v, Consistencies, "consistency")
		c.Cassandra.Consistency = s
		return err
	}},
	{Name: "CQLTRACK_SERIAL_CONSISTENCY", Key: "cassandra.serial_consistency", Doc: "serial consistency level of the lock", set: func(c *Config, v string) error {
		s, err := parseEnum(v, SerialConsistencies, "serial consistency")
		c.Cassandra.SerialConsistency = s
		return err
	}},
	{Name: "CQLTRACK_CONNECT_TIMEOUT", Key: "cassandra.connect_timeout", Doc: "connection timeout", set: func(c *Config, v string) error {
		d, err := parseDuration(v, false)
		c.Cassandra.ConnectTimeout = d
		return err
	}},
	{Name: "CQLTRACK_REQUEST_TIMEOUT", Key: "cassandra.request_timeout", Doc: "per-request timeout", set: func(c *Config, v string) error {
		d, err := parseDuration(v, false)
		c.Cassandra.RequestTimeout = d
		return err
	}},
	{Name: "CQLTRACK_LOCAL_DC", Key: "cassandra.local_dc", Doc: "local data center", set: func(c *Config, v string) error {
		c.Cassandra.LocalDC = v
		return nil
	}},
	{Name: "CQLTRACK_SSL", Key: "cassandra.ssl.enabled", Doc: "enable TLS (true/false)", set: func(c *Config, v string) error {
		b, err := parseBool(v)
		c.Cassandra.SSL.Enabled = b
		return err
	}},
	{Name: "CQLTRACK_SSL_CA_CERTS", Key: "cassandra.ssl.ca_certs", Doc: "CA certificates (PEM file)", set: func(c *Config, v string) error {
		c.Cassandra.SSL.CACerts = v
		return nil
	}},
	{Name: "CQLTRACK_SSL_CERTFILE", Key: "cassandra.ssl.certfile", Doc: "client certificate (PEM file)", set: func(c *Config, v string) error {
		c.Cassandra.SSL.CertFile = v
		return nil
	}},
	{Name: "CQLTRACK_SSL_KEYFILE", Key: "cassandra.ssl.keyfile", Doc: "client key (PEM file)", set: func(c *Config, v string) error {
		c.Cassandra.SSL.KeyFile = v
		return nil
	}},
	{Name: "CQLTRACK_SSL_VERIFY", Key: "cassandra.ssl.verify", Doc: "verify the server certificate (true/false)", set: func(c *Config, v string) error {
		b, err := parseBool(v)
		c.Cassandra.SSL.Verify = b
		return err
	}},
	{Name: "CQLTRACK_SECURE_CONNECT_BUNDLE", Key: "cassandra.secure_connect_bundle", Doc: "Astra DB secure connect bundle (zip)", set: func(c *Config, v string) error {
		c.Cassandra.SecureConnectBundle = v
		return nil
	}},
	{Name: "CQLTRACK_KEYSPACE", Key: "keyspace.name", Doc: "keyspace to migrate", set: func(c *Config, v string) error {
		if err := checkKeyspaceName(v); err != nil {
			return err
		}
		c.Keyspace.Name = v
		return nil
	}},
	{Name: "CQLTRACK_MIGRATIONS_DIR", Key: "migrations.directory", Doc: "directory of the migration files", set: func(c *Config, v string) error {
		c.Migrations.Directory = v
		return nil
	}},
	{Name: "CQLTRACK_LOCK_TTL", Key: "lock.ttl", Doc: "lease length of the migration lock", set: func(c *Config, v string) error {
		d, err := parseDuration(v, false)
		if err == nil && (d < MinLockTTL || d%time.Second != 0) {
			err = fmt.Errorf("must be a whole number of seconds, 2s or more, got %s", d)
		}
		c.Lock.TTL = d
		return err
	}},
	{Name: "CQLTRACK_LOCK_WAIT", Key: "lock.wait", Doc: "how long to wait for a held lock", set: func(c *Config, v string) error {
		d, err := parseDuration(v, true)
		c.Lock.Wait = d
		return err
	}},
	{Name: "CQLTRACK_SCHEMA_AGREEMENT_WAIT", Key: "schema.agreement_wait", Doc: "how long to wait for schema agreement", set: func(c *Config, v string) error {
		d, err := parseDuration(v, false)
		c.Schema.AgreementWait = d
		return err
	}},
	{Name: "CQLTRACK_SCHEMA_RELEASE", Key: "schema.release", Doc: "Cassandra release offline work targets", set: func(c *Config, v string) error {
		r, err := parseRelease(v)
		c.Schema.Release = r
		return err
	}},
	{Name: "CQLTRACK_PLUGIN_CACHE_DIR", Key: "plugin_cache_dir", Doc: "compiled plugin cache directory", set: func(c *Config, v string) error {
		c.PluginCacheDir = v
		return nil
	}},
}

// EnvVars lists every environment variable Load reads, in documentation
// order.
func EnvVars() []EnvVar { return slices.Clone(envVars) }

func applyEnv(c *Config, origins map[string]origin, env func(string) (string, bool), errs *errorList) {
	for _, ev := range envVars {
		if ev.set == nil {
			continue
		}
		v, ok := env(ev.Name)
		v = strings.TrimSpace(v)
		if !ok || v == "" {
			continue // empty counts as unset, as with most tools
		}
		// Apply to a copy so that a bad value leaves the previous layer's.
		next := *c
		if err := ev.set(&next, v); err != nil {
			errs.add(&Error{Source: ev.Name, Msg: err.Error()})
			continue
		}
		*c = next
		origins[ev.Key] = origin{source: ev.Name}
	}
}

func applyFlags(c *Config, origins map[string]origin, f Overrides, errs *errorList) {
	if len(f.Hosts) > 0 {
		var hosts []string
		for _, h := range f.Hosts {
			hosts = append(hosts, splitList(h)...)
		}
		bad := false
		for _, h := range hosts {
			if err := checkContactPoint(h); err != nil {
				errs.add(&Error{Source: "--host", Msg: err.Error()})
				bad = true
			}
		}
		switch {
		case len(hosts) == 0:
			errs.add(&Error{Source: "--host", Msg: "must name at least one host"})
		case !bad:
			c.Cassandra.ContactPoints = hosts
		}
	}
	if f.Port != 0 {
		if f.Port < 1 || f.Port > 65535 {
			errs.add(&Error{Source: "--port", Msg: fmt.Sprintf("must be a port between 1 and 65535, got %d", f.Port)})
		} else {
			c.Cassandra.Port = f.Port
		}
	}
	if f.Keyspace != "" {
		if err := checkKeyspaceName(f.Keyspace); err != nil {
			errs.add(&Error{Source: "--keyspace", Msg: err.Error()})
		} else {
			c.Keyspace.Name = f.Keyspace
		}
	}
	if f.MigrationsDir != "" {
		c.Migrations.Directory = f.MigrationsDir
		origins["migrations.directory"] = origin{source: "--dir"}
	}
}

func splitList(v string) []string {
	var out []string
	for _, h := range strings.Split(v, ",") {
		if h = strings.TrimSpace(h); h != "" {
			out = append(out, h)
		}
	}
	return out
}

func parsePort(v string) (int, error) {
	p, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || p < 1 || p > 65535 {
		return 0, fmt.Errorf("must be a port between 1 and 65535, got %q", v)
	}
	return p, nil
}

func parseBool(v string) (bool, error) {
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		return false, fmt.Errorf("must be true or false, got %q", v)
	}
	return b, nil
}

func parseEnum(v string, values []string, what string) (string, error) {
	if s, ok := lookupEnum(v, values); ok {
		return s, nil
	}
	return "", fmt.Errorf("unknown %s %q%s; one of %s", what, v, didYouMean(v, values), strings.Join(values, ", "))
}

// checkContactPoint refuses a contact point whose port is not one: "host",
// "host:port", "[ipv6]:port" and a bare IPv6 address are contact points;
// "host:abc" or "host:99999" would only fail later as a connection error.
func checkContactPoint(h string) error {
	if strings.Count(h, ":") != 1 && !strings.HasPrefix(h, "[") {
		return nil // a host name, or a bare IPv6 address
	}
	host, port, err := net.SplitHostPort(h)
	if err != nil {
		return fmt.Errorf("invalid contact point %q: %v; write host or host:port", h, strings.TrimPrefix(err.Error(), "address "+h+": "))
	}
	if host == "" {
		return fmt.Errorf("invalid contact point %q: no host before the port", h)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("invalid contact point %q: the port must be between 1 and 65535", h)
	}
	return nil
}
