package wire

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// TypeID is the [short] id of an [option] describing a column type
// (spec section 4.2.5.2).
type TypeID uint16

// The type ids of protocol v4. Duration has no id before v5: Cassandra sends
// it as the custom type org.apache.cassandra.db.marshal.DurationType, and
// vectors likewise as a custom VectorType.
const (
	TypeCustom    TypeID = 0x0000
	TypeASCII     TypeID = 0x0001
	TypeBigint    TypeID = 0x0002
	TypeBlob      TypeID = 0x0003
	TypeBoolean   TypeID = 0x0004
	TypeCounter   TypeID = 0x0005
	TypeDecimal   TypeID = 0x0006
	TypeDouble    TypeID = 0x0007
	TypeFloat     TypeID = 0x0008
	TypeInt       TypeID = 0x0009
	TypeTimestamp TypeID = 0x000B
	TypeUUID      TypeID = 0x000C
	TypeVarchar   TypeID = 0x000D
	TypeVarint    TypeID = 0x000E
	TypeTimeuuid  TypeID = 0x000F
	TypeInet      TypeID = 0x0010
	TypeDate      TypeID = 0x0011
	TypeTime      TypeID = 0x0012
	TypeSmallint  TypeID = 0x0013
	TypeTinyint   TypeID = 0x0014
	TypeList      TypeID = 0x0020
	TypeMap       TypeID = 0x0021
	TypeSet       TypeID = 0x0022
	TypeUDT       TypeID = 0x0030
	TypeTuple     TypeID = 0x0031
)

// Option is a column type as the protocol describes it: an id, plus the
// class name of a custom type, the element types of a collection or tuple,
// or the keyspace, name and fields of a user-defined type.
type Option struct {
	ID       TypeID
	Custom   string
	Elems    []Option
	Keyspace string
	Name     string
	Fields   []string
}

// Option appends an [option] for a column type, recursively.
func (w *Writer) Option(o Option) {
	w.Short(uint16(o.ID))
	switch o.ID {
	case TypeCustom:
		w.String(o.Custom)
	case TypeList, TypeSet:
		w.Option(o.Elems[0])
	case TypeMap:
		w.Option(o.Elems[0])
		w.Option(o.Elems[1])
	case TypeTuple:
		w.Short(uint16(len(o.Elems)))
		for _, e := range o.Elems {
			w.Option(e)
		}
	case TypeUDT:
		w.String(o.Keyspace)
		w.String(o.Name)
		w.Short(uint16(len(o.Fields)))
		for i, f := range o.Fields {
			w.String(f)
			w.Option(o.Elems[i])
		}
	}
}

// maxOptionDepth bounds the nesting of type options a Reader accepts, so
// that a hostile body cannot exhaust the stack; real types nest a handful
// of levels.
const maxOptionDepth = 64

// Option reads an [option] for a column type, recursively.
func (r *Reader) Option() Option { return r.option(0) }

func (r *Reader) option(depth int) Option {
	if depth > maxOptionDepth {
		if r.err == nil {
			r.err = fmt.Errorf("read [option]: types nested deeper than %d levels", maxOptionDepth)
		}
		return Option{}
	}
	o := Option{ID: TypeID(r.Short())}
	switch o.ID {
	case TypeCustom:
		o.Custom = r.String()
	case TypeList, TypeSet:
		o.Elems = []Option{r.option(depth + 1)}
	case TypeMap:
		o.Elems = []Option{r.option(depth + 1), r.option(depth + 1)}
	case TypeTuple:
		n := int(r.Short())
		for i := 0; i < n && r.err == nil; i++ {
			o.Elems = append(o.Elems, r.option(depth+1))
		}
	case TypeUDT:
		o.Keyspace = r.String()
		o.Name = r.String()
		n := int(r.Short())
		for i := 0; i < n && r.err == nil; i++ {
			o.Fields = append(o.Fields, r.String())
			o.Elems = append(o.Elems, r.option(depth+1))
		}
	}
	return o
}

// UserType is a resolved user-defined type: its keyspace, name, and fields in
// declaration order.
type UserType struct {
	Keyspace   string
	Name       string
	FieldNames []string
	FieldTypes []cql.Type
}

// UDTResolver finds a user-defined type by keyspace and name. keyspace is
// the type's own keyspace qualifier or, when the type was written bare, the
// keyspace of the table using it.
type UDTResolver func(keyspace, name string) (UserType, error)

var nativeIDs = map[string]TypeID{
	"ascii": TypeASCII, "bigint": TypeBigint, "blob": TypeBlob, "boolean": TypeBoolean,
	"counter": TypeCounter, "decimal": TypeDecimal, "double": TypeDouble, "float": TypeFloat,
	"int": TypeInt, "timestamp": TypeTimestamp, "uuid": TypeUUID, "text": TypeVarchar,
	"varchar": TypeVarchar, "varint": TypeVarint, "timeuuid": TypeTimeuuid, "inet": TypeInet,
	"date": TypeDate, "time": TypeTime, "smallint": TypeSmallint, "tinyint": TypeTinyint,
}

const marshalPkg = "org.apache.cassandra.db.marshal."

var marshalNames = map[string]string{
	"ascii": "AsciiType", "bigint": "LongType", "blob": "BytesType", "boolean": "BooleanType",
	"counter": "CounterColumnType", "decimal": "DecimalType", "double": "DoubleType",
	"float": "FloatType", "int": "Int32Type", "timestamp": "TimestampType", "uuid": "UUIDType",
	"text": "UTF8Type", "varchar": "UTF8Type", "varint": "IntegerType", "timeuuid": "TimeUUIDType",
	"inet": "InetAddressType", "date": "SimpleDateType", "time": "TimeType",
	"smallint": "ShortType", "tinyint": "ByteType", "duration": "DurationType",
}

// OptionOf describes a CQL type as a protocol v4 [option]. ks is the
// keyspace that bare user type names belong to. Frozen wrappers vanish (the
// protocol does not carry them), duration and vector become custom types
// named by their Cassandra marshal classes.
func OptionOf(t cql.Type, ks string, resolve UDTResolver) (Option, error) {
	t = t.Unfrozen()
	if id, ok := nativeIDs[t.Name]; ok && t.IsNative() {
		return Option{ID: id}, nil
	}
	switch {
	case t.Name == "duration" && t.IsNative(), t.Name == "vector", t.Name == "custom":
		class, err := MarshalClass(t, ks, resolve)
		if err != nil {
			return Option{}, err
		}
		return Option{ID: TypeCustom, Custom: class}, nil
	case t.Name == "list" || t.Name == "set" || t.Name == "map" || t.Name == "tuple":
		o := Option{ID: map[string]TypeID{"list": TypeList, "set": TypeSet, "map": TypeMap, "tuple": TypeTuple}[t.Name]}
		for _, a := range t.Args {
			e, err := OptionOf(a, ks, resolve)
			if err != nil {
				return Option{}, err
			}
			o.Elems = append(o.Elems, e)
		}
		if want := map[string]int{"list": 1, "set": 1, "map": 2}[t.Name]; want != 0 && len(o.Elems) != want {
			return Option{}, fmt.Errorf("type %s: %d element types, want %d", t, len(o.Elems), want)
		}
		return o, nil
	case t.IsUser():
		u, err := resolveUser(t, ks, resolve)
		if err != nil {
			return Option{}, err
		}
		o := Option{ID: TypeUDT, Keyspace: u.Keyspace, Name: u.Name, Fields: u.FieldNames}
		for _, ft := range u.FieldTypes {
			e, err := OptionOf(ft, u.Keyspace, resolve)
			if err != nil {
				return Option{}, err
			}
			o.Elems = append(o.Elems, e)
		}
		return o, nil
	}
	return Option{}, fmt.Errorf("type %s has no protocol v4 encoding", t)
}

func resolveUser(t cql.Type, ks string, resolve UDTResolver) (UserType, error) {
	if t.Keyspace != "" {
		ks = t.Keyspace
	}
	if resolve == nil {
		return UserType{}, fmt.Errorf("resolve user type %s.%s: no resolver", ks, t.Name)
	}
	u, err := resolve(ks, t.Name)
	if err != nil {
		return UserType{}, fmt.Errorf("resolve user type %s.%s: %w", ks, t.Name, err)
	}
	if len(u.FieldNames) != len(u.FieldTypes) {
		return UserType{}, fmt.Errorf("user type %s.%s: %d field names for %d types", ks, t.Name, len(u.FieldNames), len(u.FieldTypes))
	}
	return u, nil
}

// MarshalClass returns the Cassandra marshal class name of a CQL type, as
// custom type options and some system tables spell it, e.g.
// org.apache.cassandra.db.marshal.VectorType(org.apache.cassandra.db.marshal.FloatType, 3).
func MarshalClass(t cql.Type, ks string, resolve UDTResolver) (string, error) {
	var b strings.Builder
	if err := writeClass(&b, t, ks, resolve, true); err != nil {
		return "", err
	}
	return b.String(), nil
}

func writeClass(b *strings.Builder, t cql.Type, ks string, resolve UDTResolver, top bool) error {
	if t.Name == "custom" {
		b.WriteString(t.Custom)
		return nil
	}
	if t.IsFrozen() {
		// Inside a vector Cassandra prints element types ignoring freezing;
		// elsewhere FrozenType is part of the class name.
		if top {
			return writeClass(b, t.Unfrozen(), ks, resolve, top)
		}
		b.WriteString(marshalPkg + "FrozenType(")
		if err := writeClass(b, t.Unfrozen(), ks, resolve, false); err != nil {
			return err
		}
		b.WriteByte(')')
		return nil
	}
	if n, ok := marshalNames[t.Name]; ok && t.IsNative() {
		b.WriteString(marshalPkg + n)
		return nil
	}
	args := func() error {
		for i, a := range t.Args {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeClass(b, a, ks, resolve, false); err != nil {
				return err
			}
		}
		return nil
	}
	switch t.Name {
	case "list", "set", "map", "tuple":
		b.WriteString(marshalPkg + map[string]string{"list": "ListType", "set": "SetType", "map": "MapType", "tuple": "TupleType"}[t.Name] + "(")
		if err := args(); err != nil {
			return err
		}
		b.WriteByte(')')
		return nil
	case "vector":
		if len(t.Args) != 1 {
			return fmt.Errorf("type %s: vector needs one element type", t)
		}
		b.WriteString(marshalPkg + "VectorType(")
		if err := writeClass(b, t.Args[0].Unfrozen(), ks, resolve, false); err != nil {
			return err
		}
		b.WriteString(", " + strconv.Itoa(t.Dim) + ")")
		return nil
	}
	if t.IsUser() {
		u, err := resolveUser(t, ks, resolve)
		if err != nil {
			return err
		}
		b.WriteString(marshalPkg + "UserType(" + u.Keyspace + "," + hex.EncodeToString([]byte(u.Name)))
		for i, f := range u.FieldNames {
			b.WriteString("," + hex.EncodeToString([]byte(f)) + ":")
			if err := writeClass(b, u.FieldTypes[i], u.Keyspace, resolve, false); err != nil {
				return err
			}
		}
		b.WriteByte(')')
		return nil
	}
	return fmt.Errorf("type %s has no marshal class", t)
}
