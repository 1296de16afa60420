//go:build unix || windows

package lockdeptest

import "syscall"

// writeUntracked creates file name with data through syscall, so that go
// test does not count the file among the test's inputs (see
// EnvSummaryDir).
func writeUntracked(name string, data []byte) error {
	fd, err := syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	for len(data) > 0 {
		n, err := syscall.Write(fd, data)
		if err != nil {
			syscall.Close(fd)
			return err
		}
		data = data[n:]
	}
	return syscall.Close(fd)
}
