package engine

import (
	"errors"
	"io/fs"
	"path/filepath"

	"github.com/cqltrack/cqltrack/engine/migration"
)

// NewMigration is a migration file that NewMigrationFile wrote.
type NewMigration struct {
	// Path is where the file was written.
	Path string `json:"path"`
	// Version is the new file's version as written in its name ("004").
	Version string `json:"version"`
}

// NewMigrationFile writes a new migration file for the change called name in
// the configured migrations directory, numbered after the highest version
// there and padded the same way, from a template with an up part and a
// "-- @down" part. It never overwrites a file.
func (e *Engine) NewMigrationFile(name string) (*NewMigration, error) {
	if e.fsys != nil {
		return nil, InputError(errors.New("new migration files are written to a directory, not to an embedded file system"))
	}
	path, err := migration.NewFile(e.cfg.Migrations.Directory, name)
	if err != nil {
		var ferr *migration.FileError
		if errors.Is(err, migration.ErrEmptyName) || errors.Is(err, fs.ErrExist) || errors.As(err, &ferr) {
			return nil, InputError(err)
		}
		return nil, err
	}
	_, text, _, err := migration.ParseName(filepath.Base(path))
	if err != nil {
		return nil, err
	}
	return &NewMigration{Path: path, Version: text}, nil
}
