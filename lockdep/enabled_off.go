//go:build lockdep_off

package lockdep

// Enabled reports whether the validator is compiled in. This build has the
// lockdep_off tag: every hook returns at once.
const Enabled = false

// defaultValidator is static: the off build allocates nothing at start-up.
var defaultValidator Validator

// std is the validator behind the package-level functions. In this build
// it is an empty validator that is never fed.
var std = &defaultValidator
