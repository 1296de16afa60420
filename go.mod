module github.com/golockdep/lockdep

go 1.26.8

require (
	github.com/petermattis/goid v0.0.0-20260820044319-269ab09b5261 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
)
