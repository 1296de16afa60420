// Package ldtest runs a built lockdepd binary's "test" command on a
// module of its own (testdata/mod, copied to a temporary directory: it
// does not require this repository, so the binary must bring the
// validator itself) and checks what it finds, what it leaves alone, and
// that the module's files are never written, even when the run is
// interrupted; and on testdata/waits, the shapes of deadlocks through
// channels, WaitGroup, Once and Cond (package predicted), their correct
// twins (package twins) and every rewritten form of channel operation
// (package forms). The tests build binaries and run go test several times:
// they are skipped with -short.
package ldtest
