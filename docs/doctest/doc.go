// Package doctest keeps what cqltrack ships to users true. Its tests run
// every shell example the documentation marks runnable against a fresh
// in-process cluster (engine/cqltest) with a freshly built cqltrack, and
// check that the packaging files (Dockerfile, docker-compose.yml, the
// pre-commit hook, the GitHub Action, the goreleaser configuration) parse
// and say what they must, since neither Docker nor GitHub runs them here.
//
// # Marking examples
//
// In README.md and docs/*.md, a fenced block whose info string carries the
// word runnable is run with bash (-e -o pipefail), in document order, in a
// working directory and against a cluster that every block of the same
// document shares; a block that exits non-zero fails the test with the
// document and line of its fence:
//
//	```sh runnable
//	cqltrack init
//	cqltrack migrate
//	```
//
// A block whose info string has file=PATH is written to PATH in that
// working directory before the blocks after it run, so a document can show
// a configuration file or a migration as the reader would write it:
//
//	```sql file=migrations/V001__create_users.cql
//	CREATE TABLE users (id uuid PRIMARY KEY, email text);
//	```
//
// The cluster's address is in CQLTRACK_HOSTS and CQLTRACK_PORT, so examples
// run as written after `cqltrack sandbox`. Keep runnable examples fast: the
// whole suite runs in `make test`. A document whose blocks are all file=
// blocks gets no cluster: docs/writing-plugins.md marks its plugin sources
// that way, and TestWritingPluginsExample builds and runs them.
package doctest
