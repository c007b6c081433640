package sdk

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cqltrack/cqltrack/plugins/abi"
)

// Format is one output format of a formatter plugin.
type Format struct {
	// Name is what --format selects: lower-case letters, digits, '-', '_'
	// and '.'.
	Name string
	// Description is one line for `cqltrack formats`.
	Description string
	// Reports are the report types the format renders (TypeLint, ...).
	Reports []string
	// Render turns a request into the output. Its error is reported to the
	// user as the formatter's.
	Render func(*Request) ([]byte, error)
}

// Accepts reports whether f renders reports of type t.
func (f *Format) Accepts(t string) bool { return slices.Contains(f.Reports, t) }

// Sentinel errors of Manifest and Handle.
var (
	ErrNoFormats   = errors.New("formatter declares no formats")
	ErrFormat      = errors.New("unknown format")
	ErrReportType  = errors.New("report type not accepted")
	ErrInvalidSpec = errors.New("invalid format")
)

// Manifest returns the manifest of a formatter plugin named name at version
// with the given formats.
func Manifest(name, version string, formats []Format) (*abi.Manifest, error) {
	if len(formats) == 0 {
		return nil, fmt.Errorf("formatter %q: %w", name, ErrNoFormats)
	}
	m := &abi.Manifest{Name: name, Version: version, Kind: abi.KindFormatter, ABIVersion: abi.Version}
	var errs []error
	for _, f := range formats {
		if f.Render == nil {
			errs = append(errs, fmt.Errorf("%w: %q has no Render", ErrInvalidSpec, f.Name))
		}
		if len(f.Reports) == 0 {
			errs = append(errs, fmt.Errorf("%w: %q accepts no report type", ErrInvalidSpec, f.Name))
		}
		for _, t := range f.Reports {
			if !slices.Contains(Types, t) {
				errs = append(errs, fmt.Errorf("%w: %q: report type %q, want one of %s", ErrInvalidSpec, f.Name, t, strings.Join(Types, ", ")))
			}
		}
		m.Formats = append(m.Formats, abi.FormatInfo{Name: f.Name, Description: f.Description, Reports: f.Reports})
	}
	if err := m.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("formatter %q: %w", name, err)
	}
	return m, nil
}

// Render runs the format the request names over its report, checking that
// the format exists and accepts the report's type.
func Render(formats []Format, req *Request) ([]byte, error) {
	for i := range formats {
		f := &formats[i]
		if f.Name != req.Format {
			continue
		}
		if !f.Accepts(req.Type) {
			return nil, fmt.Errorf("%w: format %s renders %s reports, not %s", ErrReportType, f.Name, strings.Join(f.Reports, ", "), req.Type)
		}
		return f.Render(req)
	}
	return nil, fmt.Errorf("%w %q", ErrFormat, req.Format)
}

// Handle runs formats on one request document and returns the response
// envelope (docs/plugin-abi.md section 6): {"ok":true,"result":{"output":
// ...}}, or an error envelope when the request cannot be read or the
// format fails or panics. The wasm glue calls it for every cqltrack_format
// call; tests call it directly.
func Handle(formats []Format, request []byte) (resp []byte) {
	defer func() {
		if p := recover(); p != nil {
			resp = abi.AppendError(nil, fmt.Sprintf("panic: %v", p))
		}
	}()
	req, err := DecodeRequest(request)
	if err != nil {
		return abi.AppendError(nil, err.Error())
	}
	out, err := Render(formats, req)
	if err != nil {
		return abi.AppendError(nil, err.Error())
	}
	return abi.AppendOK(nil, func(w *abi.Writer) {
		w.BeginObject()
		w.Key("output")
		w.String(string(out))
		w.EndObject()
	})
}

// DecodeResult reads the result of a formatter's response envelope.
func DecodeResult(result []byte) (string, error) {
	var r Result
	if err := json.Unmarshal(result, &r); err != nil {
		return "", fmt.Errorf("decode format result: %w", err)
	}
	return r.Output, nil
}
