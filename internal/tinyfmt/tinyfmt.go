// Package tinyfmt formats the messages of code that runs inside
// WebAssembly plugins (the lint SDK, the ABI codec) without package fmt.
//
// fmt brings reflect, os and time into a module: about 0.7 MB of a Go
// wasip1 module, which wazero compiles on a plugin's first use (about 0.2 s
// on two cores) and keeps as machine code in every process that loads it.
// Messages need only a few verbs: %s, %v, %d, %q, %w and %%, applied to
// strings, errors, Stringers, integers, floats, booleans and nil, with no
// flags or widths. They format as fmt formats them. Without reflection a
// named type is not its underlying type: convert it (string(severity)).
// Anything else prints a bad-verb notice in fmt's style, e.g.
// %!d(string=x), so a mistake shows rather than panics.
package tinyfmt

import (
	"errors"
	"strconv"
)

// Sprintf formats like fmt.Sprintf for the verbs and operands the package
// documentation lists.
func Sprintf(format string, args ...any) string {
	return string(Appendf(nil, format, args...))
}

// Appendf appends the formatted text to dst, like fmt.Appendf.
func Appendf(dst []byte, format string, args ...any) []byte {
	n := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			dst = append(dst, c)
			continue
		}
		if i+1 == len(format) {
			dst = append(dst, "%!(NOVERB)"...)
			break
		}
		i++
		verb := format[i]
		if verb == '%' {
			dst = append(dst, '%')
			continue
		}
		if n >= len(args) {
			dst = append(dst, '%', '!', verb, '(', 'M', 'I', 'S', 'S', 'I', 'N', 'G', ')')
			continue
		}
		dst = appendArg(dst, verb, args[n])
		n++
	}
	if n < len(args) {
		dst = append(dst, "%!(EXTRA "...)
		for i, a := range args[n:] {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = appendTyped(dst, a)
		}
		dst = append(dst, ')')
	}
	return dst
}

// Errorf is fmt.Errorf for the same verbs: each %w operand is wrapped, so
// errors.Is and errors.As see it.
func Errorf(format string, args ...any) error {
	var wrapped []error
	for i, verb := 0, 0; i+1 < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if format[i] == '%' {
			continue
		}
		if format[i] == 'w' && verb < len(args) {
			if err, ok := args[verb].(error); ok {
				wrapped = append(wrapped, err)
			}
		}
		verb++
	}
	msg := Sprintf(format, args...)
	switch len(wrapped) {
	case 0:
		return errors.New(msg)
	case 1:
		return &wrapError{msg: msg, err: wrapped[0]}
	}
	return &wrapErrors{msg: msg, errs: wrapped}
}

type wrapError struct {
	msg string
	err error
}

func (e *wrapError) Error() string { return e.msg }
func (e *wrapError) Unwrap() error { return e.err }

type wrapErrors struct {
	msg  string
	errs []error
}

func (e *wrapErrors) Error() string   { return e.msg }
func (e *wrapErrors) Unwrap() []error { return e.errs }

type stringer interface{ String() string }

func appendArg(dst []byte, verb byte, a any) []byte {
	switch verb {
	case 's', 'v', 'w':
		if s, ok := text(a); ok {
			return append(dst, s...)
		}
		if verb == 'w' {
			break
		}
		if s, ok := number(a); ok {
			return append(dst, s...)
		}
		if verb == 'v' {
			switch v := a.(type) {
			case bool:
				return strconv.AppendBool(dst, v)
			case nil:
				return append(dst, "<nil>"...)
			}
		}
	case 'd':
		if s, ok := integer(a); ok {
			return append(dst, s...)
		}
	case 'q':
		if s, ok := text(a); ok {
			return strconv.AppendQuote(dst, s)
		}
	}
	dst = append(dst, '%', '!', verb, '(')
	dst = appendTyped(dst, a)
	return append(dst, ')')
}

// appendTyped writes an operand as fmt does inside a bad-verb notice:
// type=value.
func appendTyped(dst []byte, a any) []byte {
	if a == nil {
		return append(dst, "<nil>"...)
	}
	dst = append(dst, typeName(a)...)
	dst = append(dst, '=')
	if s, ok := text(a); ok {
		return append(dst, s...)
	}
	if s, ok := number(a); ok {
		return append(dst, s...)
	}
	if b, ok := a.(bool); ok {
		return strconv.AppendBool(dst, b)
	}
	return append(dst, '?')
}

func text(a any) (string, bool) {
	switch v := a.(type) {
	case string:
		return v, true
	case error:
		return v.Error(), true
	case stringer:
		return v.String(), true
	}
	return "", false
}

func integer(a any) (string, bool) {
	switch v := a.(type) {
	case int:
		return strconv.Itoa(v), true
	case int8:
		return strconv.FormatInt(int64(v), 10), true
	case int16:
		return strconv.FormatInt(int64(v), 10), true
	case int32:
		return strconv.FormatInt(int64(v), 10), true
	case int64:
		return strconv.FormatInt(v, 10), true
	case uint:
		return strconv.FormatUint(uint64(v), 10), true
	case uint8:
		return strconv.FormatUint(uint64(v), 10), true
	case uint16:
		return strconv.FormatUint(uint64(v), 10), true
	case uint32:
		return strconv.FormatUint(uint64(v), 10), true
	case uint64:
		return strconv.FormatUint(v, 10), true
	}
	return "", false
}

func number(a any) (string, bool) {
	if s, ok := integer(a); ok {
		return s, true
	}
	switch v := a.(type) {
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), true
	case float32:
		return strconv.FormatFloat(float64(v), 'g', -1, 32), true
	}
	return "", false
}

func typeName(a any) string {
	switch a.(type) {
	case string:
		return "string"
	case bool:
		return "bool"
	case int:
		return "int"
	case int8:
		return "int8"
	case int16:
		return "int16"
	case int32:
		return "int32"
	case int64:
		return "int64"
	case uint:
		return "uint"
	case uint8:
		return "uint8"
	case uint16:
		return "uint16"
	case uint32:
		return "uint32"
	case uint64:
		return "uint64"
	case float32:
		return "float32"
	case float64:
		return "float64"
	case error:
		return "error"
	}
	return "?"
}
