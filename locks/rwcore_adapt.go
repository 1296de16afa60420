package locks

// Method values for releases whose result the caller has already decided
// (see depMap.unlockUnheld): the lock is known to be held that way.

func (c *rwcore) runlockAny() { c.runlock() }
func (c *rwcore) unlockAny()  { c.unlock() }
