// Package cql reads CQL as Cassandra reads it: a lexer, a statement splitter
// that keeps exact byte offsets, lines and columns, and a parser that turns
// each statement into an AST that renders back to CQL.
//
// Everything else in cqltrack stands on this package: the linter, the schema
// catalog, the migration engine and the in-process test server.
package cql
