package main

import (
	"fmt"
	"os"
	"strings"
	"unicode"
)

// hostList is the repeatable -host flag.
type hostList []string

func (h *hostList) String() string { return strings.Join(*h, ",") }

func (h *hostList) Set(s string) error {
	if s == "" || strings.ContainsAny(s, "/:@ ") {
		return fmt.Errorf("%q is not a host name", s)
	}
	*h = append(*h, s)
	return nil
}

// readToken reads the bearer token from file, which only its owner may
// read: the token is a password.
func readToken(file string) (string, error) {
	fi, err := os.Stat(file)
	if err != nil {
		return "", err
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return "", fmt.Errorf("token file %s is readable by others (mode %04o); make it private with: chmod 600 %s", file, perm, file)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	token := strings.TrimSpace(string(b))
	if token == "" {
		return "", fmt.Errorf("token file %s is empty", file)
	}
	for _, r := range token {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return "", fmt.Errorf("token file %s: the token holds a control or space character (%U); write the token alone on one line", file, r)
		}
	}
	return token, nil
}
