package daemon

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// DefaultMaxConns bounds the connections the daemon holds open at once.
const DefaultMaxConns = 512

// LimitListener returns a listener that holds at most n connections open
// at once: Accept waits for one to close beyond that, so that slow or idle
// clients cannot take every file descriptor.
func LimitListener(ln net.Listener, n int) net.Listener {
	return &limitListener{Listener: ln, sem: make(chan struct{}, n)}
}

type limitListener struct {
	net.Listener
	sem chan struct{}
}

func (l *limitListener) Accept() (net.Conn, error) {
	l.sem <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// NewHTTPServer wraps h with timeouts suited to the daemon: a request's
// headers within 10 s, and its body within bodyTimeout (see BodyTimeout).
func NewHTTPServer(h http.Handler, bodyTimeout time.Duration) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10*time.Second + bodyTimeout,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// MinBodyRate is the slowest an upload body may be sent, in bytes per
// second: the body timeout is the size limit at this rate, plus 10 s.
const MinBodyRate = 1 << 20

// BodyTimeout is how long an upload of at most maxBytes may take to send.
func BodyTimeout(maxBytes int64) time.Duration {
	return 10*time.Second + time.Duration(maxBytes/MinBodyRate)*time.Second
}
