// Command cqltrack applies versioned CQL migrations to Apache Cassandra
// clusters safely: one migrator at a time under an LWT lease, a wait for
// schema agreement after every DDL, and a record of every attempt.
//
// The command grammar and wiring live in package cli so that end-to-end
// tests can run the same entry point in-process.
package main

import (
	"os"

	"github.com/cqltrack/cqltrack/cmd/cqltrack/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr, os.LookupEnv))
}
