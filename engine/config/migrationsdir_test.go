package config

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDefaultMigrationsDirIsNextToTheFile: a configuration file that does
// not name its migrations directory finds the default one beside it, as it
// would a directory it names; flags and the environment stay relative to
// the working directory.
func TestDefaultMigrationsDirIsNextToTheFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "project"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "project", "cqltrack.yml"), []byte("keyspace:\n  name: app\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		flags Overrides
		env   map[string]string
		want  string
	}{
		{"default beside the file", Overrides{ConfigPath: "project/cqltrack.yml"}, nil, filepath.Join(dir, "project", "migrations")},
		{"--dir stays as given", Overrides{ConfigPath: "project/cqltrack.yml", MigrationsDir: "db"}, nil, "db"},
		{"environment stays as given", Overrides{ConfigPath: "project/cqltrack.yml"}, map[string]string{"CQLTRACK_MIGRATIONS_DIR": "db"}, "db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(LoadOptions{Flags: tt.flags, Dir: dir, LookupEnv: func(k string) (string, bool) {
				v, ok := tt.env[k]
				return v, ok
			}})
			if err != nil {
				t.Fatal(err)
			}
			if c.Migrations.Directory != tt.want {
				t.Errorf("migrations directory = %q, want %q", c.Migrations.Directory, tt.want)
			}
		})
	}
}
