// Package b hands its WaitGroup to package a.
package b

import (
	"sync"

	"example.com/crosswait/a"
)

func Run() {
	var wg sync.WaitGroup
	a.Join(&wg)
}
