// Command minimal is the smallest Go wasip1 reactor: one export and the Go
// runtime. BenchmarkCompile compiles it to show what any Go plugin costs to
// compile before a line of its own code.
package main

//go:wasmexport cqltrack_abi_version
func abiVersion() int32 { return 1 }

func main() {}
