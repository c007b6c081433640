// Package lint is cqltrack's linter: it reads migration files, replays the
// earlier migrations offline to know the schema each statement changes,
// runs the rules of the built-in module and of the configured plugins on
// every file, and turns what they find into a sorted report with the
// user's severities and suppression comments applied.
//
// Rules are WebAssembly plugins speaking ABI v1 (docs/plugin-abi.md): the
// built-in ones (package lint/builtin) are one embedded module loaded
// through the same host (package plugins) as a user's, trusted because it
// ships inside the binary. Each rule receives only the statement kinds it
// declared; each file is one call per plugin. When no user plugin is
// configured, Before carries only what the built-in rules read (see
// builtin.NeedsBefore).
//
// Files. Lint takes files and directories; a directory contributes its
// *.cql files (not its subdirectories). A file named V<version>__<desc>.cql
// has that version; any other .cql file passed by name is linted with
// version 0 and its base name as description, and sorts before the
// versioned ones. The configured migrations directory is always replayed
// for context, so linting one new file still knows the tables the earlier
// migrations created.
//
// The replay. Statements of the up sections are applied in version order
// to an engine/schema catalog (Cassandra 5.0 rules) holding the configured
// keyspace; a statement the catalog refuses leaves it unchanged and the
// replay goes on. The statements of a down section see the schema as the up
// section of their file left it.
//
// Configuration. lint.rules sets a rule's severity (off disables it) and
// options; lint.plugins adds rule plugins, each pinned by sha256 if the
// user wishes. A plugin's config is passed as the options of each of its
// rules that has none configured. A rule id in lint.rules that no loaded
// plugin declares is an error (ErrUnknownRule), so a typo does not leave a
// rule silently on; two plugins declaring the same id is a plugin error.
//
// Caching. Compiled modules are cached on disk by the plugin host. The
// findings of each file are cached too, in <dir>/lint where dir is
// Options.CacheDir, else plugin_cache_dir, else <user cache dir>/cqltrack;
// an entry is keyed by the file's bytes and path, the bytes of every file
// replayed before it, the lint and keyspace configuration and the digests
// of the rule modules; a run whose files all hit neither replays nor loads
// a module (Options.NoResultCache turns this off). Files are linted by
// min(GOMAXPROCS, 4) workers while the replay prepares the next ones.
//
// Suppressions. A comment
//
//	-- cqltrack:ignore drop-table,truncate the table is recreated by V012
//
// on a line of a statement, or on the line before it, drops that
// statement's findings of the listed rules; `-- cqltrack:ignore-file rule`
// anywhere in the file drops the rule's findings in the whole file. A
// suppression that suppresses nothing is itself reported, as rule
// unused-suppression (a warning, configurable like any rule).
package lint
