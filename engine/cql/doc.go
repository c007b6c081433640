// Package cql reads CQL as Cassandra reads it: a lexer, a statement splitter
// that keeps exact byte offsets, lines and columns, and a parser that turns
// each statement into an AST that renders back to CQL.
//
// Everything else in cqltrack stands on this package: the linter, the schema
// catalog, the migration engine and the in-process test server.
//
// A migration file is read in two steps. Split (or SplitAll, which also
// keeps the comments after the last statement) cuts the file into
// Statements, each with its text, byte offsets, start position and the
// comments before and inside it; ParseStatement turns one into a Stmt whose
// positions are positions in the file. ParseScript does both at once, and
// Parse reads a single statement given as a string.
//
// Every statement kind of Cassandra 5.0 has its own struct (CreateTable,
// AlterTable, Insert, Select, ...); Kind names it and Kinds lists them all.
// Values are Terms (Literal, BindMarker, CollectionLiteral, FunctionCall,
// ...). String renders canonical CQL that parses back to an Equal AST, and
// the structs marshal to the JSON documented in docs/cql-support.md, which
// is what lint plugins receive; AppendJSON writes the same bytes as
// json.Marshal, in a fraction of the time.
//
// Errors are *SyntaxError values that name the line, the column and what
// was expected, e.g. `line 3:14: expected "(" after table name, found "foo"`.
package cql
