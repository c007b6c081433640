package sdk

import (
	"encoding/json"
	"fmt"

	"github.com/cqltrack/cqltrack/plugins/abi"
)

// Reflection-free decoding of the request and of lint reports, the large
// case: inside a wasm guest encoding/json's reflection costs about 40 µs a
// finding, which made half the time of rendering a big lint report. The
// other reports are small and go through encoding/json.

// DecodeRequest parses a request document. Unknown members are ignored.
func DecodeRequest(data []byte) (*Request, error) {
	req := &Request{}
	r := abi.NewReader(data)
	for it := r.Object(); it.Next(); {
		switch it.Key() {
		case "format":
			req.Format = r.String()
		case "type":
			req.Type = r.String()
		case "report":
			req.Report = r.RawFast()
		case "config":
			req.Config = r.Raw()
		case "files":
			req.Files = r.Strings()
		case "versions":
			if r.Null() {
				continue
			}
			req.Versions = map[string]string{}
			for it := r.Object(); it.Next(); {
				req.Versions[it.Key()] = r.String()
			}
		case "tool":
			for it := r.Object(); it.Next(); {
				switch it.Key() {
				case "name":
					req.Tool.Name = r.String()
				case "version":
					req.Tool.Version = r.String()
				case "information_uri":
					req.Tool.InformationURI = r.String()
				default:
					r.Skip()
				}
			}
		case "rules":
			for it := r.Array(); it.Next(); {
				var ri RuleInfo
				for it := r.Object(); it.Next(); {
					switch it.Key() {
					case "id":
						ri.ID = r.String()
					case "severity":
						ri.Severity = r.String()
					case "summary":
						ri.Summary = r.String()
					case "docs_url":
						ri.DocsURL = r.String()
					case "plugin":
						ri.Plugin = r.String()
					default:
						r.Skip()
					}
				}
				req.Rules = append(req.Rules, ri)
			}
		default:
			r.Skip()
		}
	}
	if err := r.Finish(); err != nil {
		return nil, fmt.Errorf("decode format request: %w", err)
	}
	if req.Config != nil && string(req.Config) == "null" {
		req.Config = nil
	}
	return req, nil
}

// decodeLintReport parses a lint report as encoding/json would into a
// LintReport.
func decodeLintReport(data []byte, rep *LintReport) error {
	r := abi.NewReader(data)
	for it := r.Object(); it.Next(); {
		switch it.Key() {
		case "findings":
			if r.Null() {
				rep.Findings = nil
				continue
			}
			rep.Findings = []Finding{}
			for it := r.Array(); it.Next(); {
				var f Finding
				for it := r.Object(); it.Next(); {
					switch it.Key() {
					case "file":
						f.File = r.String()
					case "version":
						f.Version = r.String()
					case "line":
						f.Line = int(r.Int())
					case "column":
						f.Column = int(r.Int())
					case "rule":
						f.Rule = r.String()
					case "severity":
						f.Severity = r.String()
					case "message":
						f.Message = r.String()
					case "plugin":
						f.Plugin = r.String()
					default:
						r.Skip()
					}
				}
				rep.Findings = append(rep.Findings, f)
			}
		case "errors":
			rep.Errors = int(r.Int())
		case "warnings":
			rep.Warnings = int(r.Int())
		case "infos":
			rep.Infos = int(r.Int())
		case "files":
			rep.Files = int(r.Int())
		default:
			r.Skip()
		}
	}
	return r.Finish()
}

// Decode decodes the report into v, one of the report shapes of this
// package (or any type encoding/json can fill).
func (r *Request) Decode(v any) error {
	var err error
	if rep, ok := v.(*LintReport); ok {
		err = decodeLintReport(r.Report, rep)
	} else {
		err = json.Unmarshal(r.Report, v)
	}
	if err != nil {
		return fmt.Errorf("decode %s report: %w", r.Type, err)
	}
	return nil
}
