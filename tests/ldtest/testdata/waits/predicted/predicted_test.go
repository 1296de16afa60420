package predicted

import "testing"

func TestSend(t *testing.T)      { Send() }
func TestRecv(t *testing.T)      { Recv() }
func TestSelect(t *testing.T)    { Select() }
func TestClose(t *testing.T)     { Close() }
func TestWaitGroup(t *testing.T) { WaitGroup() }
func TestCond(t *testing.T)      { Cond() }
func TestOnce(t *testing.T)      { Once() }
func TestSemaphore(t *testing.T) { Semaphore() }
func TestParam(t *testing.T)     { Param() }
