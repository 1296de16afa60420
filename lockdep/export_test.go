package lockdep

// StopState is stopState for the external tests.
func (v *Validator) StopState() (bool, string) { return v.stopState() }
