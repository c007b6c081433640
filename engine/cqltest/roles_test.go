package cqltest

import (
	"errors"
	"strings"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

func TestRoleStatementsNeedALogin(t *testing.T) {
	tg := newTarget(t, true)
	s := tg.session(t)
	for _, stmt := range []string{
		"CREATE ROLE app WITH LOGIN = true",
		"GRANT SELECT ON ALL KEYSPACES TO app",
		"LIST ROLES",
		"DROP USER IF EXISTS app",
	} {
		err := s.Query(stmt).Exec()
		var re gocql.RequestError
		if !errors.As(err, &re) || re.Code() != gocql.ErrCodeUnauthorized ||
			re.Message() != "You have to be logged in and not anonymous to perform this request" {
			t.Errorf("%s without authentication: %v", stmt, err)
		}
	}
}

func TestRolesAndPermissions(t *testing.T) {
	tg := newTarget(t, true, WithCredentials("admin", "admin-pw"))
	login := func(user, pw string) (*gocql.Session, error) {
		return tg.config(func(cfg *gocql.ClusterConfig) {
			cfg.Authenticator = gocql.PasswordAuthenticator{Username: user, Password: pw}
		}).CreateSession()
	}
	s, err := login("admin", "admin-pw")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".t (k int PRIMARY KEY)")

	steps := []struct {
		stmt    string
		wantErr string // "" for success
	}{
		{"CREATE ROLE app WITH PASSWORD = 'app-pw' AND LOGIN = true", ""},
		{"CREATE ROLE app WITH LOGIN = true", "app already exists"},
		{"CREATE ROLE IF NOT EXISTS app", ""},
		{"CREATE ROLE readers", ""},
		{"GRANT readers TO app", ""},
		{"GRANT readers TO ghost", "ghost doesn't exist"},
		{"GRANT SELECT ON KEYSPACE " + ks + " TO readers", ""},
		{"GRANT MODIFY ON TABLE " + ks + ".t TO app", ""},
		{"GRANT SELECT ON KEYSPACE nope TO app", "Resource <keyspace nope> doesn't exist"},
		{"GRANT SELECT ON TABLE " + ks + ".missing TO app", "Resource <table " + ks + ".missing> doesn't exist"},
		{"GRANT SELECT ON ALL KEYSPACES TO ghost", "Role ghost doesn't exist"},
		{"DROP ROLE ghost", "ghost doesn't exist"},
		{"DROP ROLE IF EXISTS ghost", ""},
		{"DROP ROLE admin", "Cannot DROP primary role for current login"},
		{"ALTER ROLE ghost WITH LOGIN = false", "ghost doesn't exist"},
	}
	for _, st := range steps {
		err := s.Query(st.stmt).Exec()
		var re gocql.RequestError
		switch {
		case st.wantErr == "" && err != nil:
			t.Errorf("%s: %v", st.stmt, err)
		case st.wantErr != "" && (!errors.As(err, &re) || re.Code() != gocql.ErrCodeInvalid || re.Message() != st.wantErr):
			t.Errorf("%s: %v, want Invalid %q", st.stmt, err, st.wantErr)
		}
	}

	got := queryStrings(t, s, "LIST ROLES OF app")
	if strings.Join(got, ";") != "app|false|true|map[];readers|false|false|map[]" {
		t.Errorf("LIST ROLES OF app: %q", got)
	}
	got = queryStrings(t, s, "LIST ALL PERMISSIONS OF app")
	if strings.Join(got, ";") != "app|app|<table "+ks+".t>|MODIFY" {
		t.Errorf("LIST ALL PERMISSIONS OF app: %q", got)
	}
	got = queryStrings(t, s, "LIST USERS")
	if strings.Join(got, ";") != "admin|true;app|false" {
		t.Errorf("LIST USERS: %q", got)
	}
	got = queryStrings(t, s, "SELECT role, can_login, is_superuser, member_of FROM system_auth.roles")
	if want := "admin|true|true|[];app|true|false|[readers];readers|false|false|[]"; strings.Join(got, ";") != want {
		t.Errorf("system_auth.roles: %q, want %q", got, want)
	}

	app, err := login("app", "app-pw")
	if err != nil {
		t.Fatalf("the new role cannot log in: %v", err)
	}
	app.Close()
	if _, err := login("readers", "x"); err == nil {
		t.Fatal("a role without LOGIN logged in")
	}
	exec(t, s, "DROP ROLE app")
	if _, err := login("app", "app-pw"); err == nil || !strings.Contains(err.Error(), "Provided username app and/or password are incorrect") {
		t.Fatalf("a dropped role: %v", err)
	}
}
