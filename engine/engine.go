package engine

import (
	"errors"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/lock"

	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/migration"
)

// Engine runs cqltrack operations for one configuration and one set of
// migrations.
type Engine struct {
	cfg *config.Config
	// fsys and dir locate the migration files; display turns a path in
	// fsys into what error messages show.
	fsys fs.FS
	dir  string

	log *slog.Logger
	// sess is the session without a keyspace; ksSess the one that USEs
	// the configured keyspace, for migration statements.
	sess, ksSess *cluster.Session
	// sessMu guards sess and ksSess: an Engine may be shared by goroutines.
	sessMu sync.Mutex
	// lockOpts tune the lock beyond the configuration (tests: a manual
	// clock, a hook before each renewal).
	lockOpts []lock.Option
	// lookupEnv reads the variables hooks are granted; nil: os.LookupEnv.
	lookupEnv func(string) (string, bool)

	namesMu sync.Mutex
	names   map[int64]string // VersionName's answers, from the last files loaded
}

// Option customises New.
type Option func(*Engine)

// WithMigrations takes the migration files from dir inside fsys, e.g. an
// embed.FS compiled into a service, instead of the configured directory.
func WithMigrations(fsys fs.FS, dir string) Option {
	return func(e *Engine) { e.fsys, e.dir = fsys, dir }
}

// WithEnv sets how the engine reads the environment variables hooks are
// granted (hooks.pre_migrate[].env); the default is os.LookupEnv.
func WithEnv(lookup func(string) (string, bool)) Option {
	return func(e *Engine) { e.lookupEnv = lookup }
}

// New returns an Engine for cfg. It does not connect to the cluster.
func New(cfg *config.Config, opts ...Option) (*Engine, error) {
	if cfg == nil {
		return nil, InputError(errors.New("engine: nil configuration"))
	}
	e := &Engine{cfg: cfg}
	for _, o := range opts {
		o(e)
	}
	return e, nil
}

// VersionName returns version v as its migration file writes it ("V003"
// for V003__users.cql), so that messages name versions the way the files
// and the status table do; "V3" when no readable file has v, "none" for 0.
func (e *Engine) VersionName(v int64) string {
	if v == 0 {
		return "none"
	}
	if name, ok := e.versionNames()[v]; ok {
		return name
	}
	return "V" + strconv.FormatInt(v, 10)
}

// VersionNames returns the name the migration files give each version
// (3: "V003"), for output that names versions the way VersionName does:
// the formatters get it with every report. The map is the caller's.
func (e *Engine) VersionNames() map[int64]string {
	return maps.Clone(e.versionNames())
}

// versionNames returns the engine's map of version names, loading the
// files first when nothing has yet. The map is shared: do not change it.
func (e *Engine) versionNames() map[int64]string {
	e.namesMu.Lock()
	names := e.names
	e.namesMu.Unlock()
	if names == nil {
		// Nothing loaded the files yet (history, baseline): read them, or
		// when one cannot be read, at least the names of the others.
		if _, err := e.loadMigrations(); err != nil {
			e.namesMu.Lock()
			e.names = e.namesFromFileNames()
			e.namesMu.Unlock()
		}
		e.namesMu.Lock()
		names = e.names
		e.namesMu.Unlock()
	}
	return names
}

// namesFromFileNames names versions from the migration file names alone,
// for when the files cannot all be loaded (one is malformed, say).
func (e *Engine) namesFromFileNames() map[int64]string {
	var entries []fs.DirEntry
	if e.fsys != nil {
		entries, _ = fs.ReadDir(e.fsys, e.dir)
	} else {
		entries, _ = os.ReadDir(e.cfg.Migrations.Directory)
	}
	names := map[int64]string{}
	for _, de := range entries {
		if v, text, _, err := migration.ParseName(de.Name()); err == nil && !de.IsDir() {
			names[v] = "V" + text
		}
	}
	return names
}

// Config returns the configuration the engine runs with.
func (e *Engine) Config() *config.Config { return e.cfg }

// loadMigrations reads, checksums and splits every migration file. Problems
// with the files are input errors naming them.
func (e *Engine) loadMigrations() (*migration.Set, error) {
	var (
		set *migration.Set
		err error
	)
	if e.fsys != nil {
		set, err = migration.Load(e.fsys, e.dir)
	} else {
		dir := e.cfg.Migrations.Directory
		if _, statErr := os.Stat(dir); errors.Is(statErr, fs.ErrNotExist) {
			return nil, InputError(&missingDirError{dir: dir})
		}
		set, err = migration.LoadDir(filepath.Clean(dir))
	}
	if err != nil {
		return nil, InputError(err)
	}
	names := make(map[int64]string, len(set.Migrations))
	for _, m := range set.Migrations {
		names[m.Version] = "V" + m.VersionText
	}
	e.namesMu.Lock()
	e.names = names // what VersionName answers from, without reading again
	e.namesMu.Unlock()
	return set, nil
}

// missingDirError explains a migrations directory that does not exist.
type missingDirError struct{ dir string }

func (m *missingDirError) Error() string {
	return "migrations directory " + m.dir + " does not exist\n" +
		"hint: set migrations.directory in cqltrack.yml (relative to the file), or pass --dir"
}
