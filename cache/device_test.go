package cache

import (
	"strings"
	"testing"
)

func TestDeviceReusesFreedBlockFirst(t *testing.T) {
	w := NewWorld(Options{Blocks: 16})
	d := w.Dev
	a := d.Alloc(Owner{1, 0})
	b := d.Alloc(Owner{1, 1})
	d.Put(a, "test")
	if c := d.Alloc(Owner{2, 0}); c != a {
		t.Errorf("got block %d, want the one freed last (%d)", c, a)
	}
	d.Put(b, "test")
	if c := d.Alloc(Owner{2, 1}); c != b {
		t.Errorf("got block %d, want %d", c, b)
	}
}

func TestDeviceFreedInUseAndLostWrite(t *testing.T) {
	w := NewWorld(Options{Blocks: 16})
	d := w.Dev
	b := d.Alloc(Owner{1, 0})
	d.Pin(b, "direct read")
	d.Put(b, "truncate")
	c := w.Oracle.Counts()
	if c.FreedInUse != 1 {
		t.Fatalf("counts %+v", c)
	}
	d.Unpin(b)
	d.Alloc(Owner{2, 0}) // reuses b
	d.Write(b, Owner{1, 0}, Stamp{File: 1, Gen: 1}, "store")
	if w.Oracle.Counts().LostWrites != 1 {
		t.Errorf("write to another file's block not counted")
	}
	fs := w.Oracle.Findings()
	if !strings.Contains(strings.Join(fs, "\n"), "now allocated to ino 2 page 0") {
		t.Errorf("findings %q", fs)
	}
}

func TestDeviceSharedBlocks(t *testing.T) {
	w := NewWorld(Options{Blocks: 16})
	d := w.Dev
	b := d.Alloc(Owner{1, 0})
	d.Ref(b)
	if !d.Shared(b) {
		t.Fatal("not shared after Ref")
	}
	d.Put(b, "unshare")
	d.Write(b, Owner{2, 5}, Stamp{File: 2}, "write") // the survivor's owner is unknown
	if !w.Oracle.Counts().Zero() {
		t.Errorf("write to a surviving shared block counted: %v", w.Oracle.Findings())
	}
}
