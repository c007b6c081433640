package wire

import (
	"bytes"
	"testing"
)

// FuzzDecodeRequest feeds arbitrary bodies to every request decoder: they
// must fail cleanly, never panic, and what decodes must encode back to a
// body that decodes the same.
func FuzzDecodeRequest(f *testing.F) {
	f.Add(byte(OpQuery), EncodeQuery(Query{Query: "SELECT * FROM t", Params: QueryParams{Consistency: One, PageSize: 10,
		Values: []Value{{Bytes: []byte{1}}, {Null: true}, {Unset: true}}}}))
	f.Add(byte(OpExecute), EncodeExecute(Execute{ID: []byte{1, 2}, Params: QueryParams{Consistency: Quorum}}))
	f.Add(byte(OpStartup), EncodeStartup([]string{"CQL_VERSION"}, map[string]string{"CQL_VERSION": "3.0.0"}))
	f.Add(byte(OpBatch), []byte{0, 0, 1, 0, 0, 0, 0, 1, 'x', 0, 0, 0, 1, 0})
	f.Add(byte(OpResult), []byte{0, 0x30, 0, 0, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, op byte, body []byte) {
		switch Opcode(op % 0x11) {
		case OpQuery:
			if q, err := DecodeQuery(body); err == nil {
				q2, err := DecodeQuery(EncodeQuery(q))
				if err != nil || q2.Query != q.Query || len(q2.Params.Values) != len(q.Params.Values) {
					t.Fatalf("query round trip: %v %+v %+v", err, q, q2)
				}
			}
		case OpExecute:
			if e, err := DecodeExecute(body); err == nil {
				e2, err := DecodeExecute(EncodeExecute(e))
				if err != nil || !bytes.Equal(e2.ID, e.ID) {
					t.Fatalf("execute round trip: %v", err)
				}
			}
		case OpStartup:
			DecodeStartup(body)
		case OpBatch:
			DecodeBatch(body)
		case OpRegister:
			DecodeRegister(body)
		case OpPrepare:
			DecodePrepare(body)
		case OpAuthResponse:
			DecodeAuthResponse(body)
		case OpError:
			DecodeError(body)
		default:
			r := NewReader(body)
			r.Option()
		}
	})
}

func TestOptionNestingIsBounded(t *testing.T) {
	var w Writer
	for i := 0; i < 1000; i++ {
		w.Short(uint16(TypeList))
	}
	w.Short(uint16(TypeInt))
	r := NewReader(w.B)
	r.Option()
	if r.Err() == nil {
		t.Fatal("a 1000-level type was accepted")
	}
}
