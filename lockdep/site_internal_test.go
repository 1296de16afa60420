package lockdep

import "testing"

func TestOwnerOf(t *testing.T) {
	for _, c := range []struct{ fn, want string }{
		{"go.etcd.io/bbolt.(*DB).beginRWTx", "go.etcd.io/bbolt.(*DB)"},
		{"go.etcd.io/bbolt.(*DB).Update.func1", "go.etcd.io/bbolt.(*DB)"},
		{"example.com/a/store.Cache.Get", "example.com/a/store.(*Cache)"},
		{"example.com/a/store.Cache.Get.func2.1", "example.com/a/store.(*Cache)"},
		{"example.com/a/store.Transfer", "example.com/a/store.Transfer"},
		{"example.com/a/store.Transfer.func1", "example.com/a/store.Transfer"},
		{"example.com/a/store.TestX.gowrap1", "example.com/a/store.TestX"},
		{"example.com/a/list.(*List[...]).Push", "example.com/a/list.(*List[...])"},
		{"main.main", "main.main"},
		{"main.(*T).m", "main.(*T)"},
	} {
		if got := ownerOf(c.fn); got != c.want {
			t.Errorf("ownerOf(%q) = %q, want %q", c.fn, got, c.want)
		}
	}
}

func TestSiteNamesShortAndStable(t *testing.T) {
	a := siteNamed("example.com/x/util.(*T)", "Mutex")
	b := siteNamed("example.com/y/util.(*T)", "Mutex")
	if a.name != "util.(*T):Mutex" {
		t.Errorf("name %q, want the package's last element", a.name)
	}
	if b.name != "example.com/y/util.(*T):Mutex" {
		t.Errorf("colliding short name %q, want the full path", b.name)
	}
	if siteNamed("example.com/x/util.(*T)", "Mutex") != a {
		t.Error("a site was made twice")
	}
}
