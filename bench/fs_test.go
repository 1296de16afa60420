package bench

import (
	"testing"
	"time"

	"github.com/golockdep/lockdep/lockdep"
	"github.com/golockdep/lockdep/scenario"
)

// 7: the filesystem model's random workload (the ext4 punch-vs-fault
// design: reads, writes, faults, stores, punch, zero, collapse, insert,
// truncate, writeback over three files by four threads of two processes),
// in operations per second. ./run runs it in the on and the off build.
func BenchmarkFSWorkload(b *testing.B) {
	b.Run(impl, func(b *testing.B) {
		const ops = 4000
		restore := lockdep.SetHandler(func(r *lockdep.Report) { b.Errorf("report: %s", r) })
		defer restore()
		var total time.Duration
		for i := 0; i < b.N; i++ {
			start := time.Now()
			if err := scenario.Workload("ext4-punch-vs-fault", int64(i+1), ops); err != nil {
				b.Fatal(err)
			}
			total += time.Since(start)
		}
		b.ReportMetric(float64(ops*b.N)/total.Seconds(), "ops/s")
	})
}
