package cqltest

import (
	"reflect"
	"testing"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
	"github.com/cqltrack/cqltrack/engine/schema"
)

func TestBindVariables(t *testing.T) {
	cat := schema.New(schema.V5_0)
	for _, ddl := range []string{
		"CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
		"CREATE TYPE ks.address (street text, zip int)",
		"CREATE TABLE ks.t (a int, b text, c timestamp, m map<text, bigint>, l list<int>, home address, PRIMARY KEY ((a, b), c))",
		"CREATE TABLE ks.u (k int PRIMARY KEY, home address, m map<text, bigint>)",
		"CREATE TABLE ks.cnt (k int PRIMARY KEY, n counter)",
	} {
		st, err := cql.Parse(ddl)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cat.Apply(st, ""); err != nil {
			t.Fatalf("%s: %v", ddl, err)
		}
	}
	type v struct {
		name string
		id   wire.TypeID
	}
	tests := []struct {
		stmt string
		want []v
		pk   []uint16
	}{
		{"SELECT * FROM ks.t WHERE a = ? AND b = ? AND c > ? LIMIT ?",
			[]v{{"a", wire.TypeInt}, {"b", wire.TypeVarchar}, {"c", wire.TypeTimestamp}, {"[limit]", wire.TypeInt}}, []uint16{0, 1}},
		{"SELECT * FROM ks.t WHERE b = ? AND a = ?",
			[]v{{"b", wire.TypeVarchar}, {"a", wire.TypeInt}}, []uint16{1, 0}},
		{"SELECT * FROM ks.t WHERE a IN ? AND b = ?",
			[]v{{"in(a)", wire.TypeList}, {"b", wire.TypeVarchar}}, nil},
		{"SELECT * FROM ks.t WHERE token(a, b) > ?",
			[]v{{"partition key token", wire.TypeBigint}}, nil},
		{"INSERT INTO ks.t (a, b, c, m) VALUES (?, ?, ?, ?) USING TTL ? AND TIMESTAMP ?",
			[]v{{"a", wire.TypeInt}, {"b", wire.TypeVarchar}, {"c", wire.TypeTimestamp}, {"m", wire.TypeMap},
				{"[ttl]", wire.TypeInt}, {"[timestamp]", wire.TypeBigint}}, []uint16{0, 1}},
		{"UPDATE ks.t SET m[?] = ?, l = l + ? WHERE a = :x AND b = ? AND c = ? IF m[?] = ?",
			[]v{{"key(m)", wire.TypeVarchar}, {"value(m)", wire.TypeBigint}, {"l", wire.TypeList}, {"x", wire.TypeInt},
				{"b", wire.TypeVarchar}, {"c", wire.TypeTimestamp}, {"key(m)", wire.TypeVarchar}, {"value(m)", wire.TypeBigint}}, []uint16{3, 4}},
		{"UPDATE ks.cnt SET n = n + ? WHERE k = 1",
			[]v{{"n", wire.TypeBigint}}, nil},
		{"UPDATE ks.u SET home.zip = ? WHERE k = ? IF home.street = ?",
			[]v{{"home.zip", wire.TypeInt}, {"k", wire.TypeInt}, {"home.street", wire.TypeVarchar}}, []uint16{1}},
		{"DELETE m[?] FROM ks.u USING TIMESTAMP ? WHERE k = ? IF EXISTS",
			[]v{{"key(m)", wire.TypeVarchar}, {"[timestamp]", wire.TypeBigint}, {"k", wire.TypeInt}}, []uint16{2}},
	}
	for _, tt := range tests {
		t.Run(tt.stmt, func(t *testing.T) {
			st, err := cql.Parse(tt.stmt)
			if err != nil {
				t.Fatal(err)
			}
			vars, pk, err := bindVariables(cat, st, "")
			if err != nil {
				t.Fatal(err)
			}
			var got []v
			for _, c := range vars {
				if c.Keyspace != "ks" {
					t.Errorf("variable %s in keyspace %q", c.Name, c.Keyspace)
				}
				got = append(got, v{c.Name, c.Type.ID})
			}
			if !reflect.DeepEqual(got, tt.want) || !reflect.DeepEqual(pk, tt.pk) {
				t.Fatalf("got %v pk %v\nwant %v pk %v", got, pk, tt.want, tt.pk)
			}
		})
	}
}
