package cql_test

import (
	"fmt"

	"github.com/cqltrack/cqltrack/engine/cql"
)

func ExampleParse() {
	st, err := cql.Parse(`create table Shop.Orders (id uuid primary key, "Total" decimal) with gc_grace_seconds = 3600`)
	if err != nil {
		fmt.Println(err)
		return
	}
	ct := st.(*cql.CreateTable)
	fmt.Println(st.Kind(), ct.Name.KeyspaceOr(""), ct.Name.Name.Name, ct.Columns[1].Name.Name)
	fmt.Println(st)
	// Output:
	// CREATE TABLE shop orders Total
	// CREATE TABLE shop.orders (id uuid PRIMARY KEY, "Total" decimal) WITH gc_grace_seconds = 3600
}

func ExampleSplit() {
	src := []byte("-- V1: users\nCREATE TABLE users (id uuid PRIMARY KEY);\n\nINSERT INTO users (id) VALUES (uuid()) -- seed\n")
	stmts, err := cql.Split(src)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range stmts {
		fmt.Printf("%s %q comments=%d\n", s.Pos, s.Text, len(s.Comments))
	}
	// Output:
	// 2:1 "CREATE TABLE users (id uuid PRIMARY KEY)" comments=1
	// 4:1 "INSERT INTO users (id) VALUES (uuid())" comments=1
}

func ExampleSyntaxError() {
	_, err := cql.ParseScript([]byte("USE shop;\nCREATE TABLE t (id uuid PRIMARY KEY) WITH CLUSTERING ORDER (id)"))
	fmt.Println(err)
	// Output:
	// line 2:60: expected BY after CLUSTERING ORDER, found "("
}
