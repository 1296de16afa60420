package rewrite

// Facts is what Analyze learns about one package: everything Decide and
// Render need, with positions as byte offsets, so that it can be cached
// and reused without parsing or type-checking the package again.
type Facts struct {
	ID    string // go list's ImportPath, with " [p.test]" for a test variant
	Path  string // import path
	Label string // class-name prefix: "bank", "bank_test"
	Files []FileFacts
	Occs  []Occ
	Refs  []Ref
	// Demote lists storage keys whose composite value flows where another
	// type is written: the declarations under them get locks.Mutex.
	Demote []Mark
	// Skip lists storage keys used through package unsafe or reflect: the
	// declarations under them stay package sync.
	Skip []Mark
	// Unchecked lists the storage keys of the lock declarations that
	// carry IgnoreDirective: they stay package sync, without a warning.
	Unchecked []Mark `json:",omitempty"`
	TestMains []OwnTestMain
	// TestMainTaken is set when the package declares something else
	// named TestMain: the generated TestMain must go elsewhere.
	TestMainTaken bool `json:",omitempty"`
	Runs          []RunEdit
	// HandOffs are *testing.M values handed to functions of other packages
	// that take a *testing.M: if such a package is not rewritten, its
	// m.Run() is not RunM, and the binary's reports do not fail it.
	HandOffs []ForeignUse `json:",omitempty"`
	// Foreign lists the uses of other packages' functions, variables and
	// fields whose types hold a sync lock: if such a package is not
	// rewritten, its locks and this package's no longer have one type.
	Foreign []ForeignUse
	// Chans are the channel operations, range loops and select
	// statements to rewrite.
	Chans []ChanOp `json:",omitempty"`
	// Ignored are the channel classes whose declaration carries
	// IgnoreDirective.
	Ignored []ClassRef `json:",omitempty"`
	// Flows are the channel arguments of calls, and Escapes the functions
	// used as values, for the classes of parameters (chanflow.go).
	Flows   []Flow     `json:",omitempty"`
	Escapes []ClassRef `json:",omitempty"`
	// Errors are the type-checking errors, "file:line:col: message".
	Errors []string
}

// FileFacts describes one file of the package.
type FileFacts struct {
	Path     string
	Test     bool   // a _test.go file
	PkgName  string // its package clause
	NameEnd  int    // offset just after the package clause's name
	SyncName string // the name the file imports "sync" under, "" if none
}

// Roles of an occurrence of a sync type.
const (
	RoleDecl  = "decl"  // declares a lock by value: gets its own class
	RoleBound = "bound" // the type of a literal stored into Target
	RoleAlloc = "alloc" // new(sync.Mutex) or &sync.Mutex{} stored at Target
	RoleOther = "other" // anything else: locks.Mutex
)

// Occ is one occurrence of sync.Mutex or sync.RWMutex in the source, or
// of sync.WaitGroup, sync.Once, sync.Cond or sync.NewCond (Kind names
// which), which always become package locks' (site classes).
type Occ struct {
	File     string
	Off, End int    // the type expression
	Kind     string // "Mutex", "RWMutex", "WaitGroup", "Once", "Cond", "NewCond"
	Role     string
	// Keys are the storage keys the occurrence declares (a declaration,
	// or a pointer that allocations may fill), and Class their class.
	Keys  []string `json:",omitempty"`
	Class string   `json:",omitempty"`
	// Target is the storage key a bound literal or an allocation is
	// stored at.
	Target string `json:",omitempty"`
	// ExprOff and ExprEnd span an allocation's whole expression.
	ExprOff int `json:",omitempty"`
	ExprEnd int `json:",omitempty"`
	// Skip, if set, says why the occurrence stays package sync.
	Skip string `json:",omitempty"`
	Line int    // for messages
	// Split, when set, makes the occurrence one of the names of a
	// declaration of several (var a, b sync.Mutex; x, y sync.Mutex in a
	// struct): the rewrite writes the declaration once per name, so that
	// each has its own class.
	Split *Split `json:",omitempty"`
}

// Split is one name of a declaration of several names. The occurrences of
// one declaration share Off..End, the span from the first name to the end
// of the type (or of a field's tag), which the rewrite replaces.
type Split struct {
	Off, End         int
	NameOff, NameEnd int // this name
	TypeOff, TypeEnd int // the declared type, around the occurrence's Off..End
	TagOff, TagEnd   int // a field's tag, repeated for every name; 0 if none
	Index, Count     int
	Var              bool // a var declaration outside parentheses: "var " before each further name
}

// Ref is an explicit &X of a lock X, at storage key Key.
type Ref struct {
	File           string
	Amp, End       int
	Key, Kind      string
	Line           int
	Untranslatable bool `json:",omitempty"`
}

// Mark is a storage key with the reason and the place (file:line) that
// decided its fate.
type Mark struct {
	Key, Reason, At string
}

// OwnTestMain is a package's own TestMain, to be renamed.
type OwnTestMain struct {
	File    string
	NameOff int
	NameEnd int
	PkgName string
}

// RunEdit rewrites a call that runs the tests (m.Run(), lockdeptest.Run(m))
// into lockdeptest.RunM(m): the call spans Off..End, its argument (or
// receiver) ArgOff..ArgEnd. With Wrap, it rewrites a *testing.M argument
// (Off..End, the same span as ArgOff..ArgEnd) into lockdeptest.WrapM(m).
type RunEdit struct {
	File           string
	Off, End       int
	ArgOff, ArgEnd int
	Wrap           bool `json:",omitempty"`
}

// ForeignUse is a use, at At (file:line), of Name from package Pkg, whose
// type holds a sync lock.
type ForeignUse struct {
	Pkg, Name, At string
}
