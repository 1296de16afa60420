package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Encode validates u and writes it as one line of JSON.
func Encode(w io.Writer, u *Upload) error {
	if err := u.Validate(Limits{}); err != nil {
		return err
	}
	return json.NewEncoder(w).Encode(u)
}

// Decode reads one upload from r, strictly: the body must be at most
// lim.MaxBytes, carry a "schema" from MinSchemaVersion to SchemaVersion,
// be valid UTF-8, contain no field the schema does not define (names
// matched exactly), no field twice in one object and nothing after the
// object, and pass Validate. Errors
// wrap ErrTooLarge, ErrMalformed, ErrVersion or ErrInvalid.
func Decode(r io.Reader, lim Limits) (*Upload, error) {
	lim = lim.withDefaults()
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading: %v", ErrMalformed, err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, lim.MaxBytes)
	}
	return DecodeBytes(data, lim)
}

// readsVersions names the versions Decode reads, for its errors.
func readsVersions() string {
	return fmt.Sprintf("schema %d to %d", MinSchemaVersion, SchemaVersion)
}

// DecodeBytes is Decode for an upload already in memory.
func DecodeBytes(data []byte, lim Limits) (*Upload, error) {
	lim = lim.withDefaults()
	if int64(len(data)) > lim.MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, at most %d allowed", ErrTooLarge, len(data), lim.MaxBytes)
	}
	// The version first, leniently, so that an upload from a newer
	// uploader is told about the version rather than a field it added.
	var probe struct {
		Schema *int `json:"schema"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if probe.Schema == nil {
		return nil, fmt.Errorf("%w: no \"schema\" field; this lockdepd reads %s", ErrVersion, readsVersions())
	}
	if *probe.Schema < MinSchemaVersion || *probe.Schema > SchemaVersion {
		return nil, fmt.Errorf("%w: schema %d, this lockdepd reads %s", ErrVersion, *probe.Schema, readsVersions())
	}
	if err := checkStrict(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	u := new(Upload)
	if err := dec.Decode(u); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: data after the upload object", ErrMalformed)
	}
	if err := u.Validate(lim); err != nil {
		return nil, err
	}
	return u, nil
}
