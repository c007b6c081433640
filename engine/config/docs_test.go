package config

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// The configuration reference must stay true: its YAML examples load, and
// it names every key and every environment variable.

func readDocs(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDocsExamplesLoad(t *testing.T) {
	docs := readDocs(t)
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(docs, -1)
	if len(blocks) < 2 {
		t.Fatalf("found %d yaml examples", len(blocks))
	}
	for i, b := range blocks {
		c, err := Parse("example.yml", []byte(b[1]), "")
		if err != nil {
			t.Errorf("example %d: %v", i+1, err)
			continue
		}
		for _, p := range c.Profiles() {
			if _, err := Parse("example.yml", []byte(b[1]), p); err != nil {
				t.Errorf("example %d, profile %s: %v", i+1, p, err)
			}
		}
	}
	prod, err := Parse("example.yml", []byte(blocks[0][1]), "prod")
	if err != nil {
		t.Fatal(err)
	}
	if got := prod.ReplicationCQL(); got != "{'class': 'NetworkTopologyStrategy', 'eu-west': 3, 'us-east': 3}" {
		t.Errorf("prod replication %s", got)
	}
	if len(prod.Cassandra.ContactPoints) != 3 || prod.Cassandra.Consistency != "EACH_QUORUM" || !prod.Cassandra.SSL.Enabled {
		t.Errorf("prod profile did not apply the shared anchor: %+v", prod.Cassandra)
	}
}

func TestDocsNameEveryEnvVar(t *testing.T) {
	docs := readDocs(t)
	for _, ev := range EnvVars() {
		row := "| `" + ev.Name + "` |"
		if !strings.Contains(docs, row) {
			t.Errorf("docs/configuration.md has no row for %s", ev.Name)
		}
		if ev.Key != "" && !strings.Contains(docs, row+" `"+ev.Key+"` |") {
			t.Errorf("docs/configuration.md does not say %s overrides %s", ev.Name, ev.Key)
		}
	}
}

func TestDocsNameEveryKey(t *testing.T) {
	docs := readDocs(t)
	var walk func(prefix string, typ reflect.Type, nested bool)
	walk = func(prefix string, typ reflect.Type, nested bool) {
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			if f.Anonymous {
				walk(prefix, f.Type, nested)
				continue
			}
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			switch name {
			case "file", "profile", "data_centers", "options":
				continue // not keys of the file (data centers and options are <dc> and <option>)
			}
			key := name
			if !nested && prefix != "" {
				key = prefix + "." + name
			}
			want := "`" + key + "`"
			if !strings.Contains(docs, want) && !strings.Contains(docs, "`"+key+".") {
				t.Errorf("docs/configuration.md does not document %s", want)
			}
			ft := f.Type
			switch {
			case ft.Kind() == reflect.Struct && ft.PkgPath() == typ.PkgPath():
				walk(key, ft, nested)
			case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
				walk(key, ft.Elem(), true) // list entries: documented by field name
			case ft.Kind() == reflect.Map && ft.Elem().Kind() == reflect.Struct:
				walk(key, ft.Elem(), true)
			}
		}
	}
	walk("", reflect.TypeOf(Config{}), false)
}
