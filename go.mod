module github.com/golockdep/lockdep

go 1.22

require (
	github.com/google/pprof v0.0.0-20240424215950-a892ee059fd6
	github.com/petermattis/goid v0.0.0-20260820044319-269ab09b5261
	go.etcd.io/bbolt v1.3.11
)

require golang.org/x/sys v0.25.0 // indirect
