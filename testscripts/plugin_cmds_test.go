package testscripts

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"
)

// pluginSources are the WebAssembly plugins scripts can build, by name.
var pluginSources = map[string]string{
	"tablepolicy": "../examples/plugins/tablepolicy",
	"bad":         "../plugins/testdata/bad",
	"abi2":        "../plugins/testdata/abi2",
	"noexport":    "../plugins/testdata/noexport",
	"panicky":     "../plugins/testdata/panicky",
	"probe":       "../hooks/testdata/probe",
	"window":      "../examples/hooks/change-window",
	"ticket":      "../examples/hooks/ticket-id",
	"tsv":         "../format/testdata/tsv",
}

var (
	pluginMu    sync.Mutex
	pluginBuilt = map[string][]byte{}
	pluginDir   string
)

// buildPlugin compiles a plugin once per test binary run, as a WASI
// reactor the way a plugin author builds it.
func buildPlugin(name string) ([]byte, error) {
	pluginMu.Lock()
	defer pluginMu.Unlock()
	if b, ok := pluginBuilt[name]; ok {
		return b, nil
	}
	if pluginDir == "" {
		d, err := os.MkdirTemp("", "cqltrack-plugins-")
		if err != nil {
			return nil, err
		}
		pluginDir = d
	}
	out := filepath.Join(pluginDir, name+".wasm")
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-trimpath", "-o", out, ".")
	cmd.Dir = pluginSources[name]
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, &buildError{name: name, msg: string(msg), err: err}
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	pluginBuilt[name] = b
	return b, nil
}

type buildError struct {
	name, msg string
	err       error
}

func (e *buildError) Error() string {
	return "build plugin " + e.name + ": " + e.err.Error() + "\n" + e.msg
}

// cmdPlugin writes a built plugin into the script's directory:
//
//	plugin NAME FILE    build NAME (a key of pluginSources), write it to FILE
//	                    and set NAME_SHA256 to its sha256
func cmdPlugin(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: plugin NAME FILE")
	}
	if _, ok := pluginSources[args[0]]; !ok {
		ts.Fatalf("unknown plugin %q", args[0])
	}
	b, err := buildPlugin(args[0])
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), b, 0o644))
	sum := sha256.Sum256(b)
	ts.Setenv(args[0]+"_SHA256", hex.EncodeToString(sum[:]))
}
