package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Validate checks a Config built in code (a Go service that does not read
// cqltrack.yml) with the rules Load applies to the file. Each problem is an
// *Error whose message starts with the key, such as "cassandra.port: must
// be a port between 1 and 65535, got 0"; all are returned together. A
// Config returned by Load is always valid.
func (c *Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &Error{Msg: key + ": " + fmt.Sprintf(format, args...)})
	}
	positive := func(key string, d time.Duration) {
		if d <= 0 {
			bad(key, "duration must be positive, got %s", d)
		}
	}
	cs := c.Cassandra
	if len(cs.ContactPoints) == 0 && cs.SecureConnectBundle == "" {
		bad("cassandra.contact_points", "must list at least one host")
	}
	for i, h := range cs.ContactPoints {
		if strings.TrimSpace(h) == "" {
			bad(fmt.Sprintf("cassandra.contact_points[%d]", i), "empty host")
		} else if err := checkContactPoint(strings.TrimSpace(h)); err != nil {
			bad(fmt.Sprintf("cassandra.contact_points[%d]", i), "%v", err)
		}
	}
	if cs.Port < 1 || cs.Port > 65535 {
		bad("cassandra.port", "must be a port between 1 and 65535, got %d", cs.Port)
	}
	if why := refusedConsistency(cs.Consistency); why != "" {
		bad("cassandra.consistency", "%s", why)
	} else if !slices.Contains(Consistencies, cs.Consistency) {
		bad("cassandra.consistency", "unknown consistency %q; one of %s", cs.Consistency, strings.Join(Consistencies, ", "))
	}
	if !slices.Contains(SerialConsistencies, cs.SerialConsistency) {
		bad("cassandra.serial_consistency", "unknown serial consistency %q; one of %s", cs.SerialConsistency, strings.Join(SerialConsistencies, ", "))
	}
	positive("cassandra.connect_timeout", cs.ConnectTimeout)
	positive("cassandra.request_timeout", cs.RequestTimeout)
	if (cs.SSL.CertFile == "") != (cs.SSL.KeyFile == "") {
		bad("cassandra.ssl", "certfile and keyfile go together: a client certificate needs its key")
	}
	if c.Keyspace.Name != "" {
		if err := checkKeyspaceName(c.Keyspace.Name); err != nil {
			bad("keyspace.name", "%v", err)
		}
	}
	if err := c.Keyspace.Replication.check(); err != nil {
		bad("keyspace.replication", "%v", err)
	}
	if c.Migrations.Directory == "" {
		bad("migrations.directory", "must not be empty")
	}
	if c.Lock.TTL < MinLockTTL || c.Lock.TTL%time.Second != 0 {
		bad("lock.ttl", "must be a whole number of seconds, 2s or more, got %s", c.Lock.TTL)
	}
	if c.Lock.Wait < 0 {
		bad("lock.wait", "duration must not be negative, got %s", c.Lock.Wait)
	}
	positive("schema.agreement_wait", c.Schema.AgreementWait)
	if c.Schema.Release != "" {
		if _, err := parseRelease(c.Schema.Release); err != nil {
			bad("schema.release", "%v", err)
		}
	}
	for id, r := range c.Lint.Rules {
		if r.Severity != "" && !slices.Contains(Severities, r.Severity) {
			bad("lint.rules."+id, "unknown severity %q; one of %s", r.Severity, strings.Join(Severities, ", "))
		}
	}
	if c.Lint.MaxWarnings < NoWarningLimit {
		bad("lint.max_warnings", "must be 0 or more, or NoWarningLimit, got %d", c.Lint.MaxWarnings)
	}
	for i, p := range c.Lint.Plugins {
		p.check(fmt.Sprintf("lint.plugins[%d]", i), bad)
	}
	for _, list := range []struct {
		key   string
		hooks []Hook
	}{{"hooks.pre_migrate", c.Hooks.PreMigrate}, {"hooks.post_migrate", c.Hooks.PostMigrate}} {
		for i, h := range list.hooks {
			key := fmt.Sprintf("%s[%d]", list.key, i)
			h.check(key, bad)
			if h.OnError != OnErrorFail && h.OnError != OnErrorWarn {
				bad(key+".on_error", "must be %s or %s, got %q", OnErrorFail, OnErrorWarn, h.OnError)
			}
			for j, name := range h.Env {
				if !envName.MatchString(name) {
					bad(fmt.Sprintf("%s.env[%d]", key, j), "%q is not an environment variable name", name)
				}
			}
		}
	}
	seen := map[string]bool{}
	for i, f := range c.Output.Formatters {
		key := fmt.Sprintf("output.formatters[%d]", i)
		f.check(key, bad)
		switch {
		case !formatName.MatchString(f.Name):
			bad(key+".name", "formatter name %q must be lower-case letters, digits, '-' and '_'", f.Name)
		case seen[f.Name]:
			bad(key+".name", "formatter %q is defined twice", f.Name)
		}
		seen[f.Name] = true
	}
	return errors.Join(errs...)
}

func (p Plugin) check(key string, bad func(key, format string, args ...any)) {
	if p.Path == "" {
		bad(key+".path", "is required")
	}
	if p.SHA256 != "" && !sha256Hex.MatchString(NormalizeSHA256(p.SHA256)) {
		bad(key+".sha256", "must be 64 hexadecimal digits, optionally after sha256:, got %q", p.SHA256)
	}
	if p.MemoryPages < MinPluginMemoryPages || p.MemoryPages > MaxPluginMemoryPages {
		bad(key+".memory_pages", "must be between %d and %d pages, got %d", MinPluginMemoryPages, MaxPluginMemoryPages, p.MemoryPages)
	}
	if p.Timeout <= 0 {
		bad(key+".timeout", "duration must be positive, got %s", p.Timeout)
	}
}

// check applies the replication rules the decoder applies to the file.
func (r Replication) check() error {
	for dc, n := range r.DataCenters {
		if n <= 0 {
			return fmt.Errorf("replication factor of %q must be a positive integer, got %d", dc, n)
		}
	}
	switch r.Class {
	case SimpleStrategy:
		if len(r.DataCenters) > 0 {
			return errors.New("SimpleStrategy takes only replication_factor, not data centers")
		}
		if r.Factor <= 0 {
			return fmt.Errorf("SimpleStrategy needs a positive replication_factor, got %d", r.Factor)
		}
	case NetworkTopologyStrategy:
		if r.Factor != 0 {
			return errors.New("NetworkTopologyStrategy takes a factor per data center, not replication_factor")
		}
		if len(r.DataCenters) == 0 {
			return errors.New("NetworkTopologyStrategy needs at least one data center")
		}
	default:
		return fmt.Errorf("class must be SimpleStrategy or NetworkTopologyStrategy, got %q", r.Class)
	}
	return nil
}
