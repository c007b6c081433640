// Package format renders cqltrack's reports in the formats other tools
// read: the built-in formatters (sarif, junit, github, markdown,
// checkstyle) and the formatter plugins a configuration adds under
// output.formatters, all WebAssembly modules under the plugin ABI
// (docs/formatters.md). text and json are not rendered here: every command
// prints those itself (json is the report as a formatter receives it).
//
// A command that was asked for --format NAME marshals its report as it
// would for --json and calls
//
//	out, err := format.Run(ctx, name, format.TypeLint, reportJSON, cfg)
//
// then writes out to stdout or the --output file. Render takes a Request
// when the caller knows more than the report says: the lint rules that ran
// (with their docs URLs, for SARIF and JUnit) and the files linted (files
// without findings become passing JUnit cases).
//
// The built-in module ships inside the binary (format/builtin) and runs
// trusted: it is tested, not sandboxed by a deadline. A custom formatter
// is loaded like any plugin: pinned sha256, memory cap, deadline per call.
package format
