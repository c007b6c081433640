package config

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzParse: any input gives a Config or an error, never a panic; every
// error is an *Error with a position in the file, or an unknown profile.
func FuzzParse(f *testing.F) {
	f.Add([]byte("cassandra:\n  port: 9042\n"), "")
	f.Add([]byte("profiles:\n  prod: {keyspace: {name: p}}\n"), "prod")
	f.Fuzz(func(t *testing.T, data []byte, profile string) {
		c, err := Parse("f.yml", data, profile)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) && !errors.Is(err, ErrUnknownProfile) {
				t.Fatalf("error of an unexpected kind: %v", err)
			}
			return
		}
		_ = c.ReplicationCQL()
		if _, err := json.Marshal(c.Redacted()); err != nil {
			t.Fatalf("marshal: %v", err)
		}
	})
}
