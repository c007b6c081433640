package cql

import (
	"reflect"
	"sort"
)

// Inspect walks the tree rooted at node (a Stmt, a Term, or any AST struct)
// depth-first and calls f for every statement and term it meets, node
// itself included. When f returns false the children of that node are
// skipped. Fields are visited in declaration order, which follows the order
// of the clauses in the source.
func Inspect(node any, f func(node any) bool) {
	inspect(reflect.ValueOf(node), f)
}

var (
	termIface = reflect.TypeOf((*Term)(nil)).Elem()
	stmtIface = reflect.TypeOf((*Stmt)(nil)).Elem()
)

func inspect(v reflect.Value, f func(any) bool) {
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			inspect(v.Elem(), f)
		}
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if v.Type().Implements(termIface) || v.Type().Implements(stmtIface) {
			if !f(v.Interface()) {
				return
			}
		}
		inspect(v.Elem(), f)
	case reflect.Struct:
		if v.Type() == posType {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			inspect(v.Field(i), f)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			inspect(v.Index(i), f)
		}
	}
}

// BindMarkers returns the bind markers of a statement ordered by Index,
// the order in which EXECUTE supplies their values.
func BindMarkers(st Stmt) []*BindMarker {
	var out []*BindMarker
	Inspect(st, func(n any) bool {
		if m, ok := n.(*BindMarker); ok {
			out = append(out, m)
		}
		return true
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Index < out[j].Index })
	return out
}
