package cql

import "encoding/json"

// JSON shape: every statement marshals as an object with a "kind" member
// (its Kind, e.g. "CREATE TABLE") followed by its fields; every term
// marshals with a "node" member naming the term type (TermNode* constants).
// Positions are objects {"offset", "line", "column"}. This is the document
// lint plugins receive; fields are only ever added, never renamed.

// Term node names used in the "node" member of a marshalled term.
const (
	TermNodeLiteral           = "literal"
	TermNodeBindMarker        = "bind_marker"
	TermNodeCollectionLiteral = "collection"
	TermNodeTupleLiteral      = "tuple"
	TermNodeUDTLiteral        = "udt"
	TermNodeFunctionCall      = "function_call"
	TermNodeCast              = "cast"
	TermNodeTypeHint          = "type_hint"
	TermNodeBinaryOp          = "binary_op"
	TermNodeUnaryOp           = "unary_op"
	TermNodeColumnRef         = "column"
	TermNodeFieldRef          = "field"
	TermNodeElementRef        = "element"
	TermNodeStar              = "star"
)

// MarshalJSON adds the "kind" member.
func (s *CreateKeyspace) MarshalJSON() ([]byte, error) {
	type plain CreateKeyspace
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *AlterKeyspace) MarshalJSON() ([]byte, error) {
	type plain AlterKeyspace
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *DropKeyspace) MarshalJSON() ([]byte, error) {
	type plain DropKeyspace
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *CreateTable) MarshalJSON() ([]byte, error) {
	type plain CreateTable
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *AlterTable) MarshalJSON() ([]byte, error) {
	type plain AlterTable
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *DropTable) MarshalJSON() ([]byte, error) {
	type plain DropTable
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *Truncate) MarshalJSON() ([]byte, error) {
	type plain Truncate
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *CreateType) MarshalJSON() ([]byte, error) {
	type plain CreateType
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *AlterType) MarshalJSON() ([]byte, error) {
	type plain AlterType
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *DropType) MarshalJSON() ([]byte, error) {
	type plain DropType
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *CreateIndex) MarshalJSON() ([]byte, error) {
	type plain CreateIndex
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *DropIndex) MarshalJSON() ([]byte, error) {
	type plain DropIndex
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *CreateView) MarshalJSON() ([]byte, error) {
	type plain CreateView
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *AlterView) MarshalJSON() ([]byte, error) {
	type plain AlterView
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *DropView) MarshalJSON() ([]byte, error) {
	type plain DropView
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *CreateFunction) MarshalJSON() ([]byte, error) {
	type plain CreateFunction
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *DropFunction) MarshalJSON() ([]byte, error) {
	type plain DropFunction
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *CreateAggregate) MarshalJSON() ([]byte, error) {
	type plain CreateAggregate
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *DropAggregate) MarshalJSON() ([]byte, error) {
	type plain DropAggregate
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *CreateTrigger) MarshalJSON() ([]byte, error) {
	type plain CreateTrigger
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *DropTrigger) MarshalJSON() ([]byte, error) {
	type plain DropTrigger
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *CreateRole) MarshalJSON() ([]byte, error) {
	type plain CreateRole
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *AlterRole) MarshalJSON() ([]byte, error) {
	type plain AlterRole
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *DropRole) MarshalJSON() ([]byte, error) {
	type plain DropRole
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *CreateUser) MarshalJSON() ([]byte, error) {
	type plain CreateUser
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *AlterUser) MarshalJSON() ([]byte, error) {
	type plain AlterUser
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *DropUser) MarshalJSON() ([]byte, error) {
	type plain DropUser
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *Grant) MarshalJSON() ([]byte, error) {
	type plain Grant
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *Revoke) MarshalJSON() ([]byte, error) {
	type plain Revoke
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *GrantRole) MarshalJSON() ([]byte, error) {
	type plain GrantRole
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *RevokeRole) MarshalJSON() ([]byte, error) {
	type plain RevokeRole
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *ListRoles) MarshalJSON() ([]byte, error) {
	type plain ListRoles
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *ListUsers) MarshalJSON() ([]byte, error) {
	type plain ListUsers
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *ListPermissions) MarshalJSON() ([]byte, error) {
	type plain ListPermissions
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *AddIdentity) MarshalJSON() ([]byte, error) {
	type plain AddIdentity
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *DropIdentity) MarshalJSON() ([]byte, error) {
	type plain DropIdentity
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *Insert) MarshalJSON() ([]byte, error) {
	type plain Insert
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *Update) MarshalJSON() ([]byte, error) {
	type plain Update
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *Delete) MarshalJSON() ([]byte, error) {
	type plain Delete
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *Batch) MarshalJSON() ([]byte, error) {
	type plain Batch
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *Select) MarshalJSON() ([]byte, error) {
	type plain Select
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "kind" member.
func (s *Use) MarshalJSON() ([]byte, error) {
	type plain Use
	return json.Marshal(struct {
		Kind Kind `json:"kind"`
		*plain
	}{s.Kind(), (*plain)(s)})
}

// MarshalJSON adds the "node" member.
func (t *Literal) MarshalJSON() ([]byte, error) {
	type plain Literal
	return json.Marshal(struct {
		Node string `json:"node"`
		*plain
	}{TermNodeLiteral, (*plain)(t)})
}

// MarshalJSON adds the "node" member.
func (t *BindMarker) MarshalJSON() ([]byte, error) {
	type plain BindMarker
	return json.Marshal(struct {
		Node string `json:"node"`
		*plain
	}{TermNodeBindMarker, (*plain)(t)})
}

// MarshalJSON adds the "node" member.
func (t *CollectionLiteral) MarshalJSON() ([]byte, error) {
	type plain CollectionLiteral
	return json.Marshal(struct {
		Node string `json:"node"`
		*plain
	}{TermNodeCollectionLiteral, (*plain)(t)})
}

// MarshalJSON adds the "node" member.
func (t *TupleLiteral) MarshalJSON() ([]byte, error) {
	type plain TupleLiteral
	return json.Marshal(struct {
		Node string `json:"node"`
		*plain
	}{TermNodeTupleLiteral, (*plain)(t)})
}

// MarshalJSON adds the "node" member.
func (t *UDTLiteral) MarshalJSON() ([]byte, error) {
	type plain UDTLiteral
	return json.Marshal(struct {
		Node string `json:"node"`
		*plain
	}{TermNodeUDTLiteral, (*plain)(t)})
}

// MarshalJSON adds the "node" member.
func (t *FunctionCall) MarshalJSON() ([]byte, error) {
	type plain FunctionCall
	return json.Marshal(struct {
		Node string `json:"node"`
		*plain
	}{TermNodeFunctionCall, (*plain)(t)})
}

// MarshalJSON adds the "node" member.
func (t *Cast) MarshalJSON() ([]byte, error) {
	type plain Cast
	return json.Marshal(struct {
		Node string `json:"node"`
		*plain
	}{TermNodeCast, (*plain)(t)})
}

// MarshalJSON adds the "node" member.
func (t *TypeHint) MarshalJSON() ([]byte, error) {
	type plain TypeHint
	return json.Marshal(struct {
		Node string `json:"node"`
		*plain
	}{TermNodeTypeHint, (*plain)(t)})
}

// MarshalJSON adds the "node" member.
func (t *BinaryOp) MarshalJSON() ([]byte, error) {
	type plain BinaryOp
	return json.Marshal(struct {
		Node string `json:"node"`
		*plain
	}{TermNodeBinaryOp, (*plain)(t)})
}

// MarshalJSON adds the "node" member.
func (t *UnaryOp) MarshalJSON() ([]byte, error) {
	type plain UnaryOp
	return json.Marshal(struct {
		Node string `json:"node"`
		*plain
	}{TermNodeUnaryOp, (*plain)(t)})
}

// MarshalJSON adds the "node" member.
func (t *ColumnRef) MarshalJSON() ([]byte, error) {
	type plain ColumnRef
	return json.Marshal(struct {
		Node string `json:"node"`
		*plain
	}{TermNodeColumnRef, (*plain)(t)})
}

// MarshalJSON adds the "node" member.
func (t *FieldRef) MarshalJSON() ([]byte, error) {
	type plain FieldRef
	return json.Marshal(struct {
		Node string `json:"node"`
		*plain
	}{TermNodeFieldRef, (*plain)(t)})
}

// MarshalJSON adds the "node" member.
func (t *ElementRef) MarshalJSON() ([]byte, error) {
	type plain ElementRef
	return json.Marshal(struct {
		Node string `json:"node"`
		*plain
	}{TermNodeElementRef, (*plain)(t)})
}

// MarshalJSON adds the "node" member.
func (t *Star) MarshalJSON() ([]byte, error) {
	type plain Star
	return json.Marshal(struct {
		Node string `json:"node"`
		*plain
	}{TermNodeStar, (*plain)(t)})
}
