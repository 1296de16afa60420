//go:build lockdep_off

package locks

func (d *depMap) declare(DeclaredClass, string) {}
