//go:build ignore

// gen writes module.txtar: the non-test Go files of the packages that
// lockdeptest and locks/declared need from this module, a go.mod that
// requires only what they import, and its go.sum lines.
package main

import (
	"log"
	"os"

	"github.com/golockdep/lockdep/cmd/lockdepd/internal/srcmod"
)

func main() {
	files, err := srcmod.Collect("../../../..")
	if err != nil {
		log.Fatal(err)
	}
	data, err := srcmod.Format(files)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("module.txtar", data, 0o644); err != nil {
		log.Fatal(err)
	}
}
