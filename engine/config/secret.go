package config

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
)

// Mask is what a non-empty Secret prints as.
const Mask = "******"

// Secret is a string that never prints: fmt (every verb, including %#v),
// encoding/json, YAML encoders, encoding.TextMarshaler users and log/slog all
// see Mask instead of the value. An empty Secret prints as an empty string, so
// output still shows whether one is set.
type Secret string

// Value returns the secret text. Call it only where the secret is used (the
// driver's authenticator), never to print.
func (s Secret) Value() string { return string(s) }

// String returns Mask, or "" when the secret is empty.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return Mask
}

// GoString keeps %#v from showing the value.
func (s Secret) GoString() string { return strconv.Quote(s.String()) }

// Format implements fmt.Formatter so that no verb (%v, %+v, %#v, %s, %q, %x,
// ...) can reach the underlying string.
func (s Secret) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		_, _ = io.WriteString(f, strconv.Quote(s.String()))
	case 'v':
		if f.Flag('#') {
			_, _ = io.WriteString(f, s.GoString())
			return
		}
		_, _ = io.WriteString(f, s.String())
	default:
		_, _ = io.WriteString(f, s.String())
	}
}

// MarshalJSON encodes the mask, never the value.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// MarshalText encodes the mask, never the value.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// MarshalYAML encodes the mask, never the value (goccy/go-yaml and
// gopkg.in/yaml both use this signature).
func (s Secret) MarshalYAML() (any, error) { return s.String(), nil }

// LogValue keeps log/slog from recording the value.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }
