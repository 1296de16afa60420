package locks

// DeclaredClass names the class of every lock declared at one place
// ("bank.Account.mu"): the class marker that "lockdepd test" generates for
// each sync.Mutex and sync.RWMutex declaration it rewrites (see package
// locks/declared). Its method returns a constant.
type DeclaredClass interface {
	LockdepClass() string
}

// Declare puts m in the declared class c (see plumbing.Hooks.NewDeclaredMap)
// unless m already has a class: it is safe to call on every use, from any
// number of goroutines, and costs one atomic load once m has a class.
func (m *Mutex) Declare(c DeclaredClass) { m.dep.declare(c) }

// Declare puts m in the declared class c unless m already has a class; see
// Mutex.Declare.
func (m *RWMutex) Declare(c DeclaredClass) { m.dep.declare(c) }
