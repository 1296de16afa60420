package reports

import "errors"

// The errors Decode and Validate wrap, so that callers (the daemon) can
// map them to HTTP statuses.
var (
	// ErrTooLarge: the encoded upload exceeds Limits.MaxBytes.
	ErrTooLarge = errors.New("upload too large")
	// ErrMalformed: not JSON, an unknown field, a wrong type, trailing data.
	ErrMalformed = errors.New("malformed upload")
	// ErrVersion: the schema version is not SchemaVersion.
	ErrVersion = errors.New("unsupported schema version")
	// ErrInvalid: well-formed JSON that breaks a rule of the schema (a
	// count over its limit, a name with control characters, an edge to
	// an unknown class...).
	ErrInvalid = errors.New("invalid upload")
)
