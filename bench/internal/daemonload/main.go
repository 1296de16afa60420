// Command daemonload puts a running lockdepd under load and measures it:
// many concurrent uploaders of small uploads, and readers of the views
// timing every answer. With -attack it first uploads graphs at the upload
// limits around a read cycle that is not a deadlock (issue 13, finding 1),
// timing each upload and then the views. bench/daemon runs it. It exits 1
// if no upload was acknowledged, or an upload or a view failed.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golockdep/lockdep/reports"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:7077", "the daemon")
	clients := flag.Int("clients", 200, "concurrent uploaders")
	readers := flag.Int("readers", 4, "concurrent view readers")
	dur := flag.Duration("duration", 20*time.Second, "how long to load")
	attack := flag.Int("attack", 0, "uploads at the limits (8192 classes, 131072 edges) to send first, after a read cycle")
	big := flag.Int("big", 0, "concurrent uploads of about 30 MiB each to send first")
	flag.Parse()
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: *clients + *readers}}
	if *attack > 0 {
		runAttack(client, *url, *attack)
	}
	if *big > 0 {
		runBig(client, *url, *big)
	}
	var ok, busy, failed atomic.Int64
	stop := time.Now().Add(*dur)
	var wg sync.WaitGroup
	for c := range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(c)))
			for i := 0; time.Now().Before(stop); i++ {
				code, err := post(client, *url, small(rng, c, i))
				switch {
				case err != nil:
					failed.Add(1)
				case code == 200:
					ok.Add(1)
				case code == 429:
					busy.Add(1)
				default:
					failed.Add(1)
				}
			}
		}()
	}
	paths := []string{"/lockdep", "/api/v1/reports", "/lockdep_stats", "/graph.dot", "/"}
	lat := make(map[string][]time.Duration)
	var mu sync.Mutex
	var viewErrs atomic.Int64
	for r := range *readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := r; time.Now().Before(stop); i++ {
				p := paths[i%len(paths)]
				t0 := time.Now()
				if _, err := get(client, *url+p); err != nil {
					fmt.Fprintf(os.Stderr, "GET %s: %v\n", p, err)
					viewErrs.Add(1)
					continue
				}
				mu.Lock()
				lat[p] = append(lat[p], time.Since(t0))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	fmt.Printf("load: %d uploaders, %d readers, %v\n", *clients, *readers, *dur)
	fmt.Printf("uploads: %d acknowledged (%.0f/s), %d answered 429, %d failed\n", ok.Load(), float64(ok.Load())/dur.Seconds(), busy.Load(), failed.Load())
	var all []time.Duration
	for _, p := range paths {
		all = append(all, lat[p]...)
		fmt.Printf("view %-16s %s\n", p, summary(lat[p]))
	}
	fmt.Printf("view %-16s %s\n", "(all)", summary(all))
	if ok.Load() == 0 || failed.Load() > 0 || viewErrs.Load() > 0 {
		fmt.Fprintf(os.Stderr, "daemonload: %d uploads acknowledged, %d failed, %d views failed\n", ok.Load(), failed.Load(), viewErrs.Load())
		os.Exit(1)
	}
}

func summary(ds []time.Duration) string {
	if len(ds) == 0 {
		return "no answers"
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	q := func(f float64) time.Duration { return ds[int(f*float64(len(ds)-1))].Round(time.Millisecond) }
	return fmt.Sprintf("n=%d p50=%v p99=%v max=%v", len(ds), q(0.5), q(0.99), ds[len(ds)-1].Round(time.Millisecond))
}

// small is a typical upload: 20 dependencies among 200 classes, in one
// global order so that no cycle appears.
func small(rng *rand.Rand, c, i int) []byte {
	u := upload(fmt.Sprintf("load%d.test", c), 1+i, time.Unix(int64(c)<<20+int64(i), 0))
	seen := map[[2]int]bool{}
	for len(u.Edges) < 20 {
		a, b := rng.Intn(200), rng.Intn(200)
		if a >= b || seen[[2]int{a, b}] {
			continue
		}
		seen[[2]int{a, b}] = true
		addEdge(u, fmt.Sprintf("pkg.class%03d", a), fmt.Sprintf("pkg.class%03d", b), "-(EN)->")
	}
	return encode(u)
}

func upload(binary string, pid int, start time.Time) *reports.Upload {
	return &reports.Upload{Schema: 1, Identity: reports.Identity{Binary: binary, Host: "bench", PID: pid, Start: start.UTC()}}
}

func addEdge(u *reports.Upload, from, to, types string) {
	for _, n := range []string{from, to} {
		found := false
		for _, c := range u.Classes {
			if c.Name == n {
				found = true
				break
			}
		}
		if !found {
			u.Classes = append(u.Classes, reports.Class{Name: n})
		}
	}
	u.Edges = append(u.Edges, reports.Edge{From: from, To: to, Types: types, Count: 1,
		Stack: []reports.Frame{{Function: "bench.f", File: "/bench/f.go", Line: 1}}})
}

func encode(u *reports.Upload) []byte {
	var buf bytes.Buffer
	if err := reports.Encode(&buf, u); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func post(c *http.Client, url string, body []byte) (int, error) {
	req, _ := http.NewRequest("POST", url+"/api/v1/upload", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func get(c *http.Client, url string) (int64, error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != 200 {
		return n, fmt.Errorf("%s", resp.Status)
	}
	return n, err
}

// runAttack sends a read cycle, then n uploads at the limits: 8192
// classes and 131072 random dependencies each (both directions possible,
// so that cycles are searched for), timing each upload, then each view.
func runAttack(c *http.Client, url string, n int) {
	u := upload("cycle.test", 1, time.Unix(1, 0))
	addEdge(u, "x", "y", "-(ER)->")
	addEdge(u, "y", "x", "-(SN)->")
	if code, err := post(c, url, encode(u)); code != 200 {
		fmt.Fprintf(os.Stderr, "read cycle upload: %d %v\n", code, err)
		os.Exit(1)
	}
	for k := range n {
		rng := rand.New(rand.NewSource(int64(k)))
		u := upload(fmt.Sprintf("big%d.test", k), 2+k, time.Unix(int64(2+k), 0))
		for i := range 8192 {
			u.Classes = append(u.Classes, reports.Class{Name: fmt.Sprintf("big.c%04d", i)})
		}
		seen := map[[2]int]bool{}
		for len(u.Edges) < 131072 {
			a, b := rng.Intn(8192), rng.Intn(8192)
			if a == b || seen[[2]int{a, b}] {
				continue
			}
			seen[[2]int{a, b}] = true
			u.Edges = append(u.Edges, reports.Edge{From: fmt.Sprintf("big.c%04d", a), To: fmt.Sprintf("big.c%04d", b), Types: "-(EN)->", Count: 1})
		}
		body := encode(u)
		t0 := time.Now()
		code, err := post(c, url, body)
		fmt.Printf("attack upload %d (%.1f MiB, %d edges): %d %v in %v\n", k+1, float64(len(body))/(1<<20), len(u.Edges), code, errText(err), time.Since(t0).Round(time.Millisecond))
	}
	for _, p := range []string{"/lockdep_stats", "/lockdep", "/api/v1/reports", "/reports.txt", "/graph.dot", "/"} {
		t0 := time.Now()
		size, err := get(c, url+p)
		fmt.Printf("attack view %-16s %v, %d bytes %s\n", p, time.Since(t0).Round(time.Millisecond), size, errText(err))
	}
	_, stats := getBody(c, url+"/lockdep_stats")
	for _, l := range strings.Split(stats, "\n") {
		if strings.Contains(l, "merge problem") {
			if len(l) > 160 {
				l = l[:160] + "..."
			}
			fmt.Printf("attack %s\n", strings.TrimSpace(l))
		}
	}
}

func getBody(c *http.Client, url string) (int, string) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// runBig sends n uploads of about 30 MiB at once (8192 classes, 131072
// dependencies in one order, two frames each).
func runBig(c *http.Client, url string, n int) {
	bodies := make([][]byte, n)
	for k := range n {
		rng := rand.New(rand.NewSource(int64(1000 + k)))
		u := upload(fmt.Sprintf("huge%d.test", k), 1000+k, time.Unix(int64(1000+k), 0))
		for i := range 8192 {
			u.Classes = append(u.Classes, reports.Class{Name: fmt.Sprintf("huge%d.c%04d", k, i)})
		}
		seen := map[[2]int]bool{}
		for len(u.Edges) < 131072 {
			a, b := rng.Intn(8192), rng.Intn(8192)
			if a >= b || seen[[2]int{a, b}] {
				continue
			}
			seen[[2]int{a, b}] = true
			var st []reports.Frame
			for f := range 2 {
				st = append(st, reports.Frame{Function: fmt.Sprintf("example.com/pkg.(*Type%d).M%d", a, f), File: "/src/pkg/f.go", Line: b})
			}
			u.Edges = append(u.Edges, reports.Edge{From: fmt.Sprintf("huge%d.c%04d", k, a), To: fmt.Sprintf("huge%d.c%04d", k, b), Types: "-(EN)->", Count: 1, Stack: st})
		}
		bodies[k] = encode(u)
	}
	var wg sync.WaitGroup
	codes := make([]int, n)
	t0 := time.Now()
	for k := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[k], _ = post(c, url, bodies[k])
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	fmt.Printf("big: %d uploads of %.1f MiB at once in %v: statuses %v\n", n, float64(len(bodies[0]))/(1<<20), time.Since(t0).Round(time.Millisecond), count)
}
