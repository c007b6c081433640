// Package sdk is what a cqltrack hook author imports: the request a hook
// receives, the decision it answers, and the glue that turns a Go main
// package into a hook plugin under ABI v1 (docs/plugin-abi.md,
// docs/hooks.md).
//
// A hook is a set of functions, one per moment of a migrate run it wants to
// hear about: PreRun once before anything is applied, PreMigration before
// each migration, PostMigration after each one and PostRun at the end. Pre
// functions answer Allow() or Deny(...); a deny stops the run before that
// migration executes anything. Post functions return an error to fail; the
// host never undoes a migration for it, but with on_error: fail the run's
// exit code is non-zero.
//
// The same Hook runs two ways: compiled with
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o hook.wasm .
//
// after its main package called Register from init, and natively through
// Handle, which is what the wasm glue calls and what unit tests call. The
// requests are small and rare (a few per run), so the documents go through
// encoding/json rather than a hand-written codec.
//
// A hook sees no environment but the variables its configuration
// allow-lists (env: [CI_COMMIT_SHA]); os.Getenv reads them. The time is
// the host's: Request.Now, which tests of the host can fix.
//
//	package main
//
//	import "github.com/cqltrack/cqltrack/hooks/sdk"
//
//	func init() {
//		sdk.Register("no-drops-on-friday", "1.0.0", sdk.Hook{
//			PreMigration: func(r *sdk.Request) sdk.Decision {
//				if r.Now.Weekday() == time.Friday {
//					return sdk.Deny("no migrations on Fridays (%s)", r.Migration.Description)
//				}
//				return sdk.Allow()
//			},
//		})
//	}
//
//	func main() {}
package sdk
