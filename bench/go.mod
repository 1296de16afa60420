module github.com/golockdep/lockdep/bench

go 1.24.0

require (
	github.com/golockdep/lockdep v0.0.0
	github.com/sasha-s/go-deadlock v0.3.9
)

require github.com/petermattis/goid v0.0.0-20260820044319-269ab09b5261 // indirect

replace github.com/golockdep/lockdep => ../
