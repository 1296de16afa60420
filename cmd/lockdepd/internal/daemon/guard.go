package daemon

import (
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// guard keeps browsers out. A page on another origin (another loopback
// port, a file:// page) can make a browser post to the daemon, and DNS
// rebinding can point a foreign name at it. So every request's Host must
// name the daemon (guard.hostOK), an upload must be
// Content-Type: application/json (which a browser cannot send across
// origins without a preflight the daemon never answers), and a request
// with an Origin header must come from the daemon's own origin.
func (s *Server) guard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hostOK(r.Host) {
			httpError(w, http.StatusMisdirectedRequest, "Host "+quoteHost(r.Host)+" is not this daemon's address; start lockdepd serve with -host NAME to allow a name")
			return
		}
		if o := r.Header.Get("Origin"); o != "" && !s.originOK(o, r.Host) {
			httpError(w, http.StatusForbidden, "requests from another origin ("+quoteHost(o)+") are refused")
			return
		}
		if r.Method == http.MethodPost {
			mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || mt != "application/json" {
				httpError(w, http.StatusUnsupportedMediaType, "an upload must be sent as Content-Type: application/json (optionally with Content-Encoding: gzip)")
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// hostOK accepts a loopback address or localhost, the listening address's
// host, any IP address if that host is unspecified (0.0.0.0), and the
// configured names. The port is not checked.
func (s *Server) hostOK(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "" {
		return false
	}
	if isLoopback(host) {
		return true
	}
	for _, n := range s.cfg.HostNames {
		if strings.EqualFold(n, host) {
			return true
		}
	}
	listen, _, _ := net.SplitHostPort(s.cfg.Addr)
	if strings.EqualFold(listen, host) {
		return true
	}
	if ip := net.ParseIP(host); ip != nil {
		lip := net.ParseIP(listen)
		return listen == "" || (lip != nil && lip.IsUnspecified())
	}
	return false
}

// originOK accepts the daemon's own origin: http://Host.
func (s *Server) originOK(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Scheme == "http" && strings.EqualFold(u.Host, host)
}

func quoteHost(s string) string {
	if len(s) > 100 {
		s = s[:100]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}
