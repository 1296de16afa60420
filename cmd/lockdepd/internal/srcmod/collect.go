package srcmod

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Roots are the packages that code rewritten by lockdepd test imports;
// the archive holds them and what they import from this module.
var Roots = []string{
	ModulePath + "/locks",
	ModulePath + "/locks/declared",
	ModulePath + "/locks/chanop",
	ModulePath + "/lockdep/lockdeptest",
}

// Collect reads the files of the archive from the module rooted at root:
// every non-test .go file of the packages Roots need from this module
// (all build variants), a go.mod requiring only the other modules they
// import, and the go.sum lines of those. It fails if they import a module
// that has no go.sum line.
func Collect(root string) ([]File, error) {
	cmd := exec.Command("go", append([]string{"list", "-deps", "-f",
		"{{if not .Standard}}{{.ImportPath}}\t{{.Dir}}\t{{with .Module}}{{.Path}} {{.Version}}{{end}}{{end}}"}, Roots...)...)
	cmd.Dir = root
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v", err)
	}
	var files []File
	var reqs []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			continue
		}
		path, dir, mod := f[0], f[1], f[2]
		if !strings.HasPrefix(path, ModulePath+"/") {
			reqs = append(reqs, mod)
			continue
		}
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			data, err := os.ReadFile(name)
			if err != nil {
				return nil, err
			}
			rel := strings.TrimPrefix(path, ModulePath+"/") + "/" + filepath.Base(name)
			files = append(files, File{Name: rel, Data: data})
		}
	}
	sort.Strings(reqs)
	goMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	var mod bytes.Buffer
	if got := "go" + strings.TrimPrefix(goLine(goMod), "go "); !strings.HasPrefix(got, FilesGoVersion) {
		return nil, fmt.Errorf("go.mod says %s: FilesGoVersion (%s) must follow it", goLine(goMod), FilesGoVersion)
	}
	fmt.Fprintf(&mod, "module %s\n\ngo %s\n", ModulePath, ModuleGoVersion)
	for _, r := range reqs {
		fmt.Fprintf(&mod, "\nrequire %s\n", r)
	}
	files = append(files, File{Name: "go.mod", Data: mod.Bytes()})
	sums, err := sumLines(filepath.Join(root, "go.sum"), reqs)
	if err != nil {
		return nil, err
	}
	files = append(files, File{Name: "go.sum", Data: sums})
	return files, nil
}

func goLine(goMod []byte) string {
	for _, line := range strings.Split(string(goMod), "\n") {
		if strings.HasPrefix(line, "go ") {
			return line
		}
	}
	return "go 1.22"
}

// sumLines returns the lines of go.sum that check the modules reqs
// ("path version"), both the module's and its go.mod's.
func sumLines(goSum string, reqs []string) ([]byte, error) {
	f, err := os.Open(goSum)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out bytes.Buffer
	found := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 3 {
			continue
		}
		for _, r := range reqs {
			if fields[0]+" "+strings.TrimSuffix(fields[1], "/go.mod") == r {
				out.WriteString(sc.Text() + "\n")
				found[r]++
			}
		}
	}
	for _, r := range reqs {
		if found[r] != 2 {
			return nil, fmt.Errorf("go.sum has %d lines for %s, want 2", found[r], r)
		}
	}
	return out.Bytes(), sc.Err()
}
