//go:build unix

// Command memtouch shows what bench/warm-memory.sh is for: it writes four new files of 512 MiB,
// 4 KiB at a time, and prints the system time each one took. On a physical machine all four cost
// about the same. On a virtual machine whose host takes back memory the guest is not using, the
// files that need memory the guest has not touched lately cost many times more (2026-12-03 on the
// development machine: 0.22-0.27 s, then 3.8-7.0 s; after bench/warm-memory.sh, 0.22-0.30 s each).
//
//	go run ./bench/memtouch [folder]
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

func systemTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Stime.Nano())
}

func main() {
	dir := os.TempDir()
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	buf := make([]byte, 4096)
	var paths []string
	defer func() {
		for _, p := range paths {
			os.Remove(p)
		}
	}()
	for i := range 4 {
		f, err := os.CreateTemp(dir, "memtouch-*")
		if err != nil {
			fmt.Fprintln(os.Stderr, "memtouch:", err)
			return
		}
		paths = append(paths, f.Name())
		wall, sys := time.Now(), systemTime()
		for off := int64(0); off < 512<<20; off += int64(len(buf)) {
			if _, err := f.WriteAt(buf, off); err != nil {
				fmt.Fprintln(os.Stderr, "memtouch:", err)
				return
			}
		}
		fmt.Printf("file %d (%s): %v, of it system time %v\n", i+1, filepath.Base(f.Name()), time.Since(wall).Round(time.Millisecond), (systemTime() - sys).Round(time.Millisecond))
		f.Close()
	}
}
