package cqltest

import (
	"crypto/subtle"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// notAnonymous is what Cassandra answers a role or permission statement
// from a client that did not log in (with AllowAllAuthenticator every
// client is anonymous): ClientState.ensureNotAnonymous.
func notAnonymous() *wire.Error {
	return &wire.Error{Code: wire.CodeUnauthorized, Message: "You have to be logged in and not anonymous to perform this request"}
}

// role is a role of CassandraRoleManager. The password stays in memory for
// logins and is never served: system_auth.roles shows a placeholder hash.
type role struct {
	name     string
	super    bool
	login    bool
	password string
	memberOf map[string]bool
}

// grant is one permission a role holds on a resource.
type grant struct {
	role, resource, permission string
}

// roleRegistry holds the cluster's roles and permissions, shared by every
// node as system_auth is replicated.
type roleRegistry struct {
	mu     sync.Mutex
	roles  map[string]*role
	grants map[grant]bool
}

func newRoleRegistry(user, password string) *roleRegistry {
	r := &roleRegistry{roles: map[string]*role{}, grants: map[grant]bool{}}
	if user != "" {
		r.roles[user] = &role{name: user, super: true, login: true, password: password, memberOf: map[string]bool{}}
	}
	return r
}

// login reports whether name may log in with password.
func (r *roleRegistry) login(name, password string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	ro := r.roles[name]
	return ro != nil && ro.login && ro.password != "" &&
		subtle.ConstantTimeCompare([]byte(ro.password), []byte(password)) == 1
}

func (r *roleRegistry) rows() []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	var rows []map[string]any
	for _, name := range r.sortedNames() {
		ro := r.roles[name]
		var member []string
		for m := range ro.memberOf {
			member = append(member, m)
		}
		sort.Strings(member)
		row := map[string]any{"role": name, "can_login": ro.login, "is_superuser": ro.super}
		if len(member) > 0 {
			row["member_of"] = member
		}
		if ro.password != "" {
			// A bcrypt-shaped placeholder: the password itself never
			// leaves the server.
			row["salted_hash"] = "$2a$10$" + strings.Repeat("x", 53)
		}
		rows = append(rows, row)
	}
	return rows
}

func (r *roleRegistry) sortedNames() []string {
	names := make([]string, 0, len(r.roles))
	for n := range r.roles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// isAuthStatement reports whether stmt manages roles or permissions.
func isAuthStatement(stmt cql.Stmt) bool {
	switch stmt.(type) {
	case *cql.CreateRole, *cql.AlterRole, *cql.DropRole, *cql.CreateUser, *cql.AlterUser, *cql.DropUser,
		*cql.GrantRole, *cql.RevokeRole, *cql.Grant, *cql.Revoke, *cql.ListRoles, *cql.ListUsers,
		*cql.ListPermissions, *cql.AddIdentity, *cql.DropIdentity:
		return true
	}
	return false
}

// roleOptions reads the WITH options of CREATE/ALTER ROLE.
func roleOptions(props []cql.Property) (super, login *bool, password *string, err error) {
	for _, p := range props {
		lit, _ := p.Value.(*cql.Literal)
		switch p.Name {
		case "superuser", "login":
			if lit == nil || lit.Type != cql.LitBoolean {
				return nil, nil, nil, invalidf("Invalid value for property '%s'. It must be a boolean", p.Name)
			}
			b := lit.Text == "true"
			if p.Name == "superuser" {
				super = &b
			} else {
				login = &b
			}
		case "password", "hashed_password":
			if lit == nil || lit.Type != cql.LitString {
				return nil, nil, nil, invalidf("Invalid value for property '%s'. It must be a string", p.Name)
			}
			pw := lit.Text
			password = &pw
		}
	}
	return super, login, password, nil
}

// execAuth runs a role or permission statement for the connection's user.
func (c *conn) execAuth(stmt cql.Stmt) ([]byte, error) {
	cl := c.node.cluster
	user := c.user()
	if !cl.auth.enabled() || user == "" {
		return nil, notAnonymous()
	}
	r := cl.roles
	r.mu.Lock()
	defer r.mu.Unlock()
	exists := func(name string) bool { return r.roles[name] != nil }
	void := wire.EncodeVoid()
	switch s := stmt.(type) {
	case *cql.CreateRole, *cql.CreateUser:
		var (
			name         string
			ifNotExists  bool
			super, login *bool
			password     *string
			err          error
			defaultLogin bool
		)
		if cr, ok := s.(*cql.CreateRole); ok {
			name, ifNotExists = cr.Name.Name, cr.IfNotExists
			if super, login, password, err = roleOptions(cr.Options); err != nil {
				return nil, err
			}
		} else {
			cu := s.(*cql.CreateUser)
			name, ifNotExists, super, password = cu.Name.Name, cu.IfNotExists, cu.Superuser, cu.Password
			// CREATE USER is CREATE ROLE ... WITH LOGIN = true.
			defaultLogin = true
		}
		if name == "" {
			return nil, invalidf("Role name can't be an empty string")
		}
		if exists(name) {
			if ifNotExists {
				return void, nil
			}
			return nil, invalidf("%s already exists", name)
		}
		ro := &role{name: name, login: defaultLogin, memberOf: map[string]bool{}}
		if login != nil {
			ro.login = *login
		}
		if super != nil {
			ro.super = *super
		}
		if password != nil {
			ro.password = *password
		}
		r.roles[name] = ro
		return void, nil
	case *cql.AlterRole, *cql.AlterUser:
		var (
			name         string
			ifExists     bool
			super, login *bool
			password     *string
			err          error
		)
		if ar, ok := s.(*cql.AlterRole); ok {
			name, ifExists = ar.Name.Name, ar.IfExists
			if super, login, password, err = roleOptions(ar.Options); err != nil {
				return nil, err
			}
		} else {
			au := s.(*cql.AlterUser)
			name, ifExists, super, password = au.Name.Name, au.IfExists, au.Superuser, au.Password
		}
		ro := r.roles[name]
		if ro == nil {
			if ifExists {
				return void, nil
			}
			return nil, invalidf("%s doesn't exist", name)
		}
		if super != nil {
			if name == user {
				return nil, &wire.Error{Code: wire.CodeUnauthorized, Message: "You aren't allowed to alter your own superuser status or that of a role granted to you"}
			}
			ro.super = *super
		}
		if login != nil {
			ro.login = *login
		}
		if password != nil {
			ro.password = *password
		}
		return void, nil
	case *cql.DropRole, *cql.DropUser:
		var (
			name     string
			ifExists bool
		)
		if dr, ok := s.(*cql.DropRole); ok {
			name, ifExists = dr.Name.Name, dr.IfExists
		} else {
			du := s.(*cql.DropUser)
			name, ifExists = du.Name.Name, du.IfExists
		}
		if !exists(name) {
			if ifExists {
				return void, nil
			}
			return nil, invalidf("%s doesn't exist", name)
		}
		if name == user {
			return nil, invalidf("Cannot DROP primary role for current login")
		}
		delete(r.roles, name)
		for _, ro := range r.roles {
			delete(ro.memberOf, name)
		}
		for g := range r.grants {
			if g.role == name || g.resource == "<role "+name+">" {
				delete(r.grants, g)
			}
		}
		return void, nil
	case *cql.GrantRole:
		for _, n := range []string{s.Role.Name, s.Grantee.Name} {
			if !exists(n) {
				return nil, invalidf("%s doesn't exist", n)
			}
		}
		r.roles[s.Grantee.Name].memberOf[s.Role.Name] = true
		return void, nil
	case *cql.RevokeRole:
		for _, n := range []string{s.Role.Name, s.Revokee.Name} {
			if !exists(n) {
				return nil, invalidf("%s doesn't exist", n)
			}
		}
		delete(r.roles[s.Revokee.Name].memberOf, s.Role.Name)
		return void, nil
	case *cql.Grant, *cql.Revoke:
		var (
			perms []string
			res   cql.Resource
			to    string
		)
		if g, ok := s.(*cql.Grant); ok {
			perms, res, to = g.Permissions, g.Resource, g.Role.Name
		} else {
			rv := s.(*cql.Revoke)
			perms, res, to = rv.Permissions, rv.Resource, rv.Role.Name
		}
		if !exists(to) {
			return nil, invalidf("Role %s doesn't exist", to)
		}
		name, err := c.resourceName(res, exists)
		if err != nil {
			return nil, err
		}
		for _, p := range expandPermissions(perms, res, cl.version) {
			g := grant{role: to, resource: name, permission: p}
			if _, ok := s.(*cql.Grant); ok {
				r.grants[g] = true
			} else {
				delete(r.grants, g)
			}
		}
		return void, nil
	case *cql.ListRoles:
		names := r.sortedNames()
		if s.Of != nil {
			if !exists(s.Of.Name) {
				return nil, invalidf("%s doesn't exist", s.Of.Name)
			}
			names = r.rolesOf(s.Of.Name, !s.NoRecursive)
		}
		if len(names) == 0 {
			return void, nil
		}
		cols := []wire.Column{
			{Keyspace: "system_auth", Table: "roles", Name: "role", Type: wire.Option{ID: wire.TypeVarchar}},
			{Keyspace: "system_auth", Table: "roles", Name: "super", Type: wire.Option{ID: wire.TypeBoolean}},
			{Keyspace: "system_auth", Table: "roles", Name: "login", Type: wire.Option{ID: wire.TypeBoolean}},
			{Keyspace: "system_auth", Table: "roles", Name: "options", Type: wire.Option{ID: wire.TypeMap, Elems: []wire.Option{{ID: wire.TypeVarchar}, {ID: wire.TypeVarchar}}}},
		}
		var rows [][][]byte
		for _, n := range names {
			ro := r.roles[n]
			rows = append(rows, [][]byte{[]byte(n), boolBytes(ro.super), boolBytes(ro.login), {0, 0, 0, 0}})
		}
		return wire.EncodeRows(wire.Metadata{Columns: cols}, rows), nil
	case *cql.ListPermissions:
		var gs []grant
		for g := range r.grants {
			if s.Of != nil && g.role != s.Of.Name {
				continue
			}
			gs = append(gs, g)
		}
		if s.Of != nil && !exists(s.Of.Name) {
			return nil, invalidf("%s doesn't exist", s.Of.Name)
		}
		if s.Resource != nil {
			name, err := c.resourceName(*s.Resource, exists)
			if err != nil {
				return nil, err
			}
			kept := gs[:0]
			for _, g := range gs {
				if g.resource == name {
					kept = append(kept, g)
				}
			}
			gs = kept
		}
		if len(gs) == 0 {
			return void, nil
		}
		sort.Slice(gs, func(i, j int) bool {
			if gs[i].role != gs[j].role {
				return gs[i].role < gs[j].role
			}
			if gs[i].resource != gs[j].resource {
				return gs[i].resource < gs[j].resource
			}
			return gs[i].permission < gs[j].permission
		})
		text := wire.Option{ID: wire.TypeVarchar}
		cols := []wire.Column{
			{Keyspace: "system_auth", Table: "permissions", Name: "role", Type: text},
			{Keyspace: "system_auth", Table: "permissions", Name: "username", Type: text},
			{Keyspace: "system_auth", Table: "permissions", Name: "resource", Type: text},
			{Keyspace: "system_auth", Table: "permissions", Name: "permission", Type: text},
		}
		var rows [][][]byte
		for _, g := range gs {
			rows = append(rows, [][]byte{[]byte(g.role), []byte(g.role), []byte(g.resource), []byte(g.permission)})
		}
		return wire.EncodeRows(wire.Metadata{Columns: cols}, rows), nil
	case *cql.ListUsers:
		cols := []wire.Column{
			{Keyspace: "system_auth", Table: "users", Name: "name", Type: wire.Option{ID: wire.TypeVarchar}},
			{Keyspace: "system_auth", Table: "users", Name: "super", Type: wire.Option{ID: wire.TypeBoolean}},
		}
		var rows [][][]byte
		for _, n := range r.sortedNames() {
			if ro := r.roles[n]; ro.login {
				rows = append(rows, [][]byte{[]byte(n), boolBytes(ro.super)})
			}
		}
		return wire.EncodeRows(wire.Metadata{Columns: cols}, rows), nil
	}
	// Identities (mTLS authentication, 5.0) are not modelled: ADD and DROP
	// IDENTITY succeed without effect.
	return void, nil
}

// rolesOf returns role and the roles granted to it (transitively when
// recursive), sorted.
func (r *roleRegistry) rolesOf(name string, recursive bool) []string {
	seen := map[string]bool{name: true}
	queue := []string{name}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		ro := r.roles[n]
		if ro == nil {
			continue
		}
		for m := range ro.memberOf {
			if !seen[m] {
				seen[m] = true
				if recursive {
					queue = append(queue, m)
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func boolBytes(b bool) []byte {
	if b {
		return []byte{1}
	}
	return []byte{0}
}

// resourceName renders a resource as Cassandra's IResource.toString does
// ("<keyspace ks>", "<table ks.t>", ...) after checking that it exists.
func (c *conn) resourceName(res cql.Resource, roleExists func(string) bool) (string, error) {
	cat := c.node.currentCatalog()
	var name, ks, obj string
	if res.Name != nil {
		obj = res.Name.Name.Name
		ks = res.Name.KeyspaceOr(c.currentKeyspace())
	}
	exists := true
	switch res.Kind {
	case cql.ResourceAllKeyspaces:
		name = "<all keyspaces>"
	case cql.ResourceKeyspace:
		// A bare name here is the keyspace itself.
		name, exists = "<keyspace "+obj+">", cat.Keyspace(obj) != nil
	case cql.ResourceAllTables:
		name, exists = "<all tables in "+obj+">", cat.Keyspace(obj) != nil
	case cql.ResourceTable:
		if ks == "" {
			return "", noKeyspace()
		}
		k := cat.Keyspace(ks)
		name, exists = "<table "+ks+"."+obj+">", k != nil && (k.Tables[obj] != nil || k.Views[obj] != nil)
	case cql.ResourceAllRoles:
		name = "<all roles>"
	case cql.ResourceRole:
		name, exists = "<role "+obj+">", roleExists(obj)
	case cql.ResourceAllFunctions:
		name = "<all functions>"
	case cql.ResourceAllFunctionsKeyspace:
		name, exists = "<all functions in "+obj+">", cat.Keyspace(obj) != nil
	case cql.ResourceFunction:
		var args []string
		for _, a := range res.ArgTypes {
			args = append(args, a.String())
		}
		name = fmt.Sprintf("<function %s.%s(%s)>", ks, obj, strings.Join(args, ", "))
		k := cat.Keyspace(ks)
		exists = k != nil && k.Functions[schema.Signature(obj, res.ArgTypes)] != nil
	case cql.ResourceAllMBeans:
		name = "<all mbeans>"
	default:
		name = "<mbean " + res.Pattern + ">"
	}
	if !exists {
		return "", invalidf("Resource %s doesn't exist", name)
	}
	return name, nil
}

// expandPermissions turns ALL into the permissions the resource supports.
func expandPermissions(perms []string, res cql.Resource, v schema.Version) []string {
	if len(perms) != 1 || perms[0] != "ALL" {
		return perms
	}
	switch res.Kind {
	case cql.ResourceAllRoles, cql.ResourceRole:
		return []string{"ALTER", "AUTHORIZE", "CREATE", "DESCRIBE", "DROP"}
	case cql.ResourceAllFunctions, cql.ResourceAllFunctionsKeyspace, cql.ResourceFunction:
		return []string{"ALTER", "AUTHORIZE", "CREATE", "DROP", "EXECUTE"}
	case cql.ResourceAllMBeans, cql.ResourceMBean, cql.ResourceMBeans:
		return []string{"AUTHORIZE", "DESCRIBE", "EXECUTE", "MODIFY", "SELECT"}
	}
	all := []string{"ALTER", "AUTHORIZE", "CREATE", "DROP", "MODIFY", "SELECT"}
	if v >= schema.V5_0 {
		all = append(all, "SELECT_MASKED", "UNMASK")
	}
	return all
}
