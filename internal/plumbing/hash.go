package plumbing

// FibHash is 2^64 divided by the golden ratio: multiplying by it spreads
// consecutive integers (goroutine ids, class ids, addresses) over the high
// bits, which is what the validator's tables and package locks' page wait
// queues index by. It is here so that it is written once.
const FibHash = 0x9E3779B97F4A7C15
