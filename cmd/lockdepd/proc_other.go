//go:build !unix

package main

import (
	"os"
	"os/exec"
)

func setProcessGroup(*exec.Cmd) {}

// signalGroup stops go test; its test binaries end with it.
func signalGroup(p *os.Process, _ os.Signal) { p.Kill() }
