package wire

import "fmt"

// ErrorCode is the [int] code of an ERROR message (spec section 9).
type ErrorCode int32

// The error codes of protocol v4.
const (
	CodeServerError     ErrorCode = 0x0000
	CodeProtocolError   ErrorCode = 0x000A
	CodeBadCredentials  ErrorCode = 0x0100
	CodeUnavailable     ErrorCode = 0x1000
	CodeOverloaded      ErrorCode = 0x1001
	CodeIsBootstrapping ErrorCode = 0x1002
	CodeTruncateError   ErrorCode = 0x1003
	CodeWriteTimeout    ErrorCode = 0x1100
	CodeReadTimeout     ErrorCode = 0x1200
	CodeReadFailure     ErrorCode = 0x1300
	CodeFunctionFailure ErrorCode = 0x1400
	CodeWriteFailure    ErrorCode = 0x1500
	CodeSyntaxError     ErrorCode = 0x2000
	CodeUnauthorized    ErrorCode = 0x2100
	CodeInvalid         ErrorCode = 0x2200
	CodeConfigError     ErrorCode = 0x2300
	CodeAlreadyExists   ErrorCode = 0x2400
	CodeUnprepared      ErrorCode = 0x2500
)

// Write types of WriteTimeout and WriteFailure errors.
const (
	WriteSimple        = "SIMPLE"
	WriteBatch         = "BATCH"
	WriteUnloggedBatch = "UNLOGGED_BATCH"
	WriteCounter       = "COUNTER"
	WriteBatchLog      = "BATCH_LOG"
	WriteCAS           = "CAS"
	WriteView          = "VIEW"
	WriteCDC           = "CDC"
)

// Error is an ERROR message. Besides the code and message, the fields used
// depend on the code: Consistency, Required/Alive (Unavailable),
// Received/BlockFor (timeouts and failures), NumFailures (failures),
// DataPresent (read timeout and failure), WriteType (write timeout and
// failure), Keyspace/Table (AlreadyExists; Keyspace/Function/ArgTypes for
// FunctionFailure), ID (Unprepared).
type Error struct {
	Code        ErrorCode
	Message     string
	Consistency Consistency
	Required    int32
	Alive       int32
	Received    int32
	BlockFor    int32
	NumFailures int32
	DataPresent bool
	WriteType   string
	Keyspace    string
	Table       string
	Function    string
	ArgTypes    []string
	ID          []byte
}

// Error renders the error as Cassandra's drivers do: code and message.
func (e *Error) Error() string {
	return fmt.Sprintf("error 0x%04X: %s", int32(e.Code), e.Message)
}

// EncodeError encodes an ERROR body with the extra fields its code carries.
func EncodeError(e *Error) []byte {
	var w Writer
	w.Int(int32(e.Code))
	w.String(e.Message)
	switch e.Code {
	case CodeUnavailable:
		w.Short(uint16(e.Consistency))
		w.Int(e.Required)
		w.Int(e.Alive)
	case CodeWriteTimeout:
		w.Short(uint16(e.Consistency))
		w.Int(e.Received)
		w.Int(e.BlockFor)
		w.String(e.WriteType)
	case CodeReadTimeout:
		w.Short(uint16(e.Consistency))
		w.Int(e.Received)
		w.Int(e.BlockFor)
		w.Byte(boolByte(e.DataPresent))
	case CodeReadFailure:
		w.Short(uint16(e.Consistency))
		w.Int(e.Received)
		w.Int(e.BlockFor)
		w.Int(e.NumFailures)
		w.Byte(boolByte(e.DataPresent))
	case CodeFunctionFailure:
		w.String(e.Keyspace)
		w.String(e.Function)
		w.StringList(e.ArgTypes)
	case CodeWriteFailure:
		w.Short(uint16(e.Consistency))
		w.Int(e.Received)
		w.Int(e.BlockFor)
		w.Int(e.NumFailures)
		w.String(e.WriteType)
	case CodeAlreadyExists:
		w.String(e.Keyspace)
		w.String(e.Table)
	case CodeUnprepared:
		w.ShortBytes(e.ID)
	}
	return w.B
}

// DecodeError decodes an ERROR body.
func DecodeError(body []byte) (*Error, error) {
	r := NewReader(body)
	e := &Error{Code: ErrorCode(r.Int()), Message: r.String()}
	switch e.Code {
	case CodeUnavailable:
		e.Consistency = Consistency(r.Short())
		e.Required = r.Int()
		e.Alive = r.Int()
	case CodeWriteTimeout:
		e.Consistency = Consistency(r.Short())
		e.Received = r.Int()
		e.BlockFor = r.Int()
		e.WriteType = r.String()
	case CodeReadTimeout:
		e.Consistency = Consistency(r.Short())
		e.Received = r.Int()
		e.BlockFor = r.Int()
		e.DataPresent = r.Byte() != 0
	case CodeReadFailure:
		e.Consistency = Consistency(r.Short())
		e.Received = r.Int()
		e.BlockFor = r.Int()
		e.NumFailures = r.Int()
		e.DataPresent = r.Byte() != 0
	case CodeFunctionFailure:
		e.Keyspace = r.String()
		e.Function = r.String()
		e.ArgTypes = r.StringList()
	case CodeWriteFailure:
		e.Consistency = Consistency(r.Short())
		e.Received = r.Int()
		e.BlockFor = r.Int()
		e.NumFailures = r.Int()
		e.WriteType = r.String()
	case CodeAlreadyExists:
		e.Keyspace = r.String()
		e.Table = r.String()
	case CodeUnprepared:
		e.ID = r.ShortBytes()
	}
	return e, wrap(r, "ERROR")
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}
