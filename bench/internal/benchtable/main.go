// Command benchtable reads `go test -bench` output and prints the table of
// the performance targets: each ratio from medians of runs made side by
// side, with the target beside it.
package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// results maps a benchmark name (with its -cpu suffix) and a unit to the
// values seen, one per run.
type results map[string]map[string][]float64

var cpuSuffix = regexp.MustCompile(`-\d+$`)

func parse(files []string) (results, map[string]string, error) {
	r := results{}
	sizes := map[string]string{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, nil, err
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			line := sc.Text()
			if i := strings.Index(line, "size "); i >= 0 && strings.Contains(line, "sizes_test.go") {
				fs := strings.Fields(line[i:])
				if len(fs) == 4 {
					sizes[fs[1]+" "+fs[2]] = fs[3]
				}
				continue
			}
			fs := strings.Fields(line)
			if len(fs) < 4 || !strings.HasPrefix(fs[0], "Benchmark") {
				continue
			}
			name := fs[0]
			for i := 2; i+1 < len(fs); i += 2 {
				v, err := strconv.ParseFloat(fs[i], 64)
				if err != nil {
					continue
				}
				if r[name] == nil {
					r[name] = map[string][]float64{}
				}
				r[name][fs[i+1]] = append(r[name][fs[i+1]], v)
			}
		}
		fh.Close()
	}
	return r, sizes, nil
}

func median(vs []float64) float64 {
	if len(vs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), vs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// get finds a benchmark by name, with or without the -N cpu suffix.
func (r results) get(name, unit string) float64 {
	if m, ok := r[name]; ok {
		return median(m[unit])
	}
	for n, m := range r {
		if cpuSuffix.ReplaceAllString(n, "") == name {
			return median(m[unit])
		}
	}
	return math.NaN()
}

type row struct {
	measure, target, got string
	ok                   bool
}

func main() {
	r, sizes, err := parse(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	ns := func(name string) float64 { return r.get(name, "ns/op") }
	ratio := func(a, b float64) string { return fmt.Sprintf("%.2f", a/b) }
	var rows []row
	add := func(measure, target, got string, ok bool) {
		rows = append(rows, row{measure, target, got, ok})
	}
	for _, w := range []struct{ bench, label string }{{"BenchmarkMutex", "1"}, {"BenchmarkNested", "2"}} {
		on, sync, dl := ns(w.bench+"/lockdep-on"), ns(w.bench+"/sync"), ns(w.bench+"/go-deadlock")
		off, syncOff := ns(w.bench+"/lockdep-off"), ns(w.bench+"/sync@off")
		add(w.label+": validator on / sync", "<= 3.0", ratio(on, sync)+fmt.Sprintf(" (%.1f / %.1f ns)", on, sync), on/sync <= 3.0)
		add(w.label+": go-deadlock / validator on", ">= 20", ratio(dl, on)+fmt.Sprintf(" (%.0f / %.1f ns)", dl, on), dl/on >= 20)
		add(w.label+": off tag / sync", "1.00 within noise (<= 1.10)", ratio(off, syncOff)+fmt.Sprintf(" (%.1f / %.1f ns)", off, syncOff), off/syncOff <= 1.10)
	}
	if st, sync := ns("BenchmarkMutex/lockdep-on+lockstat"), ns("BenchmarkMutex/sync"); !math.IsNaN(st) {
		add("1 with lock_stat on: validator on / sync", "(no target)", ratio(st, sync)+fmt.Sprintf(" (%.1f / %.1f ns)", st, sync), true)
	}
	for _, w := range []struct{ bench, label string }{{"BenchmarkRead", "3: read lock"}, {"BenchmarkDepth8", "4: depth-8 nest"}} {
		on, sync := ns(w.bench+"/lockdep-on"), ns(w.bench+"/sync")
		add(w.label+": validator on / sync", "(no target)", ratio(on, sync)+fmt.Sprintf(" (%.1f / %.1f ns)", on, sync), true)
	}
	allocs := r.get("BenchmarkNested/lockdep-on", "allocs/op")
	add("allocations on a cached chain (2)", "0", fmt.Sprintf("%.0f", allocs), allocs == 0)
	p1, p2 := ns("BenchmarkParallel/lockdep-on"), ns("BenchmarkParallel/lockdep-on-2")
	add("5: ns/op at -cpu 2 / -cpu 1", "<= 1.00 (not worse; 1.10 allowed for noise)", ratio(p2, p1)+fmt.Sprintf(" (%.1f / %.1f ns)", p2, p1), p2/p1 <= 1.10)
	ne := r.get("BenchmarkGraph/new-edge", "median-ns/edge")
	add("6: new edge, 10k classes / 100k edges", "median <= 20 us", fmt.Sprintf("%.1f us", ne/1000), ne <= 20000)
	ce := r.get("BenchmarkGraph/cycle-edge", "median-ns/edge")
	add("6: cycle-closing edge, report included", "bounded", fmt.Sprintf("%.1f us", ce/1000), !math.IsNaN(ce))
	add("6: memory per class / per edge", "(no target)", fmt.Sprintf("%.0f B / %.0f B", r.get("BenchmarkGraph/new-edge", "B/class"), r.get("BenchmarkGraph/new-edge", "B/edge")), true)
	fsOn, fsOff := r.get("BenchmarkFSWorkload/lockdep-on", "ops/s"), r.get("BenchmarkFSWorkload/lockdep-off", "ops/s")
	add("7: fs workload, on / off throughput", ">= 0.5", ratio(fsOn, fsOff)+fmt.Sprintf(" (%.0f / %.0f ops/s)", fsOn, fsOff), fsOn/fsOff >= 0.5)
	// 8: one shared RWSem against sync.RWMutex; each ratio is taken within
	// one binary.
	for _, cpu := range []struct{ suffix, n string }{{"", "1"}, {"-2", "2"}} {
		label := "8: RW 90% reads, -cpu " + cpu.n
		on, sync := ns("BenchmarkRWParallel/lockdep-on"+cpu.suffix), ns("BenchmarkRWParallel/sync"+cpu.suffix)
		off, syncOff := ns("BenchmarkRWParallel/lockdep-off"+cpu.suffix), ns("BenchmarkRWParallel/sync@off"+cpu.suffix)
		add(label+": RWSem on / sync.RWMutex", "<= 2.0", ratio(on, sync)+fmt.Sprintf(" (%.1f / %.1f ns)", on, sync), on/sync <= 2.0)
		add(label+": RWSem off / sync.RWMutex", "<= 1.10", ratio(off, syncOff)+fmt.Sprintf(" (%.1f / %.1f ns)", off, syncOff), off/syncOff <= 1.10)
		mOn, mOff := ns("BenchmarkRWParallel/lockdep-on-RWMutex"+cpu.suffix), ns("BenchmarkRWParallel/lockdep-off-RWMutex"+cpu.suffix)
		add(label+": RWMutex on / sync.RWMutex", "<= 2.0", ratio(mOn, sync)+fmt.Sprintf(" (%.1f / %.1f ns)", mOn, sync), mOn/sync <= 2.0)
		add(label+": RWMutex off / sync.RWMutex", "<= 1.10", ratio(mOff, syncOff)+fmt.Sprintf(" (%.1f / %.1f ns)", mOff, syncOff), mOff/syncOff <= 1.10)
	}
	// 9: scale.
	g, gs := ns("BenchmarkGoroutines100k/lockdep-on"), ns("BenchmarkGoroutines100k/sync")
	add("9: 100k goroutines lock once, park: on / sync", "<= 3.0", ratio(g, gs)+fmt.Sprintf(" (%.0f / %.0f ms)", g/1e6, gs/1e6), g/gs <= 3.0)
	gn, gns := ns("BenchmarkGoroutines100k/nested-lockdep-on"), ns("BenchmarkGoroutines100k/nested-sync")
	add("9: the same, two nested locks: on / sync", "(no target)", ratio(gn, gns)+fmt.Sprintf(" (%.0f / %.0f ms)", gn/1e6, gns/1e6), true)
	hOn, hSync := r.get("BenchmarkShortLived/lockdep-on", "MiB-heap"), r.get("BenchmarkShortLived/sync", "MiB-heap")
	add("9: 1M short-lived goroutines: heap after, on / sync", "bounded", fmt.Sprintf("%.1f / %.1f MiB", hOn, hSync), !math.IsNaN(hOn) && hOn < 64)
	fz, fk := ns("BenchmarkFirstLock/lockdep-on-zero"), ns("BenchmarkFirstLock/lockdep-on-keyed")
	add("3: first lock, zero-value / keyed lock", "<= 20", ratio(fz, fk)+fmt.Sprintf(" (%.0f / %.0f ns)", fz, fk), fz/fk <= 20)
	size := sizes["lockdep-on locks.Mutex"]
	n, _ := strconv.Atoi(size)
	add("locks.Mutex size", "<= 24 bytes", size+" bytes", size != "" && n <= 24)

	fmt.Printf("| %-44s | %-44s | %-34s | %s |\n", "measure", "target", "measured", "met")
	fmt.Printf("|%s|%s|%s|%s|\n", strings.Repeat("-", 46), strings.Repeat("-", 46), strings.Repeat("-", 36), "-----")
	failed := 0
	for _, rw := range rows {
		met := "yes"
		if !rw.ok {
			met = "NO"
			failed++
		}
		fmt.Printf("| %-44s | %-44s | %-34s | %s |\n", rw.measure, rw.target, rw.got, met)
	}
	fmt.Println()
	var names []string
	for k := range sizes {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Printf("size %-30s %s bytes\n", k, sizes[k])
	}
	if failed > 0 {
		fmt.Printf("\n%d target(s) not met\n", failed)
	}
}
