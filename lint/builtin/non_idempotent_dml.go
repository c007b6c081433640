package builtin

import (
	"strings"

	"github.com/cqltrack/cqltrack/lint/sdk"
	"github.com/cqltrack/cqltrack/plugins/abi"
)

// nondeterministic are the CQL functions whose value differs at each
// execution: a statement using them writes something else when retried.
var nondeterministic = map[string]bool{
	"now": true, "uuid": true, "currenttimestamp": true, "currentdate": true,
	"currenttime": true, "currenttimeuuid": true,
}

// non-idempotent-dml: a migration may be retried from a failed statement,
// and a driver may retry a write that timed out; DML whose second execution
// changes the result (counter increments, list appends and prepends, now()
// and uuid() without a condition) then corrupts data.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "non-idempotent-dml",
			Severity: sdk.Warning,
			Summary:  "DML that changes the data again when retried (counters, list appends, now()/uuid())",
			Kinds:    []string{"INSERT", "UPDATE", "DELETE", "BATCH"},
			Check: func(p *sdk.Pass) {
				var table *sdk.Table
				if p.Before != nil {
					table = p.Before.Table
				}
				checkDML(p, astOf(p), table, strings.ContainsRune(p.Statement.Text, '('))
			},
		},
		Why: "A migration that fails is resumed at the failed statement, and drivers retry writes that timed " +
			"out even though they may have been applied. That is harmless for statements that set values, but " +
			"a counter increment counts twice, a list append or prepend adds the element twice, and `now()` or " +
			"`uuid()` in an INSERT without `IF NOT EXISTS` writes a second row or another value (an UPDATE too, " +
			"even with `IF EXISTS` or a condition on other columns, which a retry finds still true; only a " +
			"compare-and-set, `IF col = ...` on a column the UPDATE sets, is not reported), and deleting a " +
			"list element by index deletes the next element the second time. Set explicit values, use a set " +
			"instead of a list, or make the write conditional. Inside a BATCH the column types are not known, " +
			"so only the shape of the values is judged there.",
		Sources: []string{
			"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/types.html#lists",
			"https://docs.datastax.com/en/developer/java-driver/4.17/manual/core/idempotence/",
		},
		BeforeKinds: []string{"UPDATE", "DELETE"},
		Example:     "UPDATE ks.stats SET views = views + 1 WHERE page = 'home';",
	})
}

// checkDML checks one DML statement (calls: whether its text has a
// function call at all, which spares walking its values).
func checkDML(p *sdk.Pass, ast sdk.Value, table *sdk.Table, calls bool) {
	switch ast.Get("kind").Str() {
	case "BATCH":
		for _, st := range ast.Get("statements").Items() {
			checkDML(p, st, nil, calls) // the host sends no schema for the tables inside a batch
		}
	case "INSERT":
		if ine, _ := ast.Get("if_not_exists").Bool(); ine || !calls {
			return
		}
		if fn, at := findCall(ast.Get("values"), ast.Get("json")); fn != "" {
			p.Reportf(at, "INSERT INTO %s uses %s() without IF NOT EXISTS: a retry writes another value", qualified(ast.Get("table")), fn)
		}
	case "DELETE":
		for _, c := range ast.Get("columns").Items() {
			name := c.Path("column", "name").Str()
			col := column(table, name)
			if !c.Has("element") || col == nil || !strings.HasPrefix(strings.ToLower(col.Type), "list<") {
				continue
			}
			p.Reportf(identPos(c.Get("column")), "DELETE %s[...] FROM %s removes a list element by index: a retry removes the element after it",
				name, qualified(ast.Get("table")))
		}
	case "UPDATE":
		for _, a := range ast.Get("assignments").Items() {
			name := a.Path("column", "name").Str()
			at := identPos(a.Get("column"))
			if what := arithmetic(a, column(table, name)); what != "" {
				p.Reportf(at, "UPDATE %s: %s of %s is applied again when the statement is retried", qualified(ast.Get("table")), what, name)
			}
		}
		if !calls || comparesAndSets(ast) {
			return
		}
		fn, at := findCall(ast.Get("assignments"))
		switch {
		case fn == "":
		case ast.Get("conditions").Len() > 0:
			p.Reportf(at, "UPDATE %s sets a value from %s() under a condition on columns it does not set: a retry finds the condition still true and writes another value", qualified(ast.Get("table")), fn)
		default:
			if ifExists, _ := ast.Get("if_exists").Bool(); ifExists {
				p.Reportf(at, "UPDATE %s sets a value from %s() with IF EXISTS: a retry finds the row still there and writes another value", qualified(ast.Get("table")), fn)
			} else {
				p.Reportf(at, "UPDATE %s sets a value from %s() without a condition: a retry writes another value", qualified(ast.Get("table")), fn)
			}
		}
	}
}

// comparesAndSets reports whether an UPDATE is a compare-and-set: an
// `IF col = value` condition on a column the statement also sets. Once
// the first attempt applied, the column no longer holds the compared value
// (now() and uuid() never give an earlier one back), so a retry is not
// applied. Other conditions, and IF EXISTS, still hold on a retry.
func comparesAndSets(ast sdk.Value) bool {
	for _, c := range ast.Get("conditions").Items() {
		if c.Get("op").Str() != "=" || c.Has("element") || c.Has("field") {
			continue
		}
		name := c.Path("column", "name").Str()
		for _, a := range ast.Get("assignments").Items() {
			if a.Path("column", "name").Str() == name {
				return true
			}
		}
	}
	return false
}

// arithmetic says what non-idempotent arithmetic an assignment does ("a
// counter increment", "a list append", "a list prepend"), or "".
func arithmetic(a sdk.Value, col *sdk.Column) string {
	typ := ""
	if col != nil {
		typ = strings.ToLower(col.Type)
	}
	name := a.Path("column", "name").Str()
	value := a.Get("value")
	op := a.Get("op").Str()
	// col += v, col -= v, or col = col + v, col = v + col.
	var other sdk.Value
	prepend := false
	switch op {
	case "+=", "-=":
		other = value
	case "=":
		if value.Get("node").Str() != "binary_op" {
			return ""
		}
		left, right := value.Get("left"), value.Get("right")
		switch {
		case isColumn(left, name):
			other = right
		case isColumn(right, name):
			other, prepend = left, true
		default:
			return ""
		}
		op = value.Get("op").Str()
	default:
		return ""
	}
	switch {
	case typ == "counter":
		return "a counter " + map[bool]string{true: "decrement", false: "increment"}[strings.HasPrefix(op, "-")]
	case strings.HasPrefix(typ, "list<"):
	case typ != "":
		return "" // sets and maps merge idempotently
	case other.Get("node").Str() == "collection" && other.Get("kind").Str() == "list":
	case other.Get("node").Str() == "literal" && other.Get("type").Str() == "integer" && !prepend:
		return "a counter " + map[bool]string{true: "decrement", false: "increment"}[strings.HasPrefix(op, "-")]
	default:
		return ""
	}
	if strings.HasPrefix(op, "-") {
		return "" // removing list elements by value is idempotent
	}
	if prepend {
		return "a list prepend"
	}
	return "a list append"
}

func isColumn(term sdk.Value, name string) bool {
	return term.Get("node").Str() == "column" && term.Path("name", "name").Str() == name
}

// findCall finds the first call of a non-deterministic function in terms.
func findCall(terms ...sdk.Value) (string, sdk.Pos) {
	return walkCalls(terms)
}

func walkCalls(terms []sdk.Value) (string, sdk.Pos) {
	for _, t := range terms {
		switch t.Kind() {
		case abi.Object:
			if t.Get("node").Str() == "function_call" {
				fn := strings.ToLower(t.Path("name", "name", "name").Str())
				if nondeterministic[fn] {
					return fn, pos(t.Get("pos"))
				}
			}
			for _, m := range t.Members() {
				if fn, at := walkCalls([]sdk.Value{m.Value}); fn != "" {
					return fn, at
				}
			}
		case abi.Array:
			if fn, at := walkCalls(t.Items()); fn != "" {
				return fn, at
			}
		}
	}
	return "", sdk.Pos{}
}
