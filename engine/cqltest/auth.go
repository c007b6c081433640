package cqltest

import (
	"bytes"
	"crypto/subtle"
	"fmt"

	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
)

// passwordAuthenticator is the authenticator class Cassandra names in
// AUTHENTICATE when authentication is on.
const passwordAuthenticator = "org.apache.cassandra.auth.PasswordAuthenticator"

// authenticator checks SASL PLAIN tokens against the configured credentials.
type authenticator struct {
	username string
	password string
}

func newAuthenticator(user, pass string) *authenticator {
	return &authenticator{username: user, password: pass}
}

func (a *authenticator) enabled() bool { return a.username != "" }

// check validates a SASL PLAIN token ([authzid] NUL authcid NUL password)
// with the messages of Cassandra's PlainTextSaslAuthenticator.
func (a *authenticator) check(token []byte) *wire.Error {
	parts := bytes.Split(token, []byte{0})
	if len(parts) != 3 {
		return &wire.Error{Code: wire.CodeProtocolError, Message: "Invalid SASL PLAIN token: want [authzid] NUL username NUL password"}
	}
	user, pass := parts[1], parts[2]
	if len(user) == 0 {
		return &wire.Error{Code: wire.CodeBadCredentials, Message: "Authentication ID must not be null"}
	}
	if len(pass) == 0 {
		return &wire.Error{Code: wire.CodeBadCredentials, Message: "Password must not be null"}
	}
	okUser := subtle.ConstantTimeCompare(user, []byte(a.username)) == 1
	okPass := subtle.ConstantTimeCompare(pass, []byte(a.password)) == 1
	if !okUser || !okPass {
		return &wire.Error{Code: wire.CodeBadCredentials,
			Message: fmt.Sprintf("Provided username %s and/or password are incorrect", user)}
	}
	return nil
}
