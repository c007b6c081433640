package cql

// JSON shape: every statement marshals as an object with a "kind" member
// (its Kind, e.g. "CREATE TABLE") followed by its fields; every term
// marshals with a "node" member naming the term type (TermNode* constants).
// Positions are objects {"offset", "line", "column"}. This is the document
// lint plugins receive; fields are only ever added, never renamed.
// AppendJSON (jsonenc.go) writes it, and the MarshalJSON methods below call
// AppendJSON's encoder, so json.Marshal gives the same bytes.

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

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *CreateKeyspace) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *AlterKeyspace) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *DropKeyspace) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *CreateTable) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *AlterTable) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *DropTable) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *Truncate) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *CreateType) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *AlterType) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *DropType) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *CreateIndex) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *DropIndex) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *CreateView) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *AlterView) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *DropView) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *CreateFunction) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *DropFunction) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *CreateAggregate) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *DropAggregate) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *CreateTrigger) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *DropTrigger) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *CreateRole) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *AlterRole) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *DropRole) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *CreateUser) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *AlterUser) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *DropUser) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *Grant) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *Revoke) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *GrantRole) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *RevokeRole) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *ListRoles) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *ListUsers) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *ListPermissions) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *AddIdentity) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *DropIdentity) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *Insert) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *Update) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *Delete) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *Batch) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *Select) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "kind".
func (s *Use) MarshalJSON() ([]byte, error) { return marshalNode(s) }

// MarshalJSON writes the document AppendJSON writes, led by "node".
func (t *Literal) MarshalJSON() ([]byte, error) { return marshalNode(t) }

// MarshalJSON writes the document AppendJSON writes, led by "node".
func (t *BindMarker) MarshalJSON() ([]byte, error) { return marshalNode(t) }

// MarshalJSON writes the document AppendJSON writes, led by "node".
func (t *CollectionLiteral) MarshalJSON() ([]byte, error) { return marshalNode(t) }

// MarshalJSON writes the document AppendJSON writes, led by "node".
func (t *TupleLiteral) MarshalJSON() ([]byte, error) { return marshalNode(t) }

// MarshalJSON writes the document AppendJSON writes, led by "node".
func (t *UDTLiteral) MarshalJSON() ([]byte, error) { return marshalNode(t) }

// MarshalJSON writes the document AppendJSON writes, led by "node".
func (t *FunctionCall) MarshalJSON() ([]byte, error) { return marshalNode(t) }

// MarshalJSON writes the document AppendJSON writes, led by "node".
func (t *Cast) MarshalJSON() ([]byte, error) { return marshalNode(t) }

// MarshalJSON writes the document AppendJSON writes, led by "node".
func (t *TypeHint) MarshalJSON() ([]byte, error) { return marshalNode(t) }

// MarshalJSON writes the document AppendJSON writes, led by "node".
func (t *BinaryOp) MarshalJSON() ([]byte, error) { return marshalNode(t) }

// MarshalJSON writes the document AppendJSON writes, led by "node".
func (t *UnaryOp) MarshalJSON() ([]byte, error) { return marshalNode(t) }

// MarshalJSON writes the document AppendJSON writes, led by "node".
func (t *ColumnRef) MarshalJSON() ([]byte, error) { return marshalNode(t) }

// MarshalJSON writes the document AppendJSON writes, led by "node".
func (t *FieldRef) MarshalJSON() ([]byte, error) { return marshalNode(t) }

// MarshalJSON writes the document AppendJSON writes, led by "node".
func (t *ElementRef) MarshalJSON() ([]byte, error) { return marshalNode(t) }

// MarshalJSON writes the document AppendJSON writes, led by "node".
func (t *Star) MarshalJSON() ([]byte, error) { return marshalNode(t) }
