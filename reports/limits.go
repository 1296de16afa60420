package reports

import "github.com/golockdep/lockdep/lockdep"

// Limits bound what Decode and Validate accept. The zero value of a field
// means the default in DefaultLimits.
type Limits struct {
	MaxBytes   int64 // the encoded upload (default MaxUploadBytes)
	MaxClasses int   // default lockdep.DefaultMaxClasses, the validator's own bound
	MaxEdges   int   // default lockdep.DefaultMaxEdges
	MaxChains  int   // default lockdep.DefaultMaxChains
	MaxReports int   // default 1000, as many as a validator keeps
	MaxStats   int   // lock_stat lines, default 2*MaxClasses
	MaxFrames  int   // frames per stack, default 64
	MaxName    int   // bytes per name, function or file, default 1024
	MaxText    int   // bytes per report text, default 64 KiB
}

// MaxUploadBytes is the default bound on an encoded upload: 32 MiB.
const MaxUploadBytes = 32 << 20

// DefaultLimits are the limits lockdepd applies.
var DefaultLimits = Limits{
	MaxBytes:   MaxUploadBytes,
	MaxClasses: lockdep.DefaultMaxClasses,
	MaxEdges:   lockdep.DefaultMaxEdges,
	MaxChains:  lockdep.DefaultMaxChains,
	MaxReports: 1000,
	MaxStats:   2 * lockdep.DefaultMaxClasses,
	MaxFrames:  64,
	MaxName:    1024,
	MaxText:    64 << 10,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	set(&l.MaxClasses, d.MaxClasses)
	set(&l.MaxEdges, d.MaxEdges)
	set(&l.MaxChains, d.MaxChains)
	set(&l.MaxReports, d.MaxReports)
	set(&l.MaxStats, d.MaxStats)
	set(&l.MaxFrames, d.MaxFrames)
	set(&l.MaxName, d.MaxName)
	set(&l.MaxText, d.MaxText)
	return l
}
