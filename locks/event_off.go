//go:build lockdep_off

package locks

// depEvent is empty when the validator is compiled out.
type depEvent struct{}

func (d *depEvent) resolve(string)  {}
func (d *depEvent) wait(string)     {}
func (d *depEvent) complete(string) {}
func (d *depEvent) endWait(string)  {}
