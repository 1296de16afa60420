//go:build lockdep_off

package locks

// depEvent is empty when the validator is compiled out.
type depEvent[K lockKind] struct{}

func (d *depEvent[K]) resolve()  {}
func (d *depEvent[K]) wait()     {}
func (d *depEvent[K]) complete() {}
func (d *depEvent[K]) endWait()  {}
