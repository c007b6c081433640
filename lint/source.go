package lint

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/migration"
)

// file is one migration to replay, and to lint when lint is set. It is
// parsed only when replayed: a run answered from the result cache needs
// only its bytes.
type file struct {
	shown   string // the path findings name
	rel     string // the path in the request: relative to its directory
	key     string // identity, to read a file named twice only once
	data    []byte
	version int64 // from the name; 0 when the name has none
	named   bool  // the name is V<version>__<description>.cql (V0 too)
	mig     *migration.Migration
	lint    bool
}

func newFile(shown, rel, key string, data []byte, lint bool) *file {
	f := &file{shown: shown, rel: rel, key: key, data: data, lint: lint}
	if v, _, _, err := migration.ParseName(shown); err == nil {
		f.version, f.named = v, true
	}
	return f
}

// parse splits the file into sections and statements (once).
func (f *file) parse() error {
	if f.mig != nil {
		return nil
	}
	m, err := parse(f.shown, f.data)
	if err != nil {
		return err
	}
	f.mig = m
	return nil
}

// release drops the file's text and parse once nothing will read them
// again (its request is linted, or it was replayed for context only):
// files stay listed until the run ends, and 500 parsed files are a fifth
// of lint's live heap.
func (f *file) release() {
	f.data, f.mig = nil, nil
}

// collect reads the files to lint and the configured migrations directory
// for context, and returns them in replay order: version, then path.
func collect(cfg *config.Config, opts Options) ([]*file, error) {
	var (
		files []*file
		seen  = map[string]*file{}
		errs  []error
	)
	add := func(shown, rel, key string, data []byte, lint bool) {
		if f := seen[key]; f != nil {
			f.lint = f.lint || lint
			return
		}
		f := newFile(shown, rel, key, data, lint)
		seen[key] = f
		files = append(files, f)
	}
	refused := map[string]bool{} // misnamed files already reported
	configured := ""
	if cfg.Migrations.Directory != "" {
		configured = absKey(cfg.Migrations.Directory)
	}
	readDir := func(dir string, lint bool) error {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		// The configured directory is what migrate applies: a name it
		// refuses is bad input here too, not a file of version 0.
		strict := absKey(dir) == configured
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || strings.HasPrefix(name, ".") || !strings.EqualFold(filepath.Ext(name), migration.Ext) {
				continue
			}
			p := filepath.Join(dir, name)
			if _, _, _, err := migration.ParseName(p); err != nil && strict {
				// The directory may be read twice (linted, and as the
				// context): say it once.
				if key := absKey(p); !refused[key] {
					refused[key] = true
					errs = append(errs, fmt.Errorf("%w: %w", ErrInput, err))
				}
				continue
			}
			data, err := os.ReadFile(p)
			if err != nil {
				if lint {
					errs = append(errs, fmt.Errorf("%w: read %s: %w", ErrInput, p, err))
				}
				continue
			}
			add(p, name, absKey(p), data, lint)
		}
		return nil
	}

	paths := opts.Paths
	if len(paths) == 0 && len(opts.Sources) == 0 {
		paths = []string{cfg.Migrations.Directory}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: %w", ErrInput, err))
			continue
		}
		if st.IsDir() {
			if err := readDir(p, true); err != nil {
				errs = append(errs, fmt.Errorf("%w: read directory %s: %w", ErrInput, p, err))
			}
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: %w", ErrInput, err))
			continue
		}
		add(p, filepath.Base(p), absKey(p), data, true)
	}
	for _, s := range opts.Sources {
		add(s.Path, filepath.ToSlash(filepath.Base(s.Path)), "source:"+s.Path, s.Data, true)
	}
	if dir := cfg.Migrations.Directory; dir != "" {
		// The context: earlier migrations give the schema the linted files
		// change. A missing directory only means there is none.
		if err := readDir(dir, false); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("%w: read migrations directory %s: %w", ErrInput, dir, err))
		}
	}
	slices.SortStableFunc(files, func(a, b *file) int {
		return cmp.Or(cmp.Compare(a.version, b.version), strings.Compare(a.shown, b.shown))
	})
	// Two files of one version in one directory have no order, and migrate
	// refuses such a directory: so does lint, as migrate words it. Files
	// of other directories (linted next to the configured one) may share
	// versions with it; they replay in path order.
	type slot struct {
		dir     string
		version int64
	}
	first := map[slot]*file{}
	for _, f := range files {
		if !f.named || strings.HasPrefix(f.key, "source:") {
			continue
		}
		at := slot{filepath.Dir(f.key), f.version}
		if prev := first[at]; prev != nil {
			errs = append(errs, fmt.Errorf("%w: %w", ErrInput, migration.DuplicateVersion(f.shown, f.version, prev.shown)))
			continue
		}
		first[at] = f
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return files, nil
}

func absKey(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// parse reads a migration file. A name that is not V<version>__<desc>.cql
// is accepted with version 0 and the base name as description: a file
// passed by name is linted whatever it is called.
func parse(shown string, data []byte) (*migration.Migration, error) {
	if _, _, _, err := migration.ParseName(shown); err != nil {
		const stand = "V0__unversioned.cql"
		m, err := migration.Parse(stand, data)
		if err != nil {
			renameFileErrors(err, stand, shown)
			return nil, fmt.Errorf("%w: %w", ErrInput, err)
		}
		m.Path, m.VersionText = shown, ""
		m.Description = strings.TrimSuffix(filepath.Base(shown), filepath.Ext(shown))
		return m, nil
	}
	m, err := migration.Parse(shown, data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	return m, nil
}

// renameFileErrors puts the real path into the file errors of a file read
// under a stand-in name.
func renameFileErrors(err error, from, to string) {
	var fe *migration.FileError
	if errors.As(err, &fe) && fe.Path == from {
		fe.Path = to
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			renameFileErrors(e, from, to)
		}
	}
}
