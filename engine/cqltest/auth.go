package cqltest

import (
	"bytes"
	"fmt"

	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
)

// passwordAuthenticator is the authenticator class Cassandra names in
// AUTHENTICATE when authentication is on.
const passwordAuthenticator = "org.apache.cassandra.auth.PasswordAuthenticator"

// authenticator checks SASL PLAIN tokens against the roles that may log in.
type authenticator struct {
	username string
	roles    *roleRegistry
}

func newAuthenticator(user string, roles *roleRegistry) *authenticator {
	return &authenticator{username: user, roles: roles}
}

func (a *authenticator) enabled() bool { return a.username != "" }

// check validates a SASL PLAIN token ([authzid] NUL authcid NUL password)
// with the messages of Cassandra's PlainTextSaslAuthenticator, and returns
// the user it logs in.
func (a *authenticator) check(token []byte) (string, *wire.Error) {
	parts := bytes.Split(token, []byte{0})
	if len(parts) != 3 {
		return "", &wire.Error{Code: wire.CodeProtocolError, Message: "Invalid SASL PLAIN token: want [authzid] NUL username NUL password"}
	}
	user, pass := parts[1], parts[2]
	if len(user) == 0 {
		return "", &wire.Error{Code: wire.CodeBadCredentials, Message: "Authentication ID must not be null"}
	}
	if len(pass) == 0 {
		return "", &wire.Error{Code: wire.CodeBadCredentials, Message: "Password must not be null"}
	}
	if !a.roles.login(string(user), string(pass)) {
		return "", &wire.Error{Code: wire.CodeBadCredentials,
			Message: fmt.Sprintf("Provided username %s and/or password are incorrect", user)}
	}
	return string(user), nil
}
