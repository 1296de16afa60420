package shadow

import . "sync"

var dotted Mutex

func lockDotted() { dotted.Lock(); dotted.Unlock() }
