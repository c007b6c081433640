package sdk

import (
	"fmt"
	"testing"
)

// benchRequest is a file of n statements with ASTs and before-images of a
// realistic size.
func benchRequest(n int) *LintRequest {
	req := &LintRequest{File: File{Path: "V042__bench.cql", Version: "042", DownSection: true, UpStatements: n}}
	table := &Table{
		Keyspace: "shop", Name: "orders", PartitionKey: []string{"customer_id"},
		Clustering: []ClusteringColumn{{Name: "placed_at", Order: "desc"}},
		Columns: []Column{
			{Name: "customer_id", Type: "uuid", Kind: PartitionKey},
			{Name: "placed_at", Type: "timestamp", Kind: Clustering},
			{Name: "total", Type: "decimal", Kind: Regular},
			{Name: "note", Type: "text", Kind: Regular},
		},
		Options: map[string]Value{"gc_grace_seconds": mustValue(`864000`), "compaction": mustValue(`{"class":"SizeTieredCompactionStrategy"}`)},
	}
	for i := range n {
		s := &Statement{Section: Up, Index: i + 1, Pos: Pos{Offset: i * 80, Line: i + 1, Column: 1}}
		switch i % 2 {
		case 0:
			s.Kind = "CREATE TABLE"
			s.Text = fmt.Sprintf("CREATE TABLE shop.t%d (id uuid PRIMARY KEY, v text) WITH comment = 'x'", i)
			s.ASTJSON = []byte(fmt.Sprintf(`{"kind":"CREATE TABLE","name":{"keyspace":{"name":"shop","pos":{"offset":13,"line":1,"column":14}},"name":{"name":"t%d","pos":{"offset":18,"line":1,"column":19}}},"columns":[{"name":{"name":"id","pos":{"offset":22,"line":1,"column":23}},"type":{"name":"uuid"},"primary_key":true}],"partition_key":[{"name":"id","pos":{"offset":22,"line":1,"column":23}}],"options":[{"name":"comment","value":{"node":"literal","type":"string","text":"x","pos":{"offset":68,"line":1,"column":69}},"pos":{"offset":58,"line":1,"column":59}}],"pos":{"offset":0,"line":1,"column":1}}`, i))
		case 1:
			s.Kind = "ALTER TABLE"
			s.Text = "ALTER TABLE shop.orders DROP note"
			s.ASTJSON = []byte(`{"kind":"ALTER TABLE","name":{"keyspace":{"name":"shop"},"name":{"name":"orders"}},"action":"DROP","drop":[{"name":"note"}],"pos":{"offset":0,"line":1,"column":1}}`)
			s.Before = &Object{Table: table}
		}
		req.Statements = append(req.Statements, s)
	}
	return req
}

const benchStatements = 100

// BenchmarkDecodeLintRequest is what a guest pays to read a request, per
// statement (the ASTs only indexed, not decoded).
func BenchmarkDecodeLintRequest(b *testing.B) {
	data := AppendLintRequest(nil, benchRequest(benchStatements))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := DecodeLintRequest(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchStatements), "ns/stmt")
}

// BenchmarkStatementAST is what a rule pays to read three members of a
// statement's AST, per statement: decoded from a request (with the index
// the decoder builds, as rules see them) and made by hand (scanned).
func BenchmarkStatementAST(b *testing.B) {
	made := benchRequest(benchStatements)
	decoded, err := DecodeLintRequest(AppendLintRequest(nil, made))
	if err != nil {
		b.Fatal(err)
	}
	for _, bench := range []struct {
		name string
		req  *LintRequest
	}{{"decoded", decoded}, {"hand-made", made}} {
		b.Run(bench.name, func(b *testing.B) {
			for b.Loop() {
				for _, s := range bench.req.Statements {
					ast := s.AST()
					if ast.Path("name", "name", "name").Str() == "" || ast.Get("kind").Str() == "" {
						b.Fatal("lookup failed")
					}
					ast.Get("options").Len()
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchStatements), "ns/stmt")
		})
	}
}

// BenchmarkEncodeLintResponse is what a guest pays to answer, per finding.
func BenchmarkEncodeLintResponse(b *testing.B) {
	resp := &LintResponse{}
	for i := range benchStatements {
		resp.Findings = append(resp.Findings, Finding{Rule: "some-rule", Severity: Warning, Message: "a message of ordinary length about the statement", Pos: Pos{Offset: i * 80, Line: i, Column: 1}, Statement: i})
	}
	for b.Loop() {
		AppendLintResponse(nil, resp)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchStatements), "ns/finding")
}
