package abi

import (
	"errors"

	"github.com/cqltrack/cqltrack/internal/tinyfmt"
)

// GuestError is an error a plugin reported through the response envelope
// ({"ok":false,"error":{"message":...}}), as opposed to a failure of the
// call itself.
type GuestError struct {
	Message string
}

func (e *GuestError) Error() string { return e.Message }

// ErrEnvelope is wrapped when a response is not a valid envelope.
var ErrEnvelope = errors.New("not a response envelope")

// AppendOK appends a success envelope {"ok":true,"result":...} whose result
// is written by body.
func AppendOK(dst []byte, body func(w *Writer)) []byte {
	w := Writer{B: dst}
	w.BeginObject()
	w.Key("ok")
	w.Bool(true)
	w.Key("result")
	body(&w)
	w.EndObject()
	return w.B
}

// AppendError appends a failure envelope {"ok":false,"error":{"message":msg}}.
func AppendError(dst []byte, msg string) []byte {
	w := Writer{B: dst}
	w.BeginObject()
	w.Key("ok")
	w.Bool(false)
	w.Key("error")
	w.BeginObject()
	w.Key("message")
	w.String(msg)
	w.EndObject()
	w.EndObject()
	return w.B
}

// OpenEnvelope checks a response envelope and returns the JSON text of its
// result. A failure envelope yields a *GuestError; anything that is not a
// valid envelope yields an error wrapping ErrEnvelope.
func OpenEnvelope(data []byte) ([]byte, error) {
	r := NewReader(data)
	var (
		ok, sawOK bool
		result    []byte
		msg       string
		sawError  bool
	)
	for it := r.Object(); it.Next(); {
		k := it.Key()
		switch k {
		case "ok":
			ok, sawOK = r.Bool(), true
		case "result":
			result = r.Raw()
		case "error":
			sawError = true
			for it := r.Object(); it.Next(); {
				k := it.Key()
				if k == "message" {
					msg = r.String()
				} else {
					r.Skip()
				}
			}
		default:
			r.Skip()
		}
	}
	if err := r.Finish(); err != nil {
		return nil, tinyfmt.Errorf("%w: %w", ErrEnvelope, err)
	}
	switch {
	case !sawOK:
		return nil, tinyfmt.Errorf("%w: no \"ok\" member", ErrEnvelope)
	case !ok:
		if !sawError || msg == "" {
			msg = "failed without a message"
		}
		return nil, &GuestError{Message: msg}
	case result == nil:
		return nil, tinyfmt.Errorf("%w: ok without a \"result\"", ErrEnvelope)
	case result[0] != '{':
		// Every entry point's result is an object; a null one is not an
		// empty one (a lint that found nothing says {"findings":[]}).
		return nil, tinyfmt.Errorf("%w: result is %s, not an object", ErrEnvelope, jsonKind(result[0]))
	}
	return result, nil
}

// jsonKind names the kind of JSON value that starts with c.
func jsonKind(c byte) string {
	switch c {
	case 'n':
		return "null"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}
