package named

import "testing"

func TestTouch(t *testing.T) { new(TestMain).Touch() }
