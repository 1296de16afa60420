package upload

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The uploader speaks the little HTTP/1.1 it needs itself, over package
// net: one POST with "Expect: 100-continue" on a fresh connection, and the
// status, one header and the start of the body of the answer. Package
// net/http (and with it crypto/tls and the rest of a web stack) would
// otherwise be linked into every test binary that imports lockdeptest.
// Only http:// daemons are reached, as lockdepd serves plain HTTP.

// HTTP status codes the uploader tells apart.
const (
	statusOK                    = 200
	statusBadRequest            = 400
	statusRequestEntityTooLarge = 413
	statusUnsupportedMediaType  = 415
)

// continueWait bounds the wait for "100 Continue" before the body is sent
// anyway, for a daemon that does not answer the question.
const continueWait = time.Second

// errNotHTTP is the error for a daemon URL the uploader cannot reach.
var errNotHTTP = errors.New("the daemon's URL must start with http:// (lockdepd serves plain HTTP)")

// post makes one request and reads the start of the answer.
func post(ctx context.Context, rawURL, token string, body []byte, gz bool) (code int, status string, a answer, err error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return 0, "", a, errNotHTTP
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return 0, "", a, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()

	var h strings.Builder
	fmt.Fprintf(&h, "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: lockdep-upload\r\n", u.RequestURI(), u.Host)
	h.WriteString("Content-Type: application/json\r\n")
	if gz {
		h.WriteString("Content-Encoding: gzip\r\n")
	}
	if token != "" {
		fmt.Fprintf(&h, "Authorization: Bearer %s\r\n", token)
	}
	fmt.Fprintf(&h, "Content-Length: %d\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n", len(body))
	if _, err := io.WriteString(conn, h.String()); err != nil {
		return 0, "", a, err
	}
	r := textproto.NewReader(bufio.NewReader(conn))

	// Wait briefly for the daemon's word on the headers: 100 Continue, or
	// a final answer (a refusal) before the body is sent.
	conn.SetReadDeadline(time.Now().Add(continueWait))
	code, status, err = readStatus(r)
	conn.SetReadDeadline(time.Time{})
	var ne net.Error
	switch {
	case err == nil && code == 100:
		if _, err := r.ReadMIMEHeader(); err != nil {
			return 0, "", a, err
		}
		code = 0
	case err != nil && errors.As(err, &ne) && ne.Timeout() && ctx.Err() == nil:
		code, err = 0, nil // no word: send the body
	case err != nil:
		return 0, "", a, err
	}
	if code == 0 {
		if _, err := conn.Write(body); err != nil {
			return 0, "", a, err
		}
		if code, status, err = readStatus(r); err != nil {
			return 0, "", a, err
		}
	}
	hdr, err := r.ReadMIMEHeader()
	if err != nil {
		return 0, "", a, err
	}
	a.acceptEncoding = strings.ToLower(hdr.Get("Accept-Encoding"))
	a.body = readBody(r.R, hdr)
	return code, status, a, nil
}

// readStatus reads a status line, "HTTP/1.1 413 Request Entity Too Large",
// and returns the code and "413 Request Entity Too Large".
func readStatus(r *textproto.Reader) (int, string, error) {
	line, err := r.ReadLine()
	if err != nil {
		return 0, "", err
	}
	proto, rest, ok := strings.Cut(line, " ")
	if !ok || !strings.HasPrefix(proto, "HTTP/1.") {
		return 0, "", fmt.Errorf("not an HTTP answer: %q", oneLineText([]byte(line)))
	}
	codeText, _, _ := strings.Cut(rest, " ")
	code, err := strconv.Atoi(codeText)
	if err != nil || code < 100 || code > 999 {
		return 0, "", fmt.Errorf("bad HTTP status line: %q", oneLineText([]byte(line)))
	}
	return code, rest, nil
}

// readBody reads the start of an answer's body (4 KiB at most), whether
// sized, chunked or ended by the connection's close.
func readBody(r *bufio.Reader, hdr textproto.MIMEHeader) []byte {
	const max = 4 << 10
	if strings.EqualFold(hdr.Get("Transfer-Encoding"), "chunked") {
		var out []byte
		for len(out) < max {
			line, err := r.ReadString('\n')
			if err != nil {
				break
			}
			sizeText, _, _ := strings.Cut(strings.TrimSpace(line), ";")
			n, err := strconv.ParseInt(sizeText, 16, 32)
			if err != nil || n <= 0 {
				break
			}
			chunk := make([]byte, n)
			if _, err := io.ReadFull(r, chunk); err != nil {
				break
			}
			out = append(out, chunk...)
			r.ReadString('\n') // the chunk's CRLF
		}
		if len(out) > max {
			out = out[:max]
		}
		return out
	}
	var src io.Reader = r
	if n, err := strconv.ParseInt(hdr.Get("Content-Length"), 10, 64); err == nil {
		src = io.LimitReader(r, n)
	}
	b, _ := io.ReadAll(io.LimitReader(src, max))
	return b
}
