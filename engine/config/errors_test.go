package config

import (
	"errors"
	"strings"
	"testing"
)

// TestFileErrors lists every kind of problem with the exact text a user
// sees: file:line:col first, then the key path, then a hint when one helps.
func TestFileErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"unknown key with hint", "cassandra:\n  contact_point: [a]\n",
			[]string{`cqltrack.yml:2:3: unknown key "contact_point" in cassandra (did you mean "contact_points"?)`}},
		{"unknown top-level key", "keyspaces:\n  name: a\n",
			[]string{`cqltrack.yml:1:1: unknown key "keyspaces" (did you mean "keyspace"?)`}},
		{"unknown key without hint", "lock:\n  zzz: 1\n",
			[]string{`cqltrack.yml:2:3: unknown key "zzz" in lock`}},
		{"unknown key in profile", "profiles:\n  prod:\n    cassandra:\n      prot: 1\n",
			[]string{`cqltrack.yml:4:7: unknown key "prot" in profiles.prod.cassandra (did you mean "port"?)`}},
		{"nested profiles", "profiles:\n  prod:\n    profiles: {}\n",
			[]string{`cqltrack.yml:3:5: profiles.prod: profiles cannot be nested`}},
		{"profile not a mapping", "profiles:\n  prod: [a]\n",
			[]string{`cqltrack.yml:2:9: profiles.prod: must be a mapping of overrides, got a list`}},
		{"section not a mapping", "cassandra: localhost\n",
			[]string{`cqltrack.yml:1:12: cassandra: must be a mapping, got a string`}},
		{"root not a mapping", "- a\n- b\n",
			[]string{`cqltrack.yml:1:1: the configuration: must be a mapping, got a list`}},
		{"port out of range", "cassandra:\n  port: 70000\n",
			[]string{`cqltrack.yml:2:9: cassandra.port: must be a port between 1 and 65535, got 70000`}},
		{"port wrong type", "cassandra:\n  port: abc\n",
			[]string{`cqltrack.yml:2:9: cassandra.port: must be an integer, got a string "abc"`}},
		{"port float", "cassandra:\n  port: 9042.5\n",
			[]string{`cqltrack.yml:2:9: cassandra.port: must be an integer, got a number (9042.5)`}},
		{"hosts not a list", "cassandra:\n  contact_points: {a: 1}\n",
			[]string{`cqltrack.yml:2:19: cassandra.contact_points: must be a list, such as [a, b], got a mapping`}},
		{"host with a bad port", "cassandra:\n  contact_points: [a, \"127.0.0.1:abc\"]\n",
			[]string{`cqltrack.yml:2:19: cassandra.contact_points[1]: invalid contact point "127.0.0.1:abc": the port must be between 1 and 65535`}},
		{"hosts empty", "cassandra:\n  contact_points: []\n",
			[]string{`cqltrack.yml:2:19: cassandra.contact_points: must list at least one host`}},
		{"unknown consistency", "cassandra:\n  consistency: QUORUMM\n",
			[]string{`cqltrack.yml:2:16: cassandra.consistency: unknown consistency "QUORUMM" (did you mean "QUORUM"?); one of ONE, TWO, THREE, QUORUM, ALL, LOCAL_QUORUM, EACH_QUORUM, LOCAL_ONE`}},
		{"write-only consistency", "cassandra:\n  consistency: any\n",
			[]string{`cqltrack.yml:2:16: cassandra.consistency: ANY is for writes only, and cqltrack also reads its tables at this level (Cassandra refuses reads at ANY); use LOCAL_ONE, ONE or a quorum`}},
		{"serial as consistency", "cassandra:\n  consistency: LOCAL_SERIAL\n",
			[]string{`cqltrack.yml:2:16: cassandra.consistency: LOCAL_SERIAL is a serial consistency, for conditional statements only (Cassandra refuses plain writes at it); set it as cassandra.serial_consistency and choose LOCAL_QUORUM or QUORUM here`}},
		{"unknown serial consistency", "cassandra:\n  serial_consistency: QUORUM\n",
			[]string{`cqltrack.yml:2:23: cassandra.serial_consistency: unknown serial consistency "QUORUM"; one of SERIAL, LOCAL_SERIAL`}},
		{"duration without unit", "lock:\n  wait: 300\n",
			[]string{`cqltrack.yml:2:9: lock.wait: invalid duration 300: add a unit, such as "300s"`}},
		{"bad duration", "schema:\n  agreement_wait: soon\n",
			[]string{`cqltrack.yml:2:19: schema.agreement_wait: invalid duration "soon": use a number and a unit, such as "60s" or "5m"`}},
		{"unknown release", "schema:\n  release: 5.O\n",
			[]string{`cqltrack.yml:2:12: schema.release: unknown Cassandra release "5.O" (did you mean "5.0"?); one of 3.11, 4.0, 4.1, 5.0, or a full version such as 4.0.13`}},
		{"release too old", "schema:\n  release: \"3.0.29\"\n",
			[]string{`cqltrack.yml:2:12: schema.release: release 3.0.29 is not supported: the oldest cqltrack models is 3.11`}},
		{"release not a string", "schema:\n  release: [4.0]\n",
			[]string{`cqltrack.yml:2:12: schema.release: must be a string, got a list`}},
		{"zero duration", "cassandra:\n  request_timeout: 0s\n",
			[]string{`cqltrack.yml:2:20: cassandra.request_timeout: duration must be positive, got "0s"`}},
		{"negative duration", "lock:\n  wait: -1s\n",
			[]string{`cqltrack.yml:2:9: lock.wait: duration must be positive, got "-1s"`}},
		{"fractional lock ttl", "lock:\n  ttl: 500ms\n",
			[]string{`cqltrack.yml:2:8: lock.ttl: must be a whole number of seconds, 2s or more, got 500ms`}},
		{"bool wrong type", "cassandra:\n  ssl:\n    verify: yes\n",
			[]string{`cqltrack.yml:3:13: cassandra.ssl.verify: must be true or false, got a string "yes"`}},
		{"bad keyspace name", "keyspace:\n  name: my-app\n",
			[]string{`cqltrack.yml:2:9: keyspace.name: invalid keyspace name "my-app": use 1 to 48 letters, digits and underscores`}},
		{"unknown replication class", "keyspace:\n  replication: {class: Simple, replication_factor: 1}\n",
			[]string{`cqltrack.yml:2:24: keyspace.replication.class: must be SimpleStrategy or NetworkTopologyStrategy, got "Simple" (did you mean "SimpleStrategy"?)`}},
		{"replication factor zero", "keyspace:\n  replication: {class: SimpleStrategy, replication_factor: 0}\n",
			[]string{`cqltrack.yml:2:60: keyspace.replication.replication_factor: replication factor must be a positive integer, got 0`}},
		{"replication factor string", "keyspace:\n  replication:\n    class: NetworkTopologyStrategy\n    dc1: three\n",
			[]string{`cqltrack.yml:4:10: keyspace.replication.dc1: replication factor must be a positive integer, got "three"`}},
		{"nts without dc", "keyspace:\n  replication:\n    class: NetworkTopologyStrategy\n",
			[]string{`cqltrack.yml:3:5: keyspace.replication: NetworkTopologyStrategy needs at least one data center, such as "dc1: 3"`}},
		{"nts with replication_factor", "keyspace:\n  replication:\n    class: NetworkTopologyStrategy\n    replication_factor: 3\n",
			[]string{`cqltrack.yml:4:5: keyspace.replication: NetworkTopologyStrategy takes a factor per data center, such as "dc1: 3", not replication_factor`}},
		{"simple with dc", "keyspace:\n  replication:\n    class: SimpleStrategy\n    replication_factor: 1\n    dc1: 3\n",
			[]string{`cqltrack.yml:5:5: keyspace.replication: SimpleStrategy takes only replication_factor, not data center "dc1" (use NetworkTopologyStrategy for per-data-center factors)`}},
		{"simple without factor", "keyspace:\n  replication:\n    class: SimpleStrategy\n",
			[]string{`cqltrack.yml:3:5: keyspace.replication: SimpleStrategy needs replication_factor`}},
		{"replication without class", "keyspace:\n  replication:\n    dc1: 3\n",
			[]string{`cqltrack.yml:3:5: keyspace.replication: class is required (SimpleStrategy or NetworkTopologyStrategy)`}},
		{"certfile without keyfile", "cassandra:\n  ssl:\n    certfile: c.pem\n",
			[]string{`cqltrack.yml:3:15: cassandra.ssl.certfile is set without cassandra.ssl.keyfile: a client certificate needs its key`}},
		{"keyfile without certfile", "cassandra:\n  ssl:\n    keyfile: k.pem\n",
			[]string{`cqltrack.yml:3:14: cassandra.ssl.keyfile is set without cassandra.ssl.certfile: a client key needs its certificate`}},
		{"empty path", "migrations:\n  directory: \"\"\n",
			[]string{`cqltrack.yml:2:14: migrations.directory: must not be empty`}},
		{"unknown severity", "lint:\n  rules:\n    pk-alter: warn\n",
			[]string{`cqltrack.yml:3:15: lint.rules.pk-alter: unknown severity "warn" (did you mean "warning"?); one of off, info, warning, error`}},
		{"unknown severity in long form", "lint:\n  rules:\n    pk-alter: {severity: fatal}\n",
			[]string{`cqltrack.yml:3:26: lint.rules.pk-alter.severity: unknown severity "fatal"; one of off, info, warning, error`}},
		{"negative max_warnings", "lint:\n  max_warnings: -1\n",
			[]string{`cqltrack.yml:2:17: lint.max_warnings: must be 0 or more (leave it out for no limit), got -1`}},
		{"plugin without path", "lint:\n  plugins:\n    - sha256: 0000000000000000000000000000000000000000000000000000000000000000\n",
			[]string{`cqltrack.yml:3:7: lint.plugins[0]: path is required`}},
		{"plugin not a mapping", "lint:\n  plugins: [a.wasm]\n",
			[]string{`cqltrack.yml:2:13: lint.plugins[0]: must be a mapping with at least a path, got a string`}},
		{"plugin bad sha", "lint:\n  plugins:\n    - {path: a.wasm, sha256: abc}\n",
			[]string{`cqltrack.yml:3:30: lint.plugins[0].sha256: must be 64 hexadecimal digits (the output of sha256sum), optionally after sha256:, got "abc"`}},
		{"plugin bad sha after the prefix", "lint:\n  plugins:\n    - {path: a.wasm, sha256: \"sha256:abc\"}\n",
			[]string{`cqltrack.yml:3:30: lint.plugins[0].sha256: must be 64 hexadecimal digits (the output of sha256sum), optionally after sha256:, got "sha256:abc"`}},
		{"plugin memory too small", "lint:\n  plugins:\n    - {path: a.wasm, memory_pages: 64}\n",
			[]string{`cqltrack.yml:3:36: lint.plugins[0].memory_pages: must be between 128 (8 MiB, what a Go guest needs) and 65536 (4 GiB) pages, got 64`}},
		{"plugin config not a mapping", "lint:\n  plugins:\n    - {path: a.wasm, config: [1]}\n",
			[]string{`cqltrack.yml:3:30: lint.plugins[0].config: must be a mapping, got a list`}},
		{"plugin unknown key", "lint:\n  plugins:\n    - {path: a.wasm, sha: x}\n",
			[]string{`cqltrack.yml:3:22: unknown key "sha" in lint.plugins[0] (did you mean "sha256"?)`}},
		{"hook on_error", "hooks:\n  post_migrate:\n    - {path: h.wasm, on_error: ignore}\n",
			[]string{`cqltrack.yml:3:32: hooks.post_migrate[0].on_error: unknown on_error value "ignore"; one of fail, warn`}},
		{"hook env name", "hooks:\n  pre_migrate:\n    - {path: h.wasm, env: [CI-SHA]}\n",
			[]string{`cqltrack.yml:3:27: hooks.pre_migrate[0].env[0]: "CI-SHA" is not an environment variable name`}},
		{"hook key of formatter", "hooks:\n  pre_migrate:\n    - {path: h.wasm, name: x}\n",
			[]string{`cqltrack.yml:3:22: unknown key "name" in hooks.pre_migrate[0]`}},
		{"formatter without name", "output:\n  formatters:\n    - {path: f.wasm}\n",
			[]string{`cqltrack.yml:3:7: output.formatters[0]: name is required (it selects the formatter: --format NAME)`}},
		{"formatter twice", "output:\n  formatters:\n    - {name: x, path: f.wasm}\n    - {name: x, path: g.wasm}\n",
			[]string{`cqltrack.yml:4:14: output.formatters[1]: formatter "x" is defined twice`}},
		{"formatter bad name", "output:\n  formatters:\n    - {name: My Fmt, path: f.wasm}\n",
			[]string{`cqltrack.yml:3:14: output.formatters[0].name: formatter name "My Fmt" must be lower-case letters, digits, '-' and '_'`}},
		{"malformed yaml", "cassandra:\n  contact_points: [a, b\n",
			[]string{`cqltrack.yml:2:19: invalid yaml: sequence end token ']' not found`}},
		{"duplicate key", "lock:\n  ttl: 1s\n  ttl: 2s\n",
			[]string{`cqltrack.yml:3:3: invalid yaml: mapping key "ttl" already defined at [2:3]`}},
		{"two documents", "lock: {}\n---\nschema: {}\n",
			[]string{`cqltrack.yml:3:1: only one yaml document is allowed`}},
		{"unknown alias", "cassandra:\n  <<: *nope\n",
			[]string{`cqltrack.yml:2:7: unknown yaml alias "*nope"`}},
		{"several problems at once, in line order", "cassandra:\n  port: 0\n  host: a\nlock:\n  ttl: x\n",
			[]string{
				`cqltrack.yml:2:9: cassandra.port: must be a port between 1 and 65535, got 0`,
				`cqltrack.yml:3:3: unknown key "host" in cassandra`,
				`cqltrack.yml:5:8: lock.ttl: invalid duration "x": use a number and a unit, such as "60s" or "5m"`,
			}},
		{"a profile that is not selected is still checked", "profiles:\n  prod:\n    lock: {ttl: 1}\n",
			[]string{`cqltrack.yml:3:17: profiles.prod.lock.ttl: invalid duration 1: add a unit, such as "1s"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("cqltrack.yml", []byte(tt.src), "")
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("errors.Is(err, ErrInvalid) = false for %v", err)
			}
			if got := strings.Split(err.Error(), "\n"); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

// TestBaseErrorReportedOnce: the base file is applied again while each
// profile is checked; its problems must not repeat.
func TestBaseErrorReportedOnce(t *testing.T) {
	src := "lock: {ttl: x}\nprofiles: {a: {}, b: {}, c: {}}\n"
	_, err := Parse("cqltrack.yml", []byte(src), "b")
	if err == nil || strings.Count(err.Error(), "lock.ttl") != 1 {
		t.Errorf("err = %v, want lock.ttl reported once", err)
	}
}

func TestEnvErrors(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"CQLTRACK_PORT": "abc"}, `CQLTRACK_PORT: must be a port between 1 and 65535, got "abc"`},
		{map[string]string{"CQLTRACK_PORT": "0"}, `CQLTRACK_PORT: must be a port between 1 and 65535, got "0"`},
		{map[string]string{"CQLTRACK_HOSTS": ",,"}, `CQLTRACK_HOSTS: must list at least one host`},
		{map[string]string{"CQLTRACK_HOSTS": "a,127.0.0.1:99999"}, `CQLTRACK_HOSTS: invalid contact point "127.0.0.1:99999": the port must be between 1 and 65535`},
		{map[string]string{"CQLTRACK_CONSISTENCY": "LOCAL_QUROUM"}, `CQLTRACK_CONSISTENCY: unknown consistency "LOCAL_QUROUM" (did you mean "LOCAL_QUORUM"?); one of ONE, TWO, THREE, QUORUM, ALL, LOCAL_QUORUM, EACH_QUORUM, LOCAL_ONE`},
		{map[string]string{"CQLTRACK_CONSISTENCY": "ANY"}, `CQLTRACK_CONSISTENCY: ANY is for writes only, and cqltrack also reads its tables at this level (Cassandra refuses reads at ANY); use LOCAL_ONE, ONE or a quorum`},
		{map[string]string{"CQLTRACK_SERIAL_CONSISTENCY": "ONE"}, `CQLTRACK_SERIAL_CONSISTENCY: unknown serial consistency "ONE"; one of SERIAL, LOCAL_SERIAL`},
		{map[string]string{"CQLTRACK_KEYSPACE": "a.b"}, `CQLTRACK_KEYSPACE: invalid keyspace name "a.b": use 1 to 48 letters, digits and underscores`},
		{map[string]string{"CQLTRACK_LOCK_TTL": "1500ms"}, `CQLTRACK_LOCK_TTL: must be a whole number of seconds, 2s or more, got 1.5s`},
		{map[string]string{"CQLTRACK_LOCK_WAIT": "10"}, `CQLTRACK_LOCK_WAIT: invalid duration "10": add a unit, such as "10s"`},
		{map[string]string{"CQLTRACK_CONNECT_TIMEOUT": "0s"}, `CQLTRACK_CONNECT_TIMEOUT: duration must be positive, got "0s"`},
		{map[string]string{"CQLTRACK_SCHEMA_RELEASE": "five"}, `CQLTRACK_SCHEMA_RELEASE: unknown Cassandra release "five"; one of 3.11, 4.0, 4.1, 5.0, or a full version such as 4.0.13`},
		{map[string]string{"CQLTRACK_SCHEMA_RELEASE": "2.2"}, `CQLTRACK_SCHEMA_RELEASE: release 2.2 is not supported: the oldest cqltrack models is 3.11`},
		{map[string]string{"CQLTRACK_SSL": "maybe"}, `CQLTRACK_SSL: must be true or false, got "maybe"`},
		{map[string]string{"CQLTRACK_SSL_CERTFILE": "c.pem"}, `CQLTRACK_SSL_CERTFILE: cassandra.ssl.certfile is set without cassandra.ssl.keyfile: a client certificate needs its key`},
		{map[string]string{"CQLTRACK_PORT": "x", "CQLTRACK_SSL_VERIFY": "nope"},
			"CQLTRACK_PORT: must be a port between 1 and 65535, got \"x\"\nCQLTRACK_SSL_VERIFY: must be true or false, got \"nope\""},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := Load(LoadOptions{Dir: t.TempDir(), LookupEnv: envOf(tt.env)})
			if err == nil || err.Error() != tt.want || !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestEnvSetsEveryVariable(t *testing.T) {
	env := map[string]string{
		"CQLTRACK_HOSTS": "h1,h2", "CQLTRACK_PORT": "19042", "CQLTRACK_USERNAME": "u", "CQLTRACK_PASSWORD": "p",
		"CQLTRACK_CONSISTENCY": "quorum", "CQLTRACK_SERIAL_CONSISTENCY": "local_serial",
		"CQLTRACK_CONNECT_TIMEOUT": "1s", "CQLTRACK_REQUEST_TIMEOUT": "2s", "CQLTRACK_LOCAL_DC": "dc9",
		"CQLTRACK_SSL": "true", "CQLTRACK_SSL_CA_CERTS": "ca", "CQLTRACK_SSL_CERTFILE": "c", "CQLTRACK_SSL_KEYFILE": "k",
		"CQLTRACK_SSL_VERIFY": "false", "CQLTRACK_SECURE_CONNECT_BUNDLE": "b.zip", "CQLTRACK_KEYSPACE": "ks",
		"CQLTRACK_MIGRATIONS_DIR": "m", "CQLTRACK_LOCK_TTL": "30s", "CQLTRACK_LOCK_WAIT": "0s",
		"CQLTRACK_SCHEMA_AGREEMENT_WAIT": "3s", "CQLTRACK_SCHEMA_RELEASE": "3.11.17", "CQLTRACK_PLUGIN_CACHE_DIR": "cache",
	}
	for _, ev := range EnvVars() {
		if _, ok := env[ev.Name]; !ok && ev.Key != "" {
			t.Errorf("%s is not covered by this test", ev.Name)
		}
	}
	c, err := Load(LoadOptions{Dir: t.TempDir(), LookupEnv: envOf(env)})
	if err != nil {
		t.Fatal(err)
	}
	cs := c.Cassandra
	got := []any{strings.Join(cs.ContactPoints, ","), cs.Port, cs.Auth.Username, cs.Auth.Password.Value(), cs.Consistency,
		cs.SerialConsistency, cs.ConnectTimeout.String(), cs.RequestTimeout.String(), cs.LocalDC, cs.SSL.Enabled, cs.SSL.CACerts,
		cs.SSL.CertFile, cs.SSL.KeyFile, cs.SSL.Verify, cs.SecureConnectBundle, c.Keyspace.Name, c.Migrations.Directory,
		c.Lock.TTL.String(), c.Lock.Wait.String(), c.Schema.AgreementWait.String(), c.Schema.Release, c.PluginCacheDir}
	want := []any{"h1,h2", 19042, "u", "p", "QUORUM", "LOCAL_SERIAL", "1s", "2s", "dc9", true, "ca", "c", "k", false, "b.zip",
		"ks", "m", "30s", "0s", "3s", "3.11", "cache"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestFlagErrors(t *testing.T) {
	tests := []struct {
		flags Overrides
		want  string
	}{
		{Overrides{Port: 70000}, `--port: must be a port between 1 and 65535, got 70000`},
		{Overrides{Port: -1}, `--port: must be a port between 1 and 65535, got -1`},
		{Overrides{Keyspace: "bad name"}, `--keyspace: invalid keyspace name "bad name": use 1 to 48 letters, digits and underscores`},
		{Overrides{Hosts: []string{" , "}}, `--host: must name at least one host`},
	}
	for _, tt := range tests {
		_, err := Load(LoadOptions{Dir: t.TempDir(), Flags: tt.flags})
		if err == nil || err.Error() != tt.want || !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: err = %v, want %q", tt.flags, err, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"contact_points", "port", "auth", "consistency", "serial_consistency"}
	tests := map[string]string{
		"contact_point": "contact_points", "prot": "port", "Port": "port", "consistancy": "consistency",
		"zzz": "", "contact": "contact_points", "a": "",
	}
	for word, want := range tests {
		if got := suggest(word, keys); got != want {
			t.Errorf("suggest(%q) = %q, want %q", word, got, want)
		}
	}
}
