package daemon_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golockdep/lockdep/internal/uploadtest"
)

// TestSIGKILLDuringBurst kills the daemon with SIGKILL while clients are
// uploading, restarts it on the same data directory, and checks that every
// upload it had acknowledged is there. Short mode does one round, the
// full run three.
func TestSIGKILLDuringBurst(t *testing.T) {
	rounds := 3
	if testing.Short() {
		rounds = 1
	}
	dir := t.TempDir()
	const workers, perWorker = 8, 60
	acked := map[string]bool{}
	for round := range rounds {
		bodies := make([][][]byte, workers)
		for w := range workers {
			for i := range perWorker {
				bodies[w] = append(bodies[w], uploadtest.Encoded(t, fmt.Sprintf("r%dw%di%d.test", round, w, i), 1+i, "A->B", "B->C"))
			}
		}
		d := startDaemon(t, dir)
		var mu sync.Mutex
		var n atomic.Int64
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i, body := range bodies[w] {
					code, _, err := d.post(body)
					if err != nil {
						return // the daemon is gone
					}
					if code == 200 {
						mu.Lock()
						acked[fmt.Sprintf("r%dw%di%d.test", round, w, i)] = true
						mu.Unlock()
						n.Add(1)
					}
				}
			}()
		}
		// Kill once a good part of the burst is acknowledged, so that
		// uploads are in flight at the moment of the kill.
		deadline := time.Now().Add(10 * time.Second)
		for n.Load() < workers*perWorker/3 && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		d.kill()
		wg.Wait()
		t.Logf("round %d: %d uploads acknowledged before SIGKILL", round, n.Load())
		if n.Load() == 0 {
			t.Fatalf("no upload acknowledged\n%s", d.stderr)
		}
	}
	d := startDaemon(t, dir)
	code, body := d.get(t, "/api/v1/uploads")
	if code != 200 {
		t.Fatalf("GET /api/v1/uploads: %d %s", code, body)
	}
	var list []struct {
		Identity struct{ Binary string }
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, u := range list {
		have[u.Identity.Binary] = true
	}
	missing := 0
	for name := range acked {
		if !have[name] {
			missing++
			t.Errorf("acknowledged upload %s lost", name)
		}
	}
	t.Logf("%d acknowledged, %d stored after restart, %d missing", len(acked), len(list), missing)
}
