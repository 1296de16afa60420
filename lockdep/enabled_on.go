//go:build !lockdep_off

package lockdep

// Enabled reports whether the validator is compiled in. Build with
// -tags lockdep_off to compile it out: every hook then returns at once and
// the instrumented locks in package locks cost what package sync costs.
const Enabled = true

// std is the default validator: the one behind the package-level
// functions and every lock created without an explicit validator. Its
// options come from the environment (see EnvOptions). Outside this
// package it is reached only through the package-level functions.
var std = newDefault()
