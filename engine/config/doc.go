// Package config resolves cqltrack's settings: built-in defaults, then the
// cqltrack.yml file, then the selected profile's overrides, then CQLTRACK_*
// environment variables, then command-line flags, each layer overriding the
// one before it.
//
// The file is read with positions (github.com/goccy/go-yaml's AST), so every
// problem — an unknown key, a value of the wrong type, a bad value — is
// reported as "file:line:col: message", with a hint when one helps, and all
// problems of a file are reported at once. Every profile is checked, not only
// the selected one, so a typo in a production profile fails on a developer's
// machine first.
//
// The password is a Secret: it prints as "******" through fmt, encoding/json,
// YAML encoders and log/slog, so a Config can be logged or shown as JSON
// without leaking it. Only Secret.Value gives the real text, for the driver.
package config
