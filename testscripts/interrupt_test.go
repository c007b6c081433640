package testscripts

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// busyCPU is how much CPU time a command has used when `interrupt busy`
// presses Ctrl-C: far more than starting up and loading costs, so the
// command is surely past installing its signal handler and spinning in
// the work the script set up. CPU time, not wall time, so a loaded
// machine only makes the wait longer.
const busyCPU = time.Second

// cmdInterrupt presses Ctrl-C on a command that is busy:
//
//	interrupt busy CMD [ARGS...]   run CMD, send it SIGINT once it has used
//	                               a second of CPU time (Linux: /proc), and
//	                               print its output and "exit N"
//
// For a command stuck computing (a plugin that loops) rather than waiting
// on the cluster, which `cluster interrupt` covers.
func cmdInterrupt(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || args[0] != "busy" {
		ts.Fatalf("usage: interrupt busy CMD [ARGS...]")
	}
	if runtime.GOOS != "linux" {
		ts.Fatalf("interrupt busy reads CPU time from /proc: guard the script with [linux]")
	}
	interrupt(ts, args[1], args[2:], "did not use "+busyCPU.String()+" of CPU", func(p *os.Process) <-chan string {
		ready := make(chan string, 1)
		go func() {
			for {
				used, err := cpuTime(p.Pid)
				if err != nil {
					return // it exited
				}
				if used >= busyCPU {
					ready <- fmt.Sprintf("used %s of CPU", used)
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
		}()
		return ready
	})
}

// cpuTime is the user and system time process pid has used, from
// /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s: Linux's
// USER_HZ on every architecture Go supports).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	f := strings.Fields(string(b[i+1:])) // from field 3, the state
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f)+2)
	}
	if f[0] == "Z" {
		return 0, fmt.Errorf("process %d exited", pid)
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}
