package locks

// lockKind names a lock type (or a wait type: WaitGroup, Cond): the name a
// zero-value lock's site class
// carries ("Mutex at bank.go:12"). Each type has one, a zero-size type
// argument of its depMap, so that the name is stored once, in the type,
// rather than in every lock or passed along every call.
type lockKind interface{ kindName() string }

type (
	mutexKind     struct{}
	rwmutexKind   struct{}
	rwsemKind     struct{}
	rwlockKind    struct{}
	pageKind      struct{}
	onceKind      struct{}
	waitGroupKind struct{}
	condKind      struct{}
)

func (mutexKind) kindName() string     { return "Mutex" }
func (rwmutexKind) kindName() string   { return "RWMutex" }
func (rwsemKind) kindName() string     { return "RWSem" }
func (rwlockKind) kindName() string    { return "RWLock" }
func (pageKind) kindName() string      { return "PageLock" }
func (onceKind) kindName() string      { return "Once" }
func (waitGroupKind) kindName() string { return "WaitGroup (done)" }
func (condKind) kindName() string      { return "Cond (signalled)" }
