package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// encoding/json is lenient where the schema is not: it replaces invalid
// UTF-8 with U+FFFD, matches keys regardless of case, and lets the last
// of two equal keys win. checkStrict refuses all three, in one pass over
// the tokens before the upload is decoded.

// schemaKeys are the JSON names of every field of the schema's types.
var schemaKeys = sync.OnceValue(func() map[string]bool {
	keys := map[string]bool{}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			keys[name] = true
			walk(f.Type)
		}
	}
	walk(reflect.TypeOf(Upload{}))
	return keys
})

// checkStrict refuses invalid UTF-8 anywhere, a key that is not spelled
// exactly as the schema spells it, and a key repeated in one object.
func checkStrict(data []byte) error {
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		return fmt.Errorf("%w: invalid UTF-8 at byte %d", ErrMalformed, i)
	}
	keys := schemaKeys()
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object bool
		keys   map[string]bool
		key    bool // the next string is a key
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		top := len(stack) - 1
		isKey := top >= 0 && stack[top].object && stack[top].key
		if top >= 0 && stack[top].object {
			stack[top].key = !stack[top].key
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{object: true, keys: map[string]bool{}, key: true})
			case '[':
				stack = append(stack, frame{})
			default:
				stack = stack[:len(stack)-1]
				if n := len(stack) - 1; n >= 0 && stack[n].object {
					stack[n].key = true
				}
			}
		case string:
			if !isKey {
				continue
			}
			if !keys[t] {
				return fmt.Errorf("%w: unknown field %q (field names are matched exactly)", ErrMalformed, t)
			}
			if stack[top].keys[t] {
				return fmt.Errorf("%w: field %q given twice in one object", ErrMalformed, t)
			}
			stack[top].keys[t] = true
		}
	}
}
