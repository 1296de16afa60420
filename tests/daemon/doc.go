// Package daemon holds the end-to-end tests of lockdepd: they build the
// real daemon and two small test binaries (testdata/ordera, testdata/orderb)
// that take the same two locks in opposite orders, each clean on its own,
// and check that the daemon reports the cross-process cycle naming both;
// that SIGKILL during bursts of uploads loses no acknowledged upload; that
// every bad input gets its 4xx; and, in headless Chromium when it is
// installed, that the web page draws the cycle. With -short the SIGKILL
// test runs one round of uploads instead of three.
package daemon
