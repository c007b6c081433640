package config

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzParse: any input gives a Config or an error, never a panic; every
// error is an *Error with a position in the file, or an unknown profile; a
// Config it returns passes Validate (the checks of code-built configs and
// those of the decoder must not drift apart).
func FuzzParse(f *testing.F) {
	f.Add([]byte("cassandra:\n  port: 9042\n"), "")
	f.Add([]byte("profiles:\n  prod: {keyspace: {name: p}}\n"), "prod")
	f.Add([]byte("schema: {release: 3.11}\nprofiles:\n  next: {schema: {release: \"4.0.13\"}}\n"), "next")
	f.Add([]byte("cassandra: {ssl: {certfile: c, keyfile: k}}\nkeyspace: {name: ks, replication: {class: NetworkTopologyStrategy, dc1: 3}}\n"+
		"lint: {rules: {a: off}, plugins: [{path: p}]}\nhooks: {pre_migrate: [{path: h, env: [A]}]}\noutput: {formatters: [{name: f, path: f}]}\n"), "")
	f.Fuzz(func(t *testing.T, data []byte, profile string) {
		c, err := Parse("f.yml", data, profile)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) && !errors.Is(err, ErrUnknownProfile) {
				t.Fatalf("error of an unexpected kind: %v", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse accepted a config Validate refuses: %v", err)
		}
		_ = c.ReplicationCQL()
		if _, err := json.Marshal(c.Redacted()); err != nil {
			t.Fatalf("marshal: %v", err)
		}
	})
}
