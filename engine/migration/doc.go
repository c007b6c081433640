// Package migration reads cqltrack's migration files: one file per version,
// named V<version>__<description>.cql, holding the statements that apply
// the change and, after a line "-- @down", the statements that undo it.
//
// Files are read from any fs.FS, so a service can embed its migrations with
// embed.FS and migrate itself at start-up, and the CLI reads a directory.
// Every file is read, checksummed and split into statements up front; all
// problems of a directory (bad names, duplicate versions, unterminated
// strings, ...) are reported together, each naming its file and, when it
// has one, its line and column.
//
// Two checksums are kept. Migration.Checksum is the MD5 of the whole file
// in hex, the value cql-track 1.x stored in its history table, so a
// keyspace it managed can be adopted unchanged. Statement.Checksum is the
// SHA-256 of each statement's normalized text, so that a migration that
// failed at statement k can be resumed only when statements 1..k-1 are
// still the ones that were applied.
package migration
