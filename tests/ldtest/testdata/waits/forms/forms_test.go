package forms

import (
	"context"
	"reflect"
	"testing"
)

func TestRanges(t *testing.T) {
	sum, captured := Ranges([]int{1, 2, 3})
	if sum != 2+6+300+1+2+3 {
		t.Errorf("sum %d", sum)
	}
	var got []int
	for _, f := range captured {
		got = append(got, f())
	}
	if !reflect.DeepEqual(got, []int{2, 6}) {
		t.Errorf("captured %v, want a variable per iteration", got)
	}
}

func TestRecvs(t *testing.T) {
	got, oks := Recvs()
	if !reflect.DeepEqual(got, []int{7, 8, 0, 9}) || !reflect.DeepEqual(oks, []bool{true, true, false}) {
		t.Errorf("got %v %v", got, oks)
	}
}

func TestSends(t *testing.T) {
	if got := Sends(); got != "boomx3" {
		t.Errorf("got %q", got)
	}
}

func TestSelects(t *testing.T) {
	got := Selects(context.Background())
	want := []string{"lane1", "5", "drained", "got", "source"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRelay(t *testing.T) {
	if got := Relay([]string{"a", "b", "c"}); !reflect.DeepEqual(got, []string{"a", "b", "c"}) {
		t.Errorf("got %q", got)
	}
}

func TestCount(t *testing.T) {
	if got := Count(4); got != 4 {
		t.Errorf("got %d", got)
	}
}
