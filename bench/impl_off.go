//go:build lockdep_off

// Package bench compares the validator's locks with package sync and with
// go-deadlock. It is a module of its own so that the main module does not
// depend on go-deadlock. Run ./run for the table of ratios.
package bench

// impl names this build's lockdep variant in benchmark names.
const impl = "lockdep-off"
