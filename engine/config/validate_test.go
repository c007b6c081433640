package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Errorf("defaults invalid: %v", err)
	}
	full, err := Parse("x.yml", []byte(`
cassandra: {ssl: {certfile: c, keyfile: k}}
keyspace: {name: ks, replication: {class: NetworkTopologyStrategy, dc1: 3}}
lint: {rules: {a: off}, plugins: [{path: p}]}
hooks: {pre_migrate: [{path: h, env: [A]}]}
output: {formatters: [{name: f, path: f}]}
`), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := full.Validate(); err != nil {
		t.Errorf("a loaded config is invalid: %v", err)
	}
	tests := []struct {
		edit func(c *Config)
		want string
	}{
		{func(c *Config) { c.Cassandra.Port = 0 }, "cassandra.port: must be a port between 1 and 65535, got 0"},
		{func(c *Config) { c.Cassandra.ContactPoints = nil }, "cassandra.contact_points: must list at least one host"},
		{func(c *Config) { c.Cassandra.Consistency = "local_one" }, `cassandra.consistency: unknown consistency "local_one"`},
		{func(c *Config) { c.Cassandra.SerialConsistency = "" }, `cassandra.serial_consistency: unknown serial consistency ""`},
		{func(c *Config) { c.Cassandra.RequestTimeout = 0 }, "cassandra.request_timeout: duration must be positive, got 0s"},
		{func(c *Config) { c.Cassandra.SSL.KeyFile = "k" }, "cassandra.ssl: certfile and keyfile go together"},
		{func(c *Config) { c.Keyspace.Name = "a-b" }, `keyspace.name: invalid keyspace name "a-b"`},
		{func(c *Config) { c.Keyspace.Replication = Replication{Class: NetworkTopologyStrategy} }, "keyspace.replication: NetworkTopologyStrategy needs at least one data center"},
		{func(c *Config) { c.Keyspace.Replication.Factor = 0 }, "keyspace.replication: SimpleStrategy needs a positive replication_factor, got 0"},
		{func(c *Config) { c.Keyspace.Replication.Class = "Local" }, `keyspace.replication: class must be SimpleStrategy or NetworkTopologyStrategy, got "Local"`},
		{func(c *Config) { c.Migrations.Directory = "" }, "migrations.directory: must not be empty"},
		{func(c *Config) { c.Lock.TTL = 1500 * time.Millisecond }, "lock.ttl: must be a whole number of seconds, 2s or more, got 1.5s"},
		{func(c *Config) { c.Schema.AgreementWait = -time.Second }, "schema.agreement_wait: duration must be positive, got -1s"},
		{func(c *Config) { c.Schema.Release = "3.0" }, "schema.release: release 3.0 is not supported"},
		{func(c *Config) { c.Schema.Release = "latest" }, `schema.release: unknown Cassandra release "latest"`},
		{func(c *Config) { c.Lint.Rules = map[string]Rule{"x": {Severity: "fatal"}} }, `lint.rules.x: unknown severity "fatal"`},
		{func(c *Config) { c.Lint.Plugins = []Plugin{{Path: "p", MemoryPages: 1, Timeout: time.Second}} }, "lint.plugins[0].memory_pages: must be between 128 and 65536 pages, got 1"},
		{func(c *Config) { c.Lint.Plugins = []Plugin{{MemoryPages: 128, Timeout: time.Second}} }, "lint.plugins[0].path: is required"},
		{func(c *Config) {
			c.Hooks.PostMigrate = []Hook{{Plugin: Plugin{Path: "h", MemoryPages: 128, Timeout: time.Second}, OnError: "ignore"}}
		}, `hooks.post_migrate[0].on_error: must be fail or warn, got "ignore"`},
		{func(c *Config) {
			p := Plugin{Path: "f", MemoryPages: 128, Timeout: time.Second}
			c.Output.Formatters = []Formatter{{Name: "a", Plugin: p}, {Name: "a", Plugin: p}}
		}, `output.formatters[1].name: formatter "a" is defined twice`},
	}
	for _, tt := range tests {
		c := Default()
		tt.edit(c)
		err := c.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) || !errors.Is(err, ErrInvalid) {
			t.Errorf("err = %v, want it to start with %q", err, tt.want)
		}
	}
}
