//go:build !wasip1

package abi

// NativeLog, when set, receives the messages Log would send to the host;
// it lets code written for a guest run natively in tests.
var NativeLog func(level int32, msg string)

// Log sends a message to NativeLog when it is set. In a wasip1 build it
// sends it to the host instead.
func Log(level int32, msg string) {
	if NativeLog != nil && msg != "" {
		NativeLog(level, msg)
	}
}

// SetManifest does nothing natively, where no host asks for the manifest.
// In a wasip1 build it sets the document cqltrack_manifest returns; having
// it in both builds lets an SDK's Register be one function for both.
func SetManifest(*Manifest) {}
