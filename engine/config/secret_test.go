package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

const password = "AstraCS:super-secret-token"

func configWithPassword(t *testing.T) *Config {
	t.Helper()
	c, err := Load(LoadOptions{Dir: t.TempDir(), LookupEnv: envOf(map[string]string{"CQLTRACK_PASSWORD": password, "CQLTRACK_USERNAME": "token"})})
	if err != nil {
		t.Fatal(err)
	}
	if c.Cassandra.Auth.Password.Value() != password {
		t.Fatalf("password not loaded")
	}
	return c
}

// TestPasswordNeverPrinted renders the whole Config every way a program
// might and checks the password is in none of them.
func TestPasswordNeverPrinted(t *testing.T) {
	c := configWithPassword(t)
	outputs := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		outputs["fmt "+verb+" *Config"] = fmt.Sprintf(verb, c)
		outputs["fmt "+verb+" Config"] = fmt.Sprintf(verb, *c)
		outputs["fmt "+verb+" Secret"] = fmt.Sprintf(verb, c.Cassandra.Auth.Password)
	}
	js, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	outputs["json"] = string(js)
	ys, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	outputs["yaml"] = string(ys)
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	logger.Info("config", "password", c.Cassandra.Auth.Password, "auth", c.Cassandra.Auth)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "password", c.Cassandra.Auth.Password)
	outputs["slog"] = logs.String()
	rj, err := json.Marshal(c.Redacted())
	if err != nil {
		t.Fatal(err)
	}
	outputs["redacted json"] = string(rj)
	outputs["redacted raw"] = string(c.Redacted().Cassandra.Auth.Password)

	for name, out := range outputs {
		if strings.Contains(out, "super-secret") || strings.Contains(out, "7375706572") /* hex of "super" */ {
			t.Errorf("%s shows the password: %s", name, out)
		}
	}
	if !strings.Contains(outputs["json"], `"password":"******"`) {
		t.Errorf("json does not show the mask: %s", outputs["json"])
	}
	if !strings.Contains(outputs["fmt %+v *Config"], "Password:******") {
		t.Errorf("%%+v does not show the mask: %s", outputs["fmt %+v *Config"])
	}
	// Redacted is a copy: the original keeps its password.
	if c.Cassandra.Auth.Password.Value() != password {
		t.Error("Redacted changed the original")
	}
}

func TestEmptySecretPrintsEmpty(t *testing.T) {
	var s Secret
	if got := fmt.Sprintf("%v|%q", s, s); got != `|""` {
		t.Errorf("empty secret printed %q", got)
	}
	if c := Default().Redacted(); c.Cassandra.Auth.Password != "" {
		t.Errorf("Redacted invented a password")
	}
}

// TestPasswordNotInErrors: a malformed password entry is reported without
// its value.
func TestPasswordNotInErrors(t *testing.T) {
	src := "cassandra:\n  auth:\n    password: [\"" + password + "\"]\n    pasword: \"" + password + "\"\n"
	_, err := Parse("cqltrack.yml", []byte(src), "")
	if err == nil {
		t.Fatal("want errors")
	}
	if strings.Contains(err.Error(), "super-secret") {
		t.Errorf("error shows the password: %v", err)
	}
	if !strings.Contains(err.Error(), "cassandra.auth.password: must be a string, got a list") {
		t.Errorf("err = %v", err)
	}
}

func TestReplicationCQL(t *testing.T) {
	tests := []struct {
		r    Replication
		want string
	}{
		{Replication{Class: SimpleStrategy, Factor: 1}, `{'class': 'SimpleStrategy', 'replication_factor': 1}`},
		{Replication{Class: NetworkTopologyStrategy, DataCenters: map[string]int{"dc2": 2, "dc1": 3}},
			`{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 2}`},
		{Replication{Class: NetworkTopologyStrategy, DataCenters: map[string]int{"it's": 1}},
			`{'class': 'NetworkTopologyStrategy', 'it''s': 1}`},
	}
	for _, tt := range tests {
		c := Default()
		c.Keyspace.Replication = tt.r
		if got := c.ReplicationCQL(); got != tt.want {
			t.Errorf("ReplicationCQL() = %s, want %s", got, tt.want)
		}
	}
	if got := Default().ReplicationCQL(); got != `{'class': 'SimpleStrategy', 'replication_factor': 1}` {
		t.Errorf("default replication = %s", got)
	}
}

// TestAnchorsAndMergeKeys: profiles may share settings through YAML
// anchors kept under an x- key; explicit keys win over merged ones.
func TestAnchorsAndMergeKeys(t *testing.T) {
	src := `
x-cluster: &cluster
  contact_points: [shared-1, shared-2]
  consistency: LOCAL_QUORUM
  ssl: {enabled: true}
profiles:
  staging:
    cassandra:
      <<: *cluster
      consistency: ONE
  prod:
    cassandra: *cluster
`
	tests := map[string][2]string{"staging": {"shared-1,shared-2", "ONE"}, "prod": {"shared-1,shared-2", "LOCAL_QUORUM"}}
	for profile, want := range tests {
		c, err := Parse("cqltrack.yml", []byte(src), profile)
		if err != nil {
			t.Fatal(err)
		}
		got := [2]string{strings.Join(c.Cassandra.ContactPoints, ","), c.Cassandra.Consistency}
		if got != want || !c.Cassandra.SSL.Enabled {
			t.Errorf("%s: got %v ssl=%v, want %v with ssl", profile, got, c.Cassandra.SSL.Enabled, want)
		}
	}
}

// TestAliasBomb: aliases that expand exponentially are refused, not
// expanded until memory runs out.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("x-0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "x-%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	b.WriteString("lint:\n  plugins:\n    - path: a.wasm\n      config: {bomb: *a12}\n")
	_, err := Parse("cqltrack.yml", []byte(b.String()), "")
	if err == nil || !strings.Contains(err.Error(), "yaml aliases expand to too many values") {
		t.Errorf("err = %v", err)
	}
}
