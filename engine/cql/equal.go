package cql

import "reflect"

// Equal reports whether two statements have the same meaning as far as the
// AST tells: positions are ignored, and so is whether an identifier or a
// user type name was written in double quotes (only the resolved name
// counts, except for a quoted user type named like a native type). Nil and
// empty slices are equal.
func Equal(a, b Stmt) bool {
	return equalValues(reflect.ValueOf(a), reflect.ValueOf(b))
}

// EqualTerms is Equal for terms.
func EqualTerms(a, b Term) bool {
	return equalValues(reflect.ValueOf(a), reflect.ValueOf(b))
}

var (
	posType   = reflect.TypeOf(Pos{})
	identType = reflect.TypeOf(Ident{})
	typeType  = reflect.TypeOf(Type{})
)

func equalValues(a, b reflect.Value) bool {
	if !a.IsValid() || !b.IsValid() {
		return isNilish(a) && isNilish(b)
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equalValues(a.Elem(), b.Elem())
	case reflect.Struct:
		t := a.Type()
		if t == posType {
			return true
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Type == posType || (t == identType && f.Name == "Quoted") {
				continue
			}
			// Quoting a user type name only changes its meaning when the
			// name is also a native type ("int" versus int).
			if t == typeType && f.Name == "UserQuoted" && !nativeTypes[a.FieldByName("Name").String()] {
				continue
			}
			if !equalValues(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !equalValues(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return a.Uint() == b.Uint()
	}
	return a.Interface() == b.Interface()
}

func isNilish(v reflect.Value) bool {
	if !v.IsValid() {
		return true
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return v.IsNil()
	}
	return false
}
