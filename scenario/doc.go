// Package scenario turns the kernel discussions in the seeds into runs:
// each Scenario mounts a file system design (package fsimpl), drives the
// race its discussion is about through named pause points, so that the
// same interleaving happens on every run, then runs a seeded random stress
// workload, and decides a verdict from what happened: "reported" if the
// lock validator made any report or the data oracle found any stale read,
// lost write or block freed under I/O, "clean" otherwise. The verdict is
// compared with what the scenario must show.
//
// Runs use the default validator (the instrumented locks of package locks
// belong to it): Run resets it, routes its reports to the run and names
// the model's lock classes again. Runs must therefore not overlap.
//
// An acquisition of a lock instance the goroutine already holds can only
// deadlock; the kernel would print the report and hang. The run's report
// handler aborts that operation instead (cache.World.AbortOnSelfDeadlock),
// and resets the validator so that the same chain is validated, and
// reported, again if another operation repeats it. A watchdog declares the
// run hung when it makes no progress for a few seconds and dumps every
// goroutine's held locks, like the kernel's "show all locks".
//
// Lock order: the runner holds no lock while a scenario runs; its own
// mutex (the report list) is a leaf taken inside the validator's report
// handler.
package scenario
