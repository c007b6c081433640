package migration

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Ext is the extension of migration files.
const Ext = ".cql"

// DefaultWidth is the padding of the first version when there is no file
// to copy it from: V001.
const DefaultWidth = 3

// ErrEmptyName is returned by NewFile and Slug when a name has no letter or
// digit to make a description from.
var ErrEmptyName = errors.New("migration name has no letters or digits")

// Set is the migrations of one directory, in version order.
type Set struct {
	// Dir is the directory as given to Load.
	Dir        string
	Migrations []*Migration
}

// Get returns the migration with the given version.
func (s *Set) Get(version int64) (*Migration, bool) {
	i, ok := slices.BinarySearchFunc(s.Migrations, version, func(m *Migration, v int64) int {
		switch {
		case m.Version < v:
			return -1
		case m.Version > v:
			return 1
		}
		return 0
	})
	if !ok {
		return nil, false
	}
	return s.Migrations[i], true
}

// Latest returns the migration with the highest version, or nil.
func (s *Set) Latest() *Migration {
	if s == nil || len(s.Migrations) == 0 {
		return nil
	}
	return s.Migrations[len(s.Migrations)-1]
}

// ParseName splits a migration file name (a path: only its base name
// counts) into version, version digits as written, and description with
// spaces for underscores. The error says what is wrong with the name.
func ParseName(name string) (version int64, text, description string, err error) {
	base := path.Base(filepath.ToSlash(name))
	fail := func(format string, args ...any) (int64, string, string, error) {
		msg := fmt.Sprintf(format, args...) + " (want V<version>__<description>.cql, such as V001__create_users.cql)"
		return 0, "", "", &FileError{Path: name, Kind: ErrName, Msg: msg}
	}
	if !strings.EqualFold(path.Ext(base), Ext) {
		return fail("not a %s file", Ext)
	}
	stem := base[:len(base)-len(Ext)]
	if path.Ext(base) != Ext {
		return fail("the extension must be %q in lower case", Ext)
	}
	switch {
	case stem == "":
		return fail("empty file name")
	case stem[0] == 'v':
		return fail("the name must start with an upper-case \"V\"")
	case stem[0] != 'V':
		return fail("the name must start with \"V\"")
	}
	ver, desc, ok := strings.Cut(stem[1:], "__")
	if !ok {
		return fail("missing \"__\" (two underscores) between version and description")
	}
	if ver == "" {
		return fail("empty version")
	}
	for _, c := range ver {
		if c < '0' || c > '9' {
			return fail("version %q must be digits only", ver)
		}
	}
	n, perr := strconv.ParseInt(ver, 10, 64)
	if perr != nil {
		return fail("version %s is too large", ver)
	}
	if desc == "" {
		return fail("empty description")
	}
	for _, c := range desc {
		if !isWordChar(c) {
			return fail("description %q may hold only letters, digits, hyphens and underscores", desc)
		}
	}
	return n, ver, strings.ReplaceAll(desc, "_", " "), nil
}

// isWordChar reports the characters of a description. Hyphens are allowed
// so that a ticket id (JIRA-123) can stand in the file name.
func isWordChar(c rune) bool {
	return c == '_' || c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// Load reads the migrations in directory dir of fsys (use "." for its
// root): every file ending in .cql directly in dir (subdirectories and
// files whose name starts with "." are skipped; other files are ignored).
// All problems are returned together (errors.Join of *FileError), not only
// the first. Paths are dir-relative fs paths such as "migrations/V001__a.cql".
func Load(fsys fs.FS, dir string) (*Set, error) {
	return load(fsys, path.Clean(dir), func(p string) string { return p })
}

// LoadDir reads the migrations of a directory of the file system. Paths in
// the set and in errors are OS paths under dir, as a user typed it.
func LoadDir(dir string) (*Set, error) {
	return load(os.DirFS(dir), ".", func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) })
}

// DuplicateVersion is the error for the file at path, whose version the
// file at first already has: two files of one version have no order.
func DuplicateVersion(path string, version int64, first string) *FileError {
	return &FileError{Path: path, Kind: ErrDuplicate,
		Msg: fmt.Sprintf("version %d is also used by %s (V1 and V001 are the same version)", version, first)}
}

func load(fsys fs.FS, dir string, display func(string) string) (*Set, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations directory %s: %w", display(dir), err)
	}
	set := &Set{Dir: display(dir)}
	var errs []error
	byVersion := map[int64]*Migration{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !strings.EqualFold(path.Ext(name), Ext) {
			continue
		}
		fsPath := path.Join(dir, name)
		shown := display(fsPath)
		version, text, desc, err := ParseName(shown)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		data, err := fs.ReadFile(fsys, fsPath)
		if err != nil {
			errs = append(errs, fmt.Errorf("read migration %s: %w", shown, err))
			continue
		}
		m := &Migration{Version: version, VersionText: text, Description: desc, Path: shown}
		if err := m.read(data); err != nil {
			errs = append(errs, err)
		}
		if first, dup := byVersion[version]; dup {
			errs = append(errs, DuplicateVersion(shown, version, first.Path))
			continue
		}
		byVersion[version] = m
		set.Migrations = append(set.Migrations, m)
	}
	slices.SortFunc(set.Migrations, func(a, b *Migration) int {
		switch {
		case a.Version < b.Version:
			return -1
		case a.Version > b.Version:
			return 1
		}
		return 0
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return set, nil
}

// Next returns the version text of the next migration: one more than the
// highest version, zero-padded to the width of that version's digits as
// written (V009 -> "010", V9 -> "10"), or "001" when there is none.
func Next(s *Set) string {
	last := s.Latest()
	if last == nil {
		return fmt.Sprintf("%0*d", DefaultWidth, 1)
	}
	if last.Version == math.MaxInt64 {
		// Unreachable in practice; never wrap around to a negative version.
		return strconv.FormatInt(last.Version, 10)
	}
	return fmt.Sprintf("%0*d", len(last.VersionText), last.Version+1)
}

// Slug turns a free-form name into a file-name description: lower case,
// every run of characters other than a-z and 0-9 replaced by one
// underscore, none at either end ("Add users (v2)!" -> "add_users_v2").
func Slug(name string) (string, error) {
	var b strings.Builder
	pending := false
	for _, c := range strings.ToLower(name) {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			if pending && b.Len() > 0 {
				b.WriteByte('_')
			}
			pending = false
			b.WriteRune(c)
			continue
		}
		pending = true
	}
	if b.Len() == 0 {
		return "", fmt.Errorf("%w: %q", ErrEmptyName, name)
	}
	slug := b.String()
	// File systems cap a name at 255 bytes: keep the description well
	// under it, cut at a word.
	if len(slug) > maxSlug {
		cut := slug[:maxSlug]
		if slug[maxSlug] != '_' { // the cut falls inside a word: drop it
			if i := strings.LastIndexByte(cut, '_'); i > maxSlug/2 {
				cut = cut[:i]
			}
		}
		slug = cut
	}
	return slug, nil
}

// maxSlug is the longest description Slug writes into a file name.
const maxSlug = 100

// FileName returns the file name of a migration: V<version>__<slug>.cql.
func FileName(version, name string) (string, error) {
	slug, err := Slug(name)
	if err != nil {
		return "", err
	}
	return "V" + version + "__" + slug + Ext, nil
}

// Template returns the content of a new migration file.
func Template(version, name string) []byte {
	return []byte("-- V" + version + ": " + strings.TrimSpace(name) + "\n" +
		"-- Statements that apply this change, each ending with \";\".\n" +
		"\n" +
		"\n" +
		"-- @down\n" +
		"-- Statements that undo the change above, newest first. Leave this part\n" +
		"-- empty when the change cannot be undone (rollback then refuses).\n")
}

// NewFile writes a new migration file in dir for the change called name,
// numbered Next after the migrations already there (dir is created if
// missing), and returns its path. It never overwrites a file.
func NewFile(dir, name string) (string, error) {
	return NewFileWith(dir, name, Template)
}

// NewFileWith is NewFile with the content given by content, called with the
// new file's version text and name: `new --from-diff` writes a generated
// script with it.
func NewFileWith(dir, name string, content func(version, name string) []byte) (string, error) {
	slug, err := Slug(name)
	if err != nil {
		return "", err
	}
	set, err := LoadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("create migrations directory: %w", err)
		}
		set = &Set{Dir: dir}
	case err != nil:
		// A broken file elsewhere must not stop a new one from being
		// numbered, but a duplicate or bad name could make Next wrong.
		return "", fmt.Errorf("number the new migration: %w", err)
	}
	version := Next(set)
	p := filepath.Join(dir, "V"+version+"__"+slug+Ext)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", fmt.Errorf("create migration: %w", err)
	}
	if _, err := f.Write(content(version, name)); err != nil {
		f.Close()
		return "", fmt.Errorf("write %s: %w", p, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("write %s: %w", p, err)
	}
	return p, nil
}
