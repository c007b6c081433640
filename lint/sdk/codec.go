package sdk

import (
	"slices"

	"github.com/cqltrack/cqltrack/internal/tinyfmt"

	"github.com/cqltrack/cqltrack/plugins/abi"
)

// The codec below is written by hand against the documented shapes (see
// docs/plugin-abi.md): no reflection, unknown members skipped, absent
// members left at their zero values.

// AppendLintRequest appends req as JSON.
func AppendLintRequest(dst []byte, req *LintRequest) []byte {
	w := abi.Writer{B: dst}
	w.BeginObject()
	w.Key("file")
	writeFile(&w, &req.File)
	w.Key("statements")
	w.BeginArray()
	for _, s := range req.Statements {
		writeStatement(&w, s)
	}
	w.EndArray()
	if len(req.Rules) > 0 {
		w.Key("rules")
		w.Strings(req.Rules)
	}
	if len(req.RuleOptions) > 0 {
		w.Key("rule_options")
		w.BeginObject()
		for _, k := range sortedKeys(req.RuleOptions) {
			w.Key(k)
			w.Value(req.RuleOptions[k])
		}
		w.EndObject()
	}
	w.EndObject()
	return w.B
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func writeFile(w *abi.Writer, f *File) {
	w.BeginObject()
	w.Key("path")
	w.String(f.Path)
	w.Key("version")
	w.String(f.Version)
	w.Key("description")
	w.String(f.Description)
	w.Key("down_section")
	w.Bool(f.DownSection)
	w.Key("up_statements")
	w.Int(int64(f.UpStatements))
	w.Key("down_statements")
	w.Int(int64(f.DownStatements))
	w.EndObject()
}

func writePos(w *abi.Writer, p Pos) {
	w.BeginObject()
	w.Key("offset")
	w.Int(int64(p.Offset))
	w.Key("line")
	w.Int(int64(p.Line))
	w.Key("column")
	w.Int(int64(p.Column))
	w.EndObject()
}

func writeStatement(w *abi.Writer, s *Statement) {
	w.BeginObject()
	w.Key("section")
	w.String(s.Section)
	w.Key("index")
	w.Int(int64(s.Index))
	w.Key("kind")
	w.String(s.Kind)
	w.Key("text")
	w.String(s.Text)
	w.Key("pos")
	writePos(w, s.Pos)
	if len(s.ASTJSON) > 0 {
		w.Key("ast")
		w.Raw(s.ASTJSON)
	}
	if s.Before != nil {
		w.Key("before")
		writeObject(w, s.Before)
	}
	w.EndObject()
}

func writeObject(w *abi.Writer, o *Object) {
	w.BeginObject()
	if k := o.Keyspace; k != nil {
		w.Key("keyspace")
		w.BeginObject()
		w.Key("name")
		w.String(k.Name)
		w.Key("replication")
		w.BeginObject()
		for _, key := range sortedKeys(k.Replication) {
			w.Key(key)
			w.String(k.Replication[key])
		}
		w.EndObject()
		w.Key("durable_writes")
		w.Bool(k.DurableWrites)
		w.EndObject()
	}
	if t := o.Table; t != nil {
		w.Key("table")
		writeTable(w, t)
	}
	if u := o.Type; u != nil {
		w.Key("type")
		w.BeginObject()
		w.Key("keyspace")
		w.String(u.Keyspace)
		w.Key("name")
		w.String(u.Name)
		w.Key("fields")
		w.BeginArray()
		for _, f := range u.Fields {
			w.BeginObject()
			w.Key("name")
			w.String(f.Name)
			w.Key("type")
			w.String(f.Type)
			w.EndObject()
		}
		w.EndArray()
		w.EndObject()
	}
	w.EndObject()
}

func writeTable(w *abi.Writer, t *Table) {
	w.BeginObject()
	w.Key("keyspace")
	w.String(t.Keyspace)
	w.Key("name")
	w.String(t.Name)
	w.Key("columns")
	w.BeginArray()
	for _, c := range t.Columns {
		w.BeginObject()
		w.Key("name")
		w.String(c.Name)
		w.Key("type")
		w.String(c.Type)
		w.Key("kind")
		w.String(c.Kind)
		w.EndObject()
	}
	w.EndArray()
	w.Key("partition_key")
	w.Strings(t.PartitionKey)
	w.Key("clustering")
	w.BeginArray()
	for _, c := range t.Clustering {
		w.BeginObject()
		w.Key("name")
		w.String(c.Name)
		w.Key("order")
		w.String(c.Order)
		w.EndObject()
	}
	w.EndArray()
	w.Key("options")
	w.BeginObject()
	for _, k := range sortedKeys(t.Options) {
		w.Key(k)
		w.Value(t.Options[k])
	}
	w.EndObject()
	if len(t.Dropped) > 0 {
		w.Key("dropped")
		w.BeginArray()
		for _, d := range t.Dropped {
			w.BeginObject()
			w.Key("name")
			w.String(d.Name)
			w.Key("type")
			w.String(d.Type)
			if d.Kind != "" {
				w.Key("kind")
				w.String(d.Kind)
			}
			w.Key("dropped_at")
			w.Int(d.DroppedAt)
			w.EndObject()
		}
		w.EndArray()
	}
	if len(t.Indexes) > 0 {
		w.Key("indexes")
		w.BeginArray()
		for _, ix := range t.Indexes {
			w.BeginObject()
			w.Key("name")
			w.String(ix.Name)
			w.Key("target")
			w.String(ix.Target)
			w.Key("class")
			w.String(ix.Class)
			w.EndObject()
		}
		w.EndArray()
	}
	if t.View {
		w.Key("view")
		w.Bool(true)
		w.Key("base_table")
		w.String(t.BaseTable)
	}
	if t.CompactStorage {
		w.Key("compact_storage")
		w.Bool(true)
	}
	if t.Counter {
		w.Key("counter")
		w.Bool(true)
	}
	w.EndObject()
}

// DecodeLintRequest parses a lint request document.
func DecodeLintRequest(data []byte) (*LintRequest, error) {
	r := abi.NewReader(data)
	req := &LintRequest{}
	for it := r.Object(); it.Next(); {
		k := it.Key()
		switch k {
		case "file":
			readFile(r, &req.File)
		case "statements":
			// The statements are allocated a block at a time and their
			// pointers gathered on the stack: a request has dozens of
			// them, and allocation is dear in a wasm guest.
			var (
				block []Statement
				buf   [32]*Statement
			)
			stmts := buf[:0]
			for it := r.Array(); it.Next(); {
				if len(block) == cap(block) {
					block = make([]Statement, 0, min(64, 8+len(stmts)))
				}
				block = block[:len(block)+1]
				s := &block[len(block)-1]
				readStatement(r, s)
				stmts = append(stmts, s)
			}
			req.Statements = exact(stmts)
		case "rules":
			req.Rules = r.Strings()
		case "rule_options":
			for it := r.Object(); it.Next(); {
				id := it.Key()
				if req.RuleOptions == nil {
					req.RuleOptions = map[string]Value{}
				}
				req.RuleOptions[id] = r.Value()
			}
		default:
			r.Skip()
		}
	}
	if err := r.Finish(); err != nil {
		return nil, tinyfmt.Errorf("decode lint request: %w", err)
	}
	return req, nil
}

func readFile(r *abi.Reader, f *File) {
	for it := r.Object(); it.Next(); {
		k := it.Key()
		switch k {
		case "path":
			f.Path = r.String()
		case "version":
			f.Version = r.String()
		case "description":
			f.Description = r.String()
		case "down_section":
			f.DownSection = r.Bool()
		case "up_statements":
			f.UpStatements = int(r.Int())
		case "down_statements":
			f.DownStatements = int(r.Int())
		default:
			r.Skip()
		}
	}
}

func readPos(r *abi.Reader) Pos {
	var p Pos
	for it := r.Object(); it.Next(); {
		k := it.Key()
		switch k {
		case "offset":
			p.Offset = int(r.Int())
		case "line":
			p.Line = int(r.Int())
		case "column":
			p.Column = int(r.Int())
		default:
			r.Skip()
		}
	}
	return p
}

func readStatement(r *abi.Reader, s *Statement) {
	for it := r.Object(); it.Next(); {
		k := it.Key()
		switch k {
		case "section":
			s.Section = r.String()
		case "index":
			s.Index = int(r.Int())
		case "kind":
			s.Kind = r.String()
		case "text":
			s.Text = r.String()
		case "pos":
			s.Pos = readPos(r)
		case "ast":
			// The host's AST is valid JSON: cross it in one scan that
			// indexes where each value starts and ends and the member
			// names, so that rules' lookups (Statement.AST) read the index
			// instead of scanning the AST again and again.
			s.ast = r.IndexedValue()
			if !s.ast.IsNull() {
				s.ASTJSON = s.ast.JSON()
			}
		case "before":
			if !r.Null() {
				s.Before = readObject(r)
			}
		default:
			r.Skip()
		}
	}
}

// objectParts holds an Object and the definitions it may point to, so
// that decoding one costs one allocation instead of three.
type objectParts struct {
	o  Object
	ks Keyspace
	t  Table
}

func readObject(r *abi.Reader) *Object {
	parts := &objectParts{}
	o := &parts.o
	for it := r.Object(); it.Next(); {
		k := it.Key()
		switch k {
		case "keyspace":
			if r.Null() {
				continue
			}
			ks := &parts.ks
			for it := r.Object(); it.Next(); {
				k := it.Key()
				switch k {
				case "name":
					ks.Name = r.String()
				case "replication":
					ks.Replication = map[string]string{}
					for it := r.Object(); it.Next(); {
						key := it.Key()
						ks.Replication[key] = r.String()
					}
				case "durable_writes":
					ks.DurableWrites = r.Bool()
				default:
					r.Skip()
				}
			}
			o.Keyspace = ks
		case "table":
			if !r.Null() {
				o.Table = &parts.t
				readTable(r, o.Table)
			}
		case "type":
			if r.Null() {
				continue
			}
			u := &UserType{}
			for it := r.Object(); it.Next(); {
				k := it.Key()
				switch k {
				case "keyspace":
					u.Keyspace = r.String()
				case "name":
					u.Name = r.String()
				case "fields":
					for it := r.Array(); it.Next(); {
						var f Field
						for it := r.Object(); it.Next(); {
							k := it.Key()
							switch k {
							case "name":
								f.Name = r.String()
							case "type":
								f.Type = r.String()
							default:
								r.Skip()
							}
						}
						u.Fields = append(u.Fields, f)
					}
				default:
					r.Skip()
				}
			}
			o.Type = u
		default:
			r.Skip()
		}
	}
	return o
}

// exact returns a copy of s in memory of its size, or nil when it is
// empty. The decoder gathers lists in a buffer on the stack and copies
// them out once, instead of growing them from nothing.
func exact[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

func readTable(r *abi.Reader, t *Table) {
	var (
		columns    [16]Column
		clustering [4]ClusteringColumn
	)
	for it := r.Object(); it.Next(); {
		k := it.Key()
		switch k {
		case "keyspace":
			t.Keyspace = r.String()
		case "name":
			t.Name = r.String()
		case "columns":
			cols := columns[:0]
			for it := r.Array(); it.Next(); {
				var c Column
				for it := r.Object(); it.Next(); {
					k := it.Key()
					switch k {
					case "name":
						c.Name = r.String()
					case "type":
						c.Type = r.String()
					case "kind":
						c.Kind = r.String()
					default:
						r.Skip()
					}
				}
				cols = append(cols, c)
			}
			t.Columns = exact(cols)
		case "partition_key":
			t.PartitionKey = r.Strings()
		case "clustering":
			cols := clustering[:0]
			for it := r.Array(); it.Next(); {
				var c ClusteringColumn
				for it := r.Object(); it.Next(); {
					k := it.Key()
					switch k {
					case "name":
						c.Name = r.String()
					case "order":
						c.Order = r.String()
					default:
						r.Skip()
					}
				}
				cols = append(cols, c)
			}
			t.Clustering = exact(cols)
		case "options":
			for it := r.Object(); it.Next(); {
				name := it.Key()
				if t.Options == nil {
					t.Options = map[string]Value{}
				}
				t.Options[name] = r.Value()
			}
		case "dropped":
			for it := r.Array(); it.Next(); {
				var d DroppedColumn
				for it := r.Object(); it.Next(); {
					k := it.Key()
					switch k {
					case "name":
						d.Name = r.String()
					case "type":
						d.Type = r.String()
					case "kind":
						d.Kind = r.String()
					case "dropped_at":
						d.DroppedAt = r.Int()
					default:
						r.Skip()
					}
				}
				t.Dropped = append(t.Dropped, d)
			}
		case "indexes":
			for it := r.Array(); it.Next(); {
				var ix Index
				for it := r.Object(); it.Next(); {
					k := it.Key()
					switch k {
					case "name":
						ix.Name = r.String()
					case "target":
						ix.Target = r.String()
					case "class":
						ix.Class = r.String()
					default:
						r.Skip()
					}
				}
				t.Indexes = append(t.Indexes, ix)
			}
		case "view":
			t.View = r.Bool()
		case "base_table":
			t.BaseTable = r.String()
		case "compact_storage":
			t.CompactStorage = r.Bool()
		case "counter":
			t.Counter = r.Bool()
		default:
			r.Skip()
		}
	}
}

// AppendLintResponse appends resp as the result of a success envelope:
// {"ok":true,"result":{"findings":[...],"errors":[...]}}.
func AppendLintResponse(dst []byte, resp *LintResponse) []byte {
	// Room for the whole response at once: growing from nothing copied it
	// several times over, and allocation is dear in a wasm guest.
	size := 64
	for i := range resp.Findings {
		f := &resp.Findings[i]
		size += 112 + len(f.Rule) + len(f.Severity) + len(f.Message)*11/10
	}
	for _, e := range resp.Errors {
		size += 32 + len(e.Rule) + len(e.Message)*11/10
	}
	dst = slices.Grow(dst, size)
	return abi.AppendOK(dst, func(w *abi.Writer) {
		w.BeginObject()
		w.Key("findings")
		w.BeginArray()
		for _, f := range resp.Findings {
			w.BeginObject()
			w.Key("rule")
			w.String(f.Rule)
			if f.Severity != "" {
				w.Key("severity")
				w.String(string(f.Severity))
			}
			w.Key("message")
			w.String(f.Message)
			w.Key("pos")
			writePos(w, f.Pos)
			w.Key("statement")
			w.Int(int64(f.Statement))
			w.EndObject()
		}
		w.EndArray()
		if len(resp.Errors) > 0 {
			w.Key("errors")
			w.BeginArray()
			for _, e := range resp.Errors {
				w.BeginObject()
				w.Key("rule")
				w.String(e.Rule)
				w.Key("message")
				w.String(e.Message)
				w.EndObject()
			}
			w.EndArray()
		}
		w.EndObject()
	})
}

// DecodeLintResponse parses a lint response envelope. A failure envelope
// yields an *abi.GuestError.
func DecodeLintResponse(data []byte) (*LintResponse, error) {
	result, err := abi.OpenEnvelope(data)
	if err != nil {
		return nil, err
	}
	return DecodeLintResult(result)
}

// DecodeLintResult parses the result member of a lint response envelope,
// {"findings":[...],"errors":[...]}, and checks each finding has a rule, a
// message and a valid severity (or none).
func DecodeLintResult(result []byte) (*LintResponse, error) {
	r := abi.NewReader(result)
	resp := &LintResponse{}
	for it := r.Object(); it.Next(); {
		k := it.Key()
		switch k {
		case "findings":
			for it := r.Array(); it.Next(); {
				var f Finding
				for it := r.Object(); it.Next(); {
					k := it.Key()
					switch k {
					case "rule":
						f.Rule = r.String()
					case "severity":
						f.Severity = Severity(r.String())
					case "message":
						f.Message = r.String()
					case "pos":
						f.Pos = readPos(r)
					case "statement":
						f.Statement = int(r.Int())
					default:
						r.Skip()
					}
				}
				resp.Findings = append(resp.Findings, f)
			}
		case "errors":
			for it := r.Array(); it.Next(); {
				var e RuleError
				for it := r.Object(); it.Next(); {
					k := it.Key()
					switch k {
					case "rule":
						e.Rule = r.String()
					case "message":
						e.Message = r.String()
					default:
						r.Skip()
					}
				}
				resp.Errors = append(resp.Errors, e)
			}
		default:
			r.Skip()
		}
	}
	if err := r.Finish(); err != nil {
		return nil, tinyfmt.Errorf("decode lint response: %w", err)
	}
	for i, f := range resp.Findings {
		if f.Rule == "" || f.Message == "" {
			return nil, tinyfmt.Errorf("decode lint response: finding %d lacks a rule or a message", i)
		}
		if f.Severity != "" && !f.Severity.Valid() {
			return nil, tinyfmt.Errorf("decode lint response: finding %d: severity %q, want error, warning or info", i, string(f.Severity))
		}
	}
	return resp, nil
}
