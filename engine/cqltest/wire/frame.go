// Package wire implements the server side of the Cassandra native protocol,
// version 4 (native_protocol_v4.spec): frame headers, the [int] [string]
// [bytes] ... notations, the request messages a client sends and the response
// messages a server answers with, and the type options that describe column
// types in result metadata.
//
// It knows nothing about CQL or storage: engine/cqltest reads frames and
// requests with it and writes responses with it.
package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Version is the native protocol version this package speaks.
const Version = 4

// ResponseBit marks the version byte of a frame sent by the server.
const ResponseBit = 0x80

// HeaderSize is the length of a v3/v4 frame header.
const HeaderSize = 9

// MaxFrameLength is the largest body accepted, Cassandra's default
// native_transport_max_frame_size (16 MiB).
const MaxFrameLength = 16 << 20

// Frame header flags (spec section 2.2).
const (
	FlagCompression   = 0x01
	FlagTracing       = 0x02
	FlagCustomPayload = 0x04
	FlagWarning       = 0x08
	FlagUseBeta       = 0x10
)

// Opcode identifies the message a frame carries.
type Opcode byte

// The opcodes of protocol v4 (spec section 2.4).
const (
	OpError         Opcode = 0x00
	OpStartup       Opcode = 0x01
	OpReady         Opcode = 0x02
	OpAuthenticate  Opcode = 0x03
	OpOptions       Opcode = 0x05
	OpSupported     Opcode = 0x06
	OpQuery         Opcode = 0x07
	OpResult        Opcode = 0x08
	OpPrepare       Opcode = 0x09
	OpExecute       Opcode = 0x0A
	OpRegister      Opcode = 0x0B
	OpEvent         Opcode = 0x0C
	OpBatch         Opcode = 0x0D
	OpAuthChallenge Opcode = 0x0E
	OpAuthResponse  Opcode = 0x0F
	OpAuthSuccess   Opcode = 0x10
)

var opNames = map[Opcode]string{
	OpError: "ERROR", OpStartup: "STARTUP", OpReady: "READY", OpAuthenticate: "AUTHENTICATE",
	OpOptions: "OPTIONS", OpSupported: "SUPPORTED", OpQuery: "QUERY", OpResult: "RESULT",
	OpPrepare: "PREPARE", OpExecute: "EXECUTE", OpRegister: "REGISTER", OpEvent: "EVENT",
	OpBatch: "BATCH", OpAuthChallenge: "AUTH_CHALLENGE", OpAuthResponse: "AUTH_RESPONSE",
	OpAuthSuccess: "AUTH_SUCCESS",
}

// String returns the name the spec gives the opcode, e.g. "QUERY".
func (o Opcode) String() string {
	if n, ok := opNames[o]; ok {
		return n
	}
	return fmt.Sprintf("0x%02X", byte(o))
}

// Header is a frame header. Version holds the protocol version without the
// response bit, which is in Response.
type Header struct {
	Version  byte
	Response bool
	Flags    byte
	Stream   int16
	Opcode   Opcode
	Length   int32
}

// Frame is a header with its body.
type Frame struct {
	Header Header
	Body   []byte
}

// ErrFrameTooLarge is returned by ReadFrame for a body over the limit.
var ErrFrameTooLarge = errors.New("frame body too large")

// ReadHeader reads the 9-byte v3/v4 header. It does not check the version:
// the caller answers unsupported versions with a protocol error.
func ReadHeader(r io.Reader) (Header, error) {
	var b [HeaderSize]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return Header{}, err
	}
	return Header{
		Version:  b[0] &^ ResponseBit,
		Response: b[0]&ResponseBit != 0,
		Flags:    b[1],
		Stream:   int16(binary.BigEndian.Uint16(b[2:4])),
		Opcode:   Opcode(b[4]),
		Length:   int32(binary.BigEndian.Uint32(b[5:9])),
	}, nil
}

// ReadFrame reads a header and its body. A body longer than max (or
// negative) is reported with ErrFrameTooLarge after the header was read.
func ReadFrame(r io.Reader, max int) (Frame, error) {
	h, err := ReadHeader(r)
	if err != nil {
		return Frame{}, err
	}
	if h.Length < 0 || int(h.Length) > max {
		return Frame{Header: h}, fmt.Errorf("read frame of %d bytes (limit %d): %w", h.Length, max, ErrFrameTooLarge)
	}
	body := make([]byte, h.Length)
	if _, err := io.ReadFull(r, body); err != nil {
		return Frame{Header: h}, fmt.Errorf("read frame body: %w", err)
	}
	return Frame{Header: h, Body: body}, nil
}

// AppendFrame appends a complete frame with the given header fields and body
// to dst; Length is taken from the body.
func AppendFrame(dst []byte, h Header, body []byte) []byte {
	v := h.Version
	if h.Response {
		v |= ResponseBit
	}
	dst = append(dst, v, h.Flags, byte(uint16(h.Stream)>>8), byte(h.Stream), byte(h.Opcode))
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(body)))
	return append(dst, body...)
}
