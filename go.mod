module github.com/golockdep/lockdep

go 1.22

require (
	github.com/google/pprof v0.0.0-20240424215950-a892ee059fd6
	github.com/petermattis/goid v0.0.0-20260820044319-269ab09b5261
	github.com/stretchr/testify v1.9.0
	go.etcd.io/bbolt v1.3.11
)

require (
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	golang.org/x/sys v0.25.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
