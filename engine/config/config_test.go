package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// writeFile writes name under dir and returns dir.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func envOf(kv map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := kv[k]
		return v, ok
	}
}

func TestDefaultsWhenNoFile(t *testing.T) {
	c, err := Load(LoadOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	if !reflect.DeepEqual(withoutOrigins(c), want) {
		t.Errorf("Load with no file = %+v, want the defaults %+v", c, want)
	}
	if c.Cassandra.Port != 9042 || c.Cassandra.Consistency != "LOCAL_ONE" || c.Cassandra.SerialConsistency != "SERIAL" ||
		c.Migrations.Directory != "migrations" || c.Lock.TTL != time.Minute || c.Lock.Wait != 5*time.Minute ||
		c.Schema.AgreementWait != time.Minute || !c.Cassandra.SSL.Verify || c.Lint.MaxWarnings != NoWarningLimit {
		t.Errorf("defaults differ from docs/configuration.md: %+v", c)
	}
}

const layered = `
cassandra:
  contact_points: [file-host]
  port: 9101
  consistency: quorum
keyspace:
  name: file_ks
migrations:
  directory: file_dir
profiles:
  prod:
    cassandra:
      contact_points: [prod-host]
      port: 9102
      consistency: local_quorum
    keyspace:
      name: prod_ks
    migrations:
      directory: prod_dir
`

// TestPrecedence checks each layer overrides the one before it:
// defaults < file < profile < environment < flags.
func TestPrecedence(t *testing.T) {
	type view struct {
		hosts       string
		port        int
		keyspace    string
		consistency string
		dir         string
	}
	fullEnv := map[string]string{
		"CQLTRACK_HOSTS": "env-a, env-b", "CQLTRACK_PORT": "9103", "CQLTRACK_KEYSPACE": "env_ks",
		"CQLTRACK_CONSISTENCY": "all", "CQLTRACK_MIGRATIONS_DIR": "env_dir",
	}
	tests := []struct {
		name  string
		file  string
		env   map[string]string
		flags Overrides
		want  view
	}{
		{"defaults", "", nil, Overrides{}, view{"127.0.0.1", 9042, "", "LOCAL_ONE", "migrations"}},
		{"file", layered, nil, Overrides{}, view{"file-host", 9101, "file_ks", "QUORUM", "file_dir"}},
		{"profile by flag", layered, nil, Overrides{Profile: "prod"}, view{"prod-host", 9102, "prod_ks", "LOCAL_QUORUM", "prod_dir"}},
		{"profile by env", layered, map[string]string{"CQLTRACK_PROFILE": "prod"}, Overrides{}, view{"prod-host", 9102, "prod_ks", "LOCAL_QUORUM", "prod_dir"}},
		{"env over profile", layered, merge(fullEnv, map[string]string{"CQLTRACK_PROFILE": "prod"}), Overrides{},
			view{"env-a,env-b", 9103, "env_ks", "ALL", "env_dir"}},
		{"env over file", layered, fullEnv, Overrides{}, view{"env-a,env-b", 9103, "env_ks", "ALL", "env_dir"}},
		{"empty env is unset", layered, map[string]string{"CQLTRACK_PORT": "", "CQLTRACK_HOSTS": " "}, Overrides{},
			view{"file-host", 9101, "file_ks", "QUORUM", "file_dir"}},
		{"flags over env", layered, fullEnv,
			Overrides{Profile: "prod", Hosts: []string{"flag-a", "flag-b,flag-c"}, Port: 9104, Keyspace: "flag_ks", MigrationsDir: "flag_dir"},
			view{"flag-a,flag-b,flag-c", 9104, "flag_ks", "ALL", "flag_dir"}},
		{"flag profile over env profile", layered + "  dev: {keyspace: {name: dev_ks}}\n", map[string]string{"CQLTRACK_PROFILE": "dev"},
			Overrides{Profile: "prod"}, view{"prod-host", 9102, "prod_ks", "LOCAL_QUORUM", "prod_dir"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.file != "" {
				writeFile(t, dir, DefaultFile, tt.file)
			}
			c, err := Load(LoadOptions{Dir: dir, LookupEnv: envOf(tt.env), Flags: tt.flags})
			if err != nil {
				t.Fatal(err)
			}
			got := view{strings.Join(c.Cassandra.ContactPoints, ","), c.Cassandra.Port, c.Keyspace.Name, c.Cassandra.Consistency, c.Migrations.Directory}
			// Relative paths from the file are resolved against its directory.
			got.dir = strings.TrimPrefix(got.dir, dir+string(filepath.Separator))
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// TestProfileMerging: mappings merge key by key, lists and the replication
// map are replaced whole, lint rules merge by id.
func TestProfileMerging(t *testing.T) {
	src := `
cassandra:
  contact_points: [a, b]
  auth: {username: app, password: base-secret}
  ssl: {enabled: true, ca_certs: /etc/ca.pem}
keyspace:
  name: app
  replication: {class: SimpleStrategy, replication_factor: 1}
lint:
  rules:
    drop-table: error
    truncate: warning
profiles:
  prod:
    cassandra:
      contact_points: [c]
      auth: {password: prod-secret}
      ssl: {verify: false}
    keyspace:
      replication: {class: NetworkTopologyStrategy, dc1: 3, dc2: 2}
    lint:
      rules:
        truncate: {severity: error, allow_in: [seed]}
`
	c, err := Parse("cqltrack.yml", []byte(src), "prod")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Cassandra.ContactPoints; !reflect.DeepEqual(got, []string{"c"}) {
		t.Errorf("contact_points = %v, want the profile's list only", got)
	}
	if c.Cassandra.Auth.Username != "app" || c.Cassandra.Auth.Password.Value() != "prod-secret" {
		t.Errorf("auth = %q/%q, want username kept and password overridden", c.Cassandra.Auth.Username, c.Cassandra.Auth.Password.Value())
	}
	if s := c.Cassandra.SSL; !s.Enabled || s.CACerts != "/etc/ca.pem" || s.Verify {
		t.Errorf("ssl = %+v, want enabled and ca_certs kept, verify overridden", s)
	}
	wantRepl := Replication{Class: NetworkTopologyStrategy, DataCenters: map[string]int{"dc1": 3, "dc2": 2}}
	if !reflect.DeepEqual(c.Keyspace.Replication, wantRepl) {
		t.Errorf("replication = %+v, want %+v (replaced, not merged)", c.Keyspace.Replication, wantRepl)
	}
	wantRules := map[string]Rule{
		"drop-table": {Severity: "error"},
		"truncate":   {Severity: "error", Options: map[string]any{"allow_in": []any{"seed"}}},
	}
	if !reflect.DeepEqual(c.Lint.Rules, wantRules) {
		t.Errorf("rules = %#v, want %#v", c.Lint.Rules, wantRules)
	}
	if c.Profile != "prod" || !reflect.DeepEqual(c.Profiles(), []string{"prod"}) {
		t.Errorf("Profile %q Profiles %v", c.Profile, c.Profiles())
	}
}

func TestEveryKey(t *testing.T) {
	src := `
cassandra:
  contact_points: [10.0.0.1, "10.0.0.2:9043"]
  port: 9142
  auth:
    username: token
    password: AstraCS:abc
  consistency: EACH_QUORUM
  serial_consistency: local_serial
  connect_timeout: 3s
  request_timeout: 1m
  ssl:
    enabled: true
    ca_certs: ca.pem
    certfile: client.pem
    keyfile: client.key
    verify: false
    server_name: db.example.com
  secure_connect_bundle: bundle.zip
  local_dc: dc1
keyspace:
  name: Orders_2
  replication:
    class: org.apache.cassandra.locator.NetworkTopologyStrategy
    dc1: 3
migrations:
  directory: db/migrations
lock:
  ttl: 90s
  wait: 0s
schema:
  agreement_wait: 2m
  release: 4.0.13
lint:
  max_warnings: 10
  rules:
    allow-filtering: off
  plugins:
    - path: rules/acme.wasm
      sha256: ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789
      config: {max_ttl: 86400, tables: [a, b], nested: {on: true}}
      memory_pages: 256
      timeout: 2s
hooks:
  pre_migrate:
    - path: hooks/window.wasm
      on_error: fail
      env: [CI_COMMIT_SHA, BREAK_GLASS]
  post_migrate:
    - path: hooks/notify.wasm
      on_error: WARN
output:
  formatters:
    - name: team-report
      path: fmt/report.wasm
plugin_cache_dir: .cache/cqltrack
x-anchors: {ignored: true}
`
	c, err := Parse("cqltrack.yml", []byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Cassandra: Cassandra{
			ContactPoints: []string{"10.0.0.1", "10.0.0.2:9043"}, Port: 9142,
			Auth:        Auth{Username: "token", Password: "AstraCS:abc"},
			Consistency: "EACH_QUORUM", SerialConsistency: "LOCAL_SERIAL",
			ConnectTimeout: 3 * time.Second, RequestTimeout: time.Minute,
			SSL:                 SSL{Enabled: true, CACerts: "ca.pem", CertFile: "client.pem", KeyFile: "client.key", Verify: false, ServerName: "db.example.com"},
			SecureConnectBundle: "bundle.zip", LocalDC: "dc1",
		},
		Keyspace:   Keyspace{Name: "Orders_2", Replication: Replication{Class: NetworkTopologyStrategy, DataCenters: map[string]int{"dc1": 3}}},
		Migrations: Migrations{Directory: "db/migrations"},
		Lock:       Lock{TTL: 90 * time.Second, Wait: 0},
		Schema:     Schema{AgreementWait: 2 * time.Minute, Release: "4.0"},
		Lint: Lint{
			MaxWarnings: 10,
			Rules:       map[string]Rule{"allow-filtering": {Severity: "off"}},
			Plugins: []Plugin{{
				Path: "rules/acme.wasm", SHA256: "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
				Config:      map[string]any{"max_ttl": int64(86400), "tables": []any{"a", "b"}, "nested": map[string]any{"on": true}},
				MemoryPages: 256, Timeout: 2 * time.Second,
			}},
		},
		Hooks: Hooks{
			PreMigrate: []Hook{{Plugin: Plugin{Path: "hooks/window.wasm", MemoryPages: DefaultPluginMemoryPages, Timeout: DefaultPluginTimeout},
				OnError: "fail", Env: []string{"CI_COMMIT_SHA", "BREAK_GLASS"}}},
			PostMigrate: []Hook{{Plugin: Plugin{Path: "hooks/notify.wasm", MemoryPages: DefaultPluginMemoryPages, Timeout: DefaultPluginTimeout},
				OnError: "warn"}},
		},
		Output: Output{Formatters: []Formatter{{Name: "team-report",
			Plugin: Plugin{Path: "fmt/report.wasm", MemoryPages: DefaultPluginMemoryPages, Timeout: DefaultPluginTimeout}}}},
		PluginCacheDir: ".cache/cqltrack",
		File:           "cqltrack.yml",
	}
	if !reflect.DeepEqual(withoutOrigins(c), want) {
		t.Errorf("got\n%+v\nwant\n%+v", c, want)
	}
}

func TestRelativePathsFollowTheFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "deploy/cqltrack.yml", `
migrations: {directory: ../db}
cassandra:
  ssl: {ca_certs: ca.pem, certfile: /abs/c.pem, keyfile: k.pem}
lint:
  plugins: [{path: r.wasm}]
`)
	c, err := Load(LoadOptions{Dir: dir, Flags: Overrides{ConfigPath: "deploy/cqltrack.yml"}})
	if err != nil {
		t.Fatal(err)
	}
	deploy := filepath.Join(dir, "deploy")
	checks := map[string][2]string{
		"migrations.directory": {c.Migrations.Directory, filepath.Join(dir, "db")},
		"ssl.ca_certs":         {c.Cassandra.SSL.CACerts, filepath.Join(deploy, "ca.pem")},
		"ssl.certfile":         {c.Cassandra.SSL.CertFile, "/abs/c.pem"},
		"ssl.keyfile":          {c.Cassandra.SSL.KeyFile, filepath.Join(deploy, "k.pem")},
		"lint.plugins[0].path": {c.Lint.Plugins[0].Path, filepath.Join(deploy, "r.wasm")},
	}
	for k, v := range checks {
		if v[0] != v[1] {
			t.Errorf("%s = %q, want %q", k, v[0], v[1])
		}
	}
	if c.File != "deploy/cqltrack.yml" {
		t.Errorf("File = %q", c.File)
	}
}

func TestConfigFileSelection(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "other.yml", "keyspace: {name: other}\n")
	writeFile(t, dir, DefaultFile, "keyspace: {name: default_file}\n")
	tests := []struct {
		name    string
		env     map[string]string
		flags   Overrides
		want    string
		wantErr string
	}{
		{"default file", nil, Overrides{}, "default_file", ""},
		{"env names a file", map[string]string{"CQLTRACK_CONFIG": "other.yml"}, Overrides{}, "other", ""},
		{"flag beats env", map[string]string{"CQLTRACK_CONFIG": "missing.yml"}, Overrides{ConfigPath: "other.yml"}, "other", ""},
		{"missing flag file", nil, Overrides{ConfigPath: "nope.yml"}, "", "nope.yml (named by --config): configuration file not found"},
		{"missing env file", map[string]string{"CQLTRACK_CONFIG": "nope.yml"}, Overrides{}, "", "nope.yml (named by CQLTRACK_CONFIG): configuration file not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(LoadOptions{Dir: dir, LookupEnv: envOf(tt.env), Flags: tt.flags})
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || !errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want %q (ErrNotFound)", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Keyspace.Name != tt.want {
				t.Errorf("keyspace %q, want %q", c.Keyspace.Name, tt.want)
			}
		})
	}
}

func TestProfilesErrors(t *testing.T) {
	src := "profiles:\n  dev: {}\n  prod:\n  staging:\n    keyspace: {name: stg}\n"
	c, err := Parse("cqltrack.yml", []byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Profiles(); !reflect.DeepEqual(got, []string{"dev", "prod", "staging"}) {
		t.Errorf("Profiles() = %v", got)
	}
	dir := writeFile(t, t.TempDir(), DefaultFile, src)
	_, err = Load(LoadOptions{Dir: dir, Flags: Overrides{Profile: "prd"}})
	const want = `--profile: unknown profile "prd" (did you mean "prod"?); known profiles: dev, prod, staging`
	if err == nil || err.Error() != want || !errors.Is(err, ErrUnknownProfile) {
		t.Errorf("err = %v, want %q", err, want)
	}
	_, err = Load(LoadOptions{Dir: t.TempDir(), LookupEnv: envOf(map[string]string{"CQLTRACK_PROFILE": "prod"})})
	const none = `CQLTRACK_PROFILE: unknown profile "prod": the configuration (no file was read) defines no profiles`
	if err == nil || err.Error() != none {
		t.Errorf("err = %v, want %q", err, none)
	}
}

func TestEmptyAndCommentOnlyFiles(t *testing.T) {
	for _, src := range []string{"", "# nothing configured yet\n", "---\n", "cassandra:\nkeyspace: ~\n"} {
		c, err := Parse("cqltrack.yml", []byte(src), "")
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		c.File = ""
		if !reflect.DeepEqual(withoutOrigins(c), Default()) {
			t.Errorf("%q: not the defaults: %+v", src, c)
		}
	}
}

// TestByteOrderMark: a file saved with a UTF-8 byte order mark (Windows
// editors) reads as without it, and errors on its first line keep their
// columns.
func TestByteOrderMark(t *testing.T) {
	c, err := Parse("cqltrack.yml", []byte("\xef\xbb\xbfkeyspace:\n  name: shop\n"), "")
	if err != nil || c.Keyspace.Name != "shop" {
		t.Fatalf("with a BOM: %v, keyspace %q", err, c.Keyspace.Name)
	}
	_, err = Parse("cqltrack.yml", []byte("\xef\xbb\xbfkeyspac: {name: shop}\n"), "")
	if err == nil || !strings.Contains(err.Error(), `cqltrack.yml:1:1: unknown key "keyspac"`) {
		t.Errorf("unknown key after a BOM: %v", err)
	}
}

// withoutOrigins is c without the record of where its values came from
// (Config.At), for comparing values only.
func withoutOrigins(c *Config) *Config {
	d := *c
	d.origins = nil
	return &d
}

// TestAt: a value's origin is its file position, its environment variable
// or nothing for a default, so that errors found after loading (a CA file
// that cannot be read) point where the user wrote the value.
func TestAt(t *testing.T) {
	dir := t.TempDir()
	src := "cassandra:\n  ssl:\n    ca_certs: ca.pem\nschema:\n  release: 3.11\n"
	if err := os.WriteFile(filepath.Join(dir, "cqltrack.yml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(LoadOptions{Dir: dir, LookupEnv: envOf(map[string]string{"CQLTRACK_SSL_CERTFILE": "c.pem", "CQLTRACK_SSL_KEYFILE": "k.pem"})})
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"cassandra.ssl.ca_certs": "cqltrack.yml:3:15",
		"cassandra.ssl.certfile": "CQLTRACK_SSL_CERTFILE",
		"schema.release":         "cqltrack.yml:5:12",
		"cassandra.port":         "",
	} {
		if got := c.At(key); got != want {
			t.Errorf("At(%q) = %q, want %q", key, got, want)
		}
	}
	if got := c.Redacted().At("cassandra.ssl.certfile"); got != "CQLTRACK_SSL_CERTFILE" {
		t.Errorf("a redacted copy lost the origins: %q", got)
	}
}

// TestPluginPinPrefix: a pin written as a checksum tool or a registry
// prints it, "sha256:" or "SHA256:" first and in either case, is accepted,
// as docs/plugin-abi.md says, and kept as lower-case hex.
func TestPluginPinPrefix(t *testing.T) {
	const hex = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
	for _, pin := range []string{hex, strings.ToUpper(hex), "sha256:" + hex, "SHA256:" + strings.ToUpper(hex), "Sha256:" + hex} {
		c, err := Parse("cqltrack.yml", []byte("lint:\n  plugins:\n    - {path: a.wasm, sha256: \""+pin+"\"}\n"), "")
		if err != nil {
			t.Errorf("pin %s: %v", pin, err)
			continue
		}
		if got := c.Lint.Plugins[0].SHA256; got != hex {
			t.Errorf("pin %s read as %s, want %s", pin, got, hex)
		}
		if err := c.Validate(); err != nil {
			t.Errorf("pin %s: validate: %v", pin, err)
		}
	}
}
