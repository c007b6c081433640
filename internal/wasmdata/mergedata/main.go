// Command mergedata merges the data segments of WebAssembly modules in
// place (see package wasmdata): lint/builtin/build.sh and
// format/builtin/build.sh run it on the modules they build.
//
//	go run ./internal/wasmdata/mergedata [-gap bytes] module.wasm...
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/cqltrack/cqltrack/internal/wasmdata"
)

func main() {
	gap := flag.Int("gap", wasmdata.DefaultGap, "merge segments with at most this many zero bytes between them")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: mergedata [-gap bytes] module.wasm...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	for _, path := range flag.Args() {
		if err := mergeFile(path, *gap); err != nil {
			fmt.Fprintf(os.Stderr, "mergedata: %s: %v\n", path, err)
			os.Exit(1)
		}
	}
}

func mergeFile(path string, gap int) error {
	in, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, res, err := wasmdata.Merge(in, gap)
	if err != nil {
		return err
	}
	if res.Skipped != "" {
		fmt.Printf("%s: left as it is: %s\n", path, res.Skipped)
		return nil
	}
	fmt.Printf("%s: %d data segments merged into %d\n", path, res.Before, res.After)
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, info.Mode().Perm())
}
