package reports

import "sort"

// maxPoints is how many contention points a merged line keeps.
const maxPoints = 8

// Merged lock_stat lines match by class and side (Merging.Add): counts
// and totals add up, minima and maxima combine, and the contention points
// are summed per frame and cut to the top maxPoints.

// combineLockStat adds the line s into h, for the same class and side.
func combineLockStat(h *LockStat, s LockStat) {
	h.WaitMinNS = minNonZero(h.WaitMinNS, h.Contentions, s.WaitMinNS, s.Contentions)
	h.HoldMinNS = minNonZero(h.HoldMinNS, h.Acquisitions, s.HoldMinNS, s.Acquisitions)
	h.Contentions += s.Contentions
	h.Acquisitions += s.Acquisitions
	h.WaitMaxNS = max(h.WaitMaxNS, s.WaitMaxNS)
	h.HoldMaxNS = max(h.HoldMaxNS, s.HoldMaxNS)
	h.WaitTotalNS += s.WaitTotalNS
	h.HoldTotalNS += s.HoldTotalNS
	h.Points = mergePoints(h.Points, s.Points)
}

func sortLockStats(ls []LockStat) {
	sort.Slice(ls, func(i, j int) bool {
		if ls[i].Class != ls[j].Class {
			return ls[i].Class < ls[j].Class
		}
		return !ls[i].Read && ls[j].Read
	})
}

type lockStatKey struct {
	class string
	read  bool
}

// minNonZero combines two minima, ignoring the side that has no events.
func minNonZero(a int64, an uint64, b int64, bn uint64) int64 {
	switch {
	case an == 0:
		return b
	case bn == 0:
		return a
	}
	return min(a, b)
}

func mergePoints(a, b []Point) []Point {
	for _, p := range b {
		found := false
		for i := range a {
			if a[i].Frame == p.Frame {
				a[i].Count += p.Count
				found = true
				break
			}
		}
		if !found {
			a = append(a, p)
		}
	}
	sort.SliceStable(a, func(i, j int) bool { return a[i].Count > a[j].Count })
	if len(a) > maxPoints {
		a = a[:maxPoints]
	}
	return a
}
