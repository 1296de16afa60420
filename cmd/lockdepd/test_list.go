package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"path"
	"strings"
)

// listed is one package as go list -json describes it.
type listed struct {
	ImportPath   string
	Dir          string
	Name         string
	ForTest      string
	GoFiles      []string
	CgoFiles     []string
	TestGoFiles  []string
	XTestGoFiles []string
	Imports      []string
	ImportMap    map[string]string
	Export       string
	Standard     bool
	DepOnly      bool
	Module       *struct {
		Path, Version, Dir, GoVersion string
		Main                          bool
		Replace                       *struct{ Path, Version, Dir string }
	}
	Error *struct{ Err string }
}

// base returns the import path without the test variant's " [p.test]".
func (p *listed) base() string {
	b, _, _ := strings.Cut(p.ImportPath, " ")
	return b
}

// isTestMain reports whether p is the generated main package of a test
// binary ("p.test").
func (p *listed) isTestMain() bool {
	return p.Name == "main" && p.ForTest == "" && strings.HasSuffix(p.ImportPath, ".test") &&
		len(p.GoFiles) > 0 && path.IsAbs(strings.ReplaceAll(p.GoFiles[0], "\\", "/"))
}

// label is the last element of an import path, the default class-name
// prefix of its package.
func label(importPath string) string { return path.Base(importPath) }

// goCmd runs the go command in dir and returns its standard output;
// standard error is copied to stderr as well as returned in errors.
func goCmd(ctx context.Context, dir string, env []string, stderr io.Writer, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = env
	var errBuf bytes.Buffer
	cmd.Stderr = io.MultiWriter(&errBuf, stderr)
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("go %s: %v", strings.Join(args, " "), err)
	}
	return out, nil
}

// goList runs go list -json with args and decodes its packages.
func goList(ctx context.Context, dir string, env []string, stderr io.Writer, args ...string) ([]*listed, error) {
	fields := "ImportPath,Dir,Name,ForTest,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles,Imports,ImportMap,Export,Standard,DepOnly,Module,Error"
	out, err := goCmd(ctx, dir, env, stderr, append([]string{"list", "-e", "-json=" + fields}, args...)...)
	var pkgs []*listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		p := &listed{}
		if derr := dec.Decode(p); derr != nil {
			return nil, fmt.Errorf("go list: %v", derr)
		}
		pkgs = append(pkgs, p)
	}
	if err != nil && len(pkgs) == 0 {
		return nil, err
	}
	return pkgs, nil
}

// goEnv is what lockdepd test needs of go env.
type goEnv struct {
	GOMOD, GOWORK, GOVERSION, GOOS, GOARCH, GOFLAGS, GOMODCACHE string
}

func readGoEnv(ctx context.Context, dir string, env []string, stderr io.Writer) (*goEnv, error) {
	out, err := goCmd(ctx, dir, env, stderr, "env", "-json", "GOMOD", "GOWORK", "GOVERSION", "GOOS", "GOARCH", "GOFLAGS", "GOMODCACHE")
	if err != nil {
		return nil, err
	}
	e := &goEnv{}
	return e, json.Unmarshal(out, e)
}

// mainModule returns the module path declared by a go.mod file.
func mainModule(goMod []byte) string {
	for _, line := range strings.Split(string(goMod), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(strings.Split(rest, "//")[0]), `"`)
		}
	}
	return ""
}
