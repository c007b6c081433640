package schema

import (
	"fmt"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// ErrorCode is the native protocol v4 error code Cassandra answers with.
type ErrorCode int

// The error codes a schema change can fail with.
const (
	CodeSyntax        ErrorCode = 0x2000 // e.g. an unknown table property
	CodeUnauthorized  ErrorCode = 0x2100 // changing a system keyspace
	CodeInvalid       ErrorCode = 0x2200
	CodeConfig        ErrorCode = 0x2300
	CodeAlreadyExists ErrorCode = 0x2400
)

// String names the code as the protocol specification does.
func (c ErrorCode) String() string {
	switch c {
	case CodeSyntax:
		return "Syntax error"
	case CodeUnauthorized:
		return "Unauthorized"
	case CodeInvalid:
		return "Invalid"
	case CodeConfig:
		return "Config error"
	case CodeAlreadyExists:
		return "Already exists"
	}
	return fmt.Sprintf("0x%04x", int(c))
}

// Error is a statement Cassandra would reject. Msg is worded as Cassandra
// words it; Keyspace and Table are set for AlreadyExists (the protocol
// carries them), Pos is the position of the statement (or of the offending
// part of it when known).
type Error struct {
	Code     ErrorCode
	Keyspace string
	Table    string
	Msg      string
	Pos      cql.Pos
}

// Error returns Cassandra's message.
func (e *Error) Error() string { return e.Msg }

// Is makes errors.Is(err, ErrInvalid) and friends match on the code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Msg == "" && t.Code == e.Code
}

// Sentinels for errors.Is: each matches every *Error with its code.
var (
	ErrSyntax        error = &Error{Code: CodeSyntax}
	ErrInvalid       error = &Error{Code: CodeInvalid}
	ErrConfig        error = &Error{Code: CodeConfig}
	ErrAlreadyExists error = &Error{Code: CodeAlreadyExists}
	ErrUnauthorized  error = &Error{Code: CodeUnauthorized}
)

func invalidf(format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Msg: fmt.Sprintf(format, args...)}
}

func configf(format string, args ...any) *Error {
	return &Error{Code: CodeConfig, Msg: fmt.Sprintf(format, args...)}
}

func syntaxf(format string, args ...any) *Error {
	return &Error{Code: CodeSyntax, Msg: fmt.Sprintf(format, args...)}
}

// keyspaceExists is Cassandra's AlreadyExistsException for a keyspace.
func keyspaceExists(ks string) *Error {
	return &Error{Code: CodeAlreadyExists, Keyspace: ks,
		Msg: fmt.Sprintf("Cannot add existing keyspace \"%s\"", ks)}
}

// tableExists is Cassandra's AlreadyExistsException for a table or view.
func tableExists(ks, table string) *Error {
	return &Error{Code: CodeAlreadyExists, Keyspace: ks, Table: table,
		Msg: fmt.Sprintf("Cannot add already existing table \"%s\" to keyspace \"%s\"", table, ks)}
}
