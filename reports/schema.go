package reports

import (
	"fmt"
	"time"
)

// SchemaVersion is the newest version of the upload format, the one that
// can carry every field of Upload. It changes whenever a field is added,
// removed or changes meaning; see SCHEMA.md. Decode reads every version
// from MinSchemaVersion to SchemaVersion.
const SchemaVersion = 2

// MinSchemaVersion is the oldest version Decode reads. Version 1 is version
// 2 without "trimmed". FromValidator writes version 1 and Fit marks an
// upload it trims as version 2, so that a daemon that reads only version 1
// still accepts every upload it accepted before.
const MinSchemaVersion = 1

// Upload is one process's lock graph, as sent to lockdepd and saved in
// files. See SCHEMA.md for the meaning of every field.
type Upload struct {
	Schema    int        `json:"schema"`
	Identity  Identity   `json:"identity"`
	Classes   []Class    `json:"classes"`
	Edges     []Edge     `json:"edges"`
	Chains    []Chain    `json:"chains"`
	Reports   []Report   `json:"reports"`
	Stats     Stats      `json:"stats"`
	LockStats []LockStat `json:"lock_stats"`
	// Trimmed, if not empty, says in one line what Fit left out to
	// bring the upload under a size limit (schema 2 and later).
	Trimmed string `json:"trimmed,omitempty"`
}

// Identity names the process an upload came from.
type Identity struct {
	Binary  string    `json:"binary"`            // base name of the executable, e.g. "cache.test"
	Package string    `json:"package,omitempty"` // import path of the main or tested package, if known
	Host    string    `json:"host"`
	PID     int       `json:"pid"`
	Start   time.Time `json:"start"` // when the process started (when the uploader was initialised)
}

// Source is the short name of the process used in merged reports, e.g.
// "cache.test pid 4242 on ci-7".
func (id Identity) Source() string {
	return fmt.Sprintf("%s pid %d on %s", id.Binary, id.PID, id.Host)
}

// Class is one lock class. Classes are matched across processes by Name,
// which includes a "/N" suffix for subclass N.
type Class struct {
	Name     string `json:"name"`
	Key      string `json:"key,omitempty"`
	Subclass int    `json:"subclass"`
}

// Frame is one line of a stack.
type Frame struct {
	Function string `json:"function"`
	File     string `json:"file"`
	Line     int    `json:"line"`
}

// Edge is one direct dependency: To was acquired while From was held.
// Types is the set of the kernel's dependency types, e.g. "-(EN,SR)->".
type Edge struct {
	From  string  `json:"from"`
	To    string  `json:"to"`
	Types string  `json:"types"`
	Count uint64  `json:"count"`
	Stack []Frame `json:"stack"`
}

// Chain is one cached lock chain: the classes held, outermost first, each
// with its mode ("write", "read" or "recursive-read").
type Chain struct {
	Classes []string `json:"classes"`
	Modes   []string `json:"modes"`
}

// Link is one dependency of a reported chain.
type Link struct {
	From    string   `json:"from"`
	To      string   `json:"to"`
	Types   string   `json:"types"`
	Stack   []Frame  `json:"stack"`
	Sources []string `json:"sources,omitempty"`
}

// Report is one problem the process's validator reported.
type Report struct {
	Kind    string   `json:"kind"` // lockdep.Kind.String(), e.g. "circular"
	Classes []string `json:"classes"`
	Message string   `json:"message,omitempty"`
	Chain   []Link   `json:"chain,omitempty"` // circular: the existing chain
	New     *Link    `json:"new,omitempty"`   // circular: the closing dependency
	Text    string   `json:"text"`            // the report as lockdep.Report.String renders it
}

// Stats are the validator's counters (the kernel's /proc/lockdep_stats).
type Stats struct {
	Classes      int    `json:"classes"`
	DirectDeps   int    `json:"direct_dependencies"`
	IndirectDeps int    `json:"indirect_dependencies"`
	Chains       int    `json:"chains"`
	ChainHits    uint64 `json:"chain_lookup_hits"`
	ChainMisses  uint64 `json:"chain_lookup_misses"`
	MaxDepth     int    `json:"max_locking_depth"`
	Reports      int64  `json:"reports"`
	Stopped      bool   `json:"stopped"`
	Limit        string `json:"limit,omitempty"`
}

// LockStat is one line of contention statistics: one class, one side.
// Durations are nanoseconds.
type LockStat struct {
	Class        string  `json:"class"`
	Read         bool    `json:"read"`
	Contentions  uint64  `json:"contentions"`
	Acquisitions uint64  `json:"acquisitions"`
	WaitMinNS    int64   `json:"wait_min_ns"`
	WaitMaxNS    int64   `json:"wait_max_ns"`
	WaitTotalNS  int64   `json:"wait_total_ns"`
	HoldMinNS    int64   `json:"hold_min_ns"`
	HoldMaxNS    int64   `json:"hold_max_ns"`
	HoldTotalNS  int64   `json:"hold_total_ns"`
	Points       []Point `json:"points"`
}

// Point is a place where goroutines waited for a class, with how often.
type Point struct {
	Frame Frame  `json:"frame"`
	Count uint64 `json:"count"`
}
