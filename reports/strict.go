package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
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
// exactly as the schema spells it, and a key repeated in one object. It
// scans the bytes itself, in one pass and without allocating per value:
// the syntax is left to the decoder that follows, so on malformed input it
// only has to stop without a crash.
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
	known := schemaKeys()
	type frame struct {
		object    bool
		expectKey bool
		keys      int // where this object's keys start in keys
	}
	var stack []frame
	var keys [][]byte
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '{':
			stack = append(stack, frame{object: true, expectKey: true, keys: len(keys)})
		case '[':
			stack = append(stack, frame{keys: len(keys)})
		case '}', ']':
			if len(stack) == 0 {
				return nil // malformed: the decoder says how
			}
			keys = keys[:stack[len(stack)-1].keys]
			stack = stack[:len(stack)-1]
		case ',':
			if n := len(stack); n > 0 && stack[n-1].object {
				stack[n-1].expectKey = true
			}
		case '"':
			j := i + 1
			escaped := false
			for j < len(data) && data[j] != '"' {
				if data[j] == '\\' {
					escaped = true
					j++
				}
				j++
			}
			if j >= len(data) {
				return nil // an unterminated string: malformed
			}
			n := len(stack)
			if n > 0 && stack[n-1].object && stack[n-1].expectKey {
				stack[n-1].expectKey = false
				key := data[i+1 : j]
				if escaped {
					var k string
					if err := json.Unmarshal(data[i:j+1], &k); err != nil {
						return nil
					}
					key = []byte(k)
				}
				if !known[string(key)] {
					return fmt.Errorf("%w: unknown field %q (field names are matched exactly)", ErrMalformed, key)
				}
				for _, k := range keys[stack[n-1].keys:] {
					if bytes.Equal(k, key) {
						return fmt.Errorf("%w: field %q given twice in one object", ErrMalformed, key)
					}
				}
				keys = append(keys, key)
			}
			i = j
		}
	}
	return nil
}
