// Command bad is a rule plugin that misbehaves on demand, chosen by the
// file path of the lint request: it panics, loops, exhausts memory, answers
// malformed JSON, a result that breaks the rules (a null result, a finding
// for an undeclared rule), an error envelope, or a pointer outside its
// memory. It counts the calls each instance served ("calls"), and it also
// reports what its sandbox lets it see (environment, files, clock)
// through error envelopes.
package main

import (
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/cqltrack/cqltrack/plugins/abi"
)

func init() {
	abi.SetManifest(&abi.Manifest{
		Name: "bad", Version: "0.0.1", Kind: abi.KindRule, ABIVersion: abi.Version,
		Rules: []abi.RuleInfo{{ID: "bad", Severity: abi.SeverityError, Summary: "misbehaves"}},
	})
}

var (
	sink  [][]byte
	calls int // calls this instance served
)

//go:wasmexport cqltrack_lint
func lint(ptr, size uint32) uint64 {
	req := string(abi.Request(ptr, size))
	calls++
	switch {
	case strings.Contains(req, "calls"):
		return abi.Pin(abi.AppendError(nil, "calls="+strconv.Itoa(calls)))
	case strings.Contains(req, "nullresult"):
		return abi.Pin([]byte(`{"ok":true,"result":null}`))
	case strings.Contains(req, "undeclared"):
		return abi.Pin([]byte(`{"ok":true,"result":{"findings":[{"rule":"undeclared","message":"x","pos":{"offset":0,"line":1,"column":1},"statement":0}]}}`))
	case strings.Contains(req, "panic"):
		var m map[string]int
		m["x"] = 1 // assignment to a nil map: an unrecovered panic
	case strings.Contains(req, "loop"):
		for i := 0; ; i++ {
			if i < 0 {
				break
			}
		}
	case strings.Contains(req, "oom"):
		for {
			sink = append(sink, make([]byte, 1<<20))
		}
	case strings.Contains(req, "badjson"):
		return abi.Pin([]byte(`{"ok":true,"result":{"findings":[{"rule":`))
	case strings.Contains(req, "errenv"):
		return abi.Pin(abi.AppendError(nil, "cannot lint this file"))
	case strings.Contains(req, "sandbox-env"):
		msg := "granted=" + os.Getenv("CQLTRACK_GRANTED") + " secret=" + os.Getenv("CQLTRACK_SECRET") +
			" count=" + strconv.Itoa(len(os.Environ()))
		return abi.Pin(abi.AppendError(nil, msg))
	case strings.Contains(req, "sandbox-gogc"):
		// What the runtime made of GOGC, not only the variable.
		percent := debug.SetGCPercent(-1)
		debug.SetGCPercent(percent)
		msg := "GOGC=" + os.Getenv("GOGC") + " percent=" + strconv.Itoa(percent)
		return abi.Pin(abi.AppendError(nil, msg))
	case strings.Contains(req, "sandbox-fs"):
		_, err := os.ReadFile("/etc/hostname")
		msg := "read ok"
		if err != nil {
			msg = "read failed"
		}
		if entries, err := os.ReadDir("."); err == nil {
			msg += " entries=" + strconv.Itoa(len(entries))
		}
		return abi.Pin(abi.AppendError(nil, msg))
	case strings.Contains(req, "sandbox-clock"):
		return abi.Pin(abi.AppendError(nil, strconv.FormatInt(time.Now().Unix(), 10)))
	case strings.Contains(req, "chatty"):
		for i := range 1000 {
			abi.Log(abi.LogInfo, "message "+strconv.Itoa(i)+" "+strings.Repeat("x", 5000))
		}
	case strings.Contains(req, "wild"):
		return abi.Pack(0xfffffff0, 64)
	}
	return abi.Pin([]byte(`{"ok":true,"result":{"findings":[]}}`))
}

func main() {}
