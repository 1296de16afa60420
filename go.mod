module github.com/golockdep/lockdep

go 1.24.0

require (
	github.com/google/pprof v0.0.0-20260709232956-b9395ee17fa0
	github.com/petermattis/goid v0.0.0-20260820044319-269ab09b5261
	go.etcd.io/bbolt v1.4.3
)

require golang.org/x/sys v0.41.0 // indirect
