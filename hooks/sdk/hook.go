package sdk

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cqltrack/cqltrack/plugins/abi"
)

// Hook is a hook's behaviour: the functions for the moments it wants to
// hear about. A nil function lets that moment pass (pre) or does nothing
// (post). The events the manifest declares follow from which are set.
type Hook struct {
	// PreRun is called once before the first migration of a run.
	PreRun func(*Request) Decision
	// PreMigration is called before each migration; Request.Migration is
	// set.
	PreMigration func(*Request) Decision
	// PostMigration is called after each migration, applied or failed;
	// Request.Outcome is set.
	PostMigration func(*Request) error
	// PostRun is called once at the end of a run; Request.Summary is set.
	PostRun func(*Request) error
}

// Events returns the events h takes part in, for the manifest.
func (h Hook) Events() []string {
	var ev []string
	if h.PreRun != nil || h.PreMigration != nil {
		ev = append(ev, EventPreMigrate)
	}
	if h.PostMigration != nil || h.PostRun != nil {
		ev = append(ev, EventPostMigrate)
	}
	return ev
}

// Log levels for Log.
const (
	LogDebug = abi.LogDebug
	LogInfo  = abi.LogInfo
	LogWarn  = abi.LogWarn
	LogError = abi.LogError
)

// Allow lets the run go on.
func Allow() Decision { return Decision{Decision: DecisionAllow} }

// Deny stops the run; the message, formatted as by fmt.Sprintf, is shown
// to the user.
func Deny(format string, args ...any) Decision {
	return Decision{Decision: DecisionDeny, Message: fmt.Sprintf(format, args...)}
}

// ErrNoEvents is the error of Manifest for a Hook with no function set.
var ErrNoEvents = errors.New("hook handles no event")

// Manifest returns the manifest of a hook plugin named name at version.
func Manifest(name, version string, h Hook) (*abi.Manifest, error) {
	m := &abi.Manifest{Name: name, Version: version, Kind: abi.KindHook, ABIVersion: abi.Version, Events: h.Events()}
	if len(m.Events) == 0 {
		return nil, fmt.Errorf("hook %q: %w", name, ErrNoEvents)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// Handle runs h on one request document and returns the response envelope
// (docs/plugin-abi.md section 6): {"ok":true,"result":<Decision>}, or an
// error envelope when the request cannot be read, a post function returns
// an error or a function panics. The wasm glue calls it for every
// cqltrack_hook call; tests call it directly.
func Handle(h Hook, request []byte) (resp []byte) {
	defer func() {
		if p := recover(); p != nil {
			resp = abi.AppendError(nil, fmt.Sprintf("panic: %v", p))
		}
	}()
	var req Request
	if err := json.Unmarshal(request, &req); err != nil {
		return abi.AppendError(nil, fmt.Sprintf("decode hook request: %v", err))
	}
	d, err := dispatch(h, &req)
	if err != nil {
		return abi.AppendError(nil, err.Error())
	}
	if d.Decision == "" {
		d.Decision = DecisionAllow
	}
	body, err := json.Marshal(d)
	if err != nil {
		return abi.AppendError(nil, fmt.Sprintf("encode decision: %v", err))
	}
	return abi.AppendOK(nil, func(w *abi.Writer) { w.Raw(body) })
}

func dispatch(h Hook, req *Request) (Decision, error) {
	switch {
	case req.Event == EventPreMigrate && req.Stage == StageRun:
		if h.PreRun != nil {
			return h.PreRun(req), nil
		}
	case req.Event == EventPreMigrate && req.Stage == StageMigration:
		if req.Migration == nil {
			return Decision{}, errors.New("pre_migrate migration request without migration")
		}
		if h.PreMigration != nil {
			return h.PreMigration(req), nil
		}
	case req.Event == EventPostMigrate && req.Stage == StageMigration:
		if req.Outcome == nil {
			return Decision{}, errors.New("post_migrate migration request without outcome")
		}
		if h.PostMigration != nil {
			return Allow(), h.PostMigration(req)
		}
	case req.Event == EventPostMigrate && req.Stage == StageRun:
		if req.Summary == nil {
			return Decision{}, errors.New("post_migrate run request without summary")
		}
		if h.PostRun != nil {
			return Allow(), h.PostRun(req)
		}
	default:
		return Decision{}, fmt.Errorf("unknown event %q stage %q", req.Event, req.Stage)
	}
	return Allow(), nil
}

// DecodeDecision reads the result of a hook's response envelope.
func DecodeDecision(result []byte) (Decision, error) {
	var d Decision
	if err := json.Unmarshal(result, &d); err != nil {
		return Decision{}, fmt.Errorf("decode decision: %w", err)
	}
	switch d.Decision {
	case DecisionAllow, DecisionDeny:
	default:
		return Decision{}, fmt.Errorf("decision %q, want allow or deny", d.Decision)
	}
	return d, nil
}
