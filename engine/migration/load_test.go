package migration

import (
	"crypto/md5"
	"embed"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/load/*.txtar")

// describe renders a set the way the txtar goldens spell it.
func describe(set *Set) string {
	var b strings.Builder
	for _, m := range set.Migrations {
		down := "no"
		switch {
		case m.DownEmpty():
			down = "empty"
		case m.HasDown:
			down = "yes"
		}
		fmt.Fprintf(&b, "V%s %s path=%s down=%s\n", m.VersionText, m.Description, m.Path, down)
		for _, sec := range []struct {
			name  string
			stmts []Statement
		}{{"up", m.Up.Statements}, {"down", m.Down.Statements}} {
			for i, s := range sec.stmts {
				fmt.Fprintf(&b, "  %s %d %s %s\n", sec.name, i+1, s.Pos, strings.Join(strings.Fields(s.Text), " "))
			}
		}
	}
	return b.String()
}

// TestLoadTxtar loads each testdata/load/*.txtar as a directory and
// compares the set (or every error, one per line) with its want section.
func TestLoadTxtar(t *testing.T) {
	files, _ := filepath.Glob("testdata/load/*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{}
			want, wantIdx := "", -1
			for i, f := range ar.Files {
				if f.Name == "want" {
					want, wantIdx = string(f.Data), i
					continue
				}
				fsys[f.Name] = &fstest.MapFile{Data: f.Data}
			}
			set, err := Load(fsys, ".")
			var got string
			if err != nil {
				got = err.Error() + "\n"
				for _, e := range joined(err) {
					var fe *FileError
					if !errors.As(e, &fe) {
						t.Errorf("error %v is not a *FileError", e)
					}
				}
			} else {
				got = describe(set)
				for _, m := range set.Migrations {
					sum := md5.Sum(fsys[m.Path].Data)
					if m.Checksum != hex.EncodeToString(sum[:]) {
						t.Errorf("%s: checksum %s is not the MD5 of the file", m.Path, m.Checksum)
					}
				}
			}
			if *update {
				ar.Files[wantIdx].Data = []byte(got)
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func joined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestLoadErrorKinds(t *testing.T) {
	fsys := fstest.MapFS{
		"m/V1__a.cql":   {Data: []byte("SELECT 1 FROM t;")},
		"m/V01__b.cql":  {Data: []byte("SELECT 1 FROM t;")},
		"m/Vx__c.cql":   {Data: []byte("")},
		"m/V3__d.cql":   {Data: []byte("SELECT 'x FROM t;")},
		"m/V4__e.cql":   {Data: []byte("-- @down\n-- @down\n")},
		"m/V5__f.txt":   {Data: []byte("ignored")},
		"m/V6__ok.cql":  {Data: []byte("")},
		"m/sub/V7_.cql": {Data: []byte("not read")},
	}
	_, err := Load(fsys, "m/")
	for _, kind := range []error{ErrDuplicate, ErrName, ErrSyntax, ErrMarker} {
		if !errors.Is(err, kind) {
			t.Errorf("errors.Is(err, %v) = false; err:\n%v", kind, err)
		}
	}
	if n := len(joined(err)); n != 4 {
		t.Errorf("%d errors, want 4 (one per bad file):\n%v", n, err)
	}
	var fe *FileError
	if errors.As(err, &fe); fe == nil || !strings.HasPrefix(fe.Path, "m/") {
		t.Errorf("paths must include the directory: %v", err)
	}
	if _, err := Load(fsys, "missing"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing directory: err = %v, want fs.ErrNotExist", err)
	}
}

//go:embed testdata/embedded
var embedded embed.FS

func TestLoadEmbedFS(t *testing.T) {
	set, err := Load(embedded, "testdata/embedded")
	if err != nil {
		t.Fatal(err)
	}
	want := "V001 create orders path=testdata/embedded/V001__create_orders.cql down=yes\n" +
		"  up 1 1:1 CREATE TABLE orders (id uuid PRIMARY KEY, total decimal)\n" +
		"  down 1 3:1 DROP TABLE orders\n" +
		"V002 orders by day path=testdata/embedded/V002__orders_by_day.cql down=no\n" +
		"  up 1 1:1 CREATE TABLE orders_by_day (day date, id uuid, PRIMARY KEY (day, id))\n"
	if got := describe(set); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if m, ok := set.Get(2); !ok || m.Description != "orders by day" {
		t.Errorf("Get(2) = %v, %v", m, ok)
	}
	if _, ok := set.Get(3); ok {
		t.Error("Get(3) found a migration that does not exist")
	}
	if set.Latest().Version != 2 || Next(set) != "003" {
		t.Errorf("Latest %d Next %s", set.Latest().Version, Next(set))
	}
}

func TestLoadDirShowsOSPaths(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db", "migrations")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "V1__x.cql"), []byte("SELECT 'x FROM t;"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadDir(dir)
	want := filepath.Join(dir, "V1__x.cql") + ":1:8: "
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v, want it to start with %q", err, want)
	}
}
