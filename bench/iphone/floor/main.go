// Command floor is the least an import of media can do, for bench/iphone/run.sh to time next to
// cp -r and the import: it reads every regular file under a folder, hashes it (SHA-256) and
// writes it to a new file in another folder, on four workers with a 128 KiB buffer each as the
// archive's media workers do, then flushes the filesystem once (syncfs). No database, no
// manifest, no staging and renaming.
package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/chatvault/chatvault/internal/syncfs"
)

func main() {
	src := flag.String("src", "", "folder to read")
	dst := flag.String("dst", "", "folder to write (created)")
	flag.Parse()
	if *src == "" || *dst == "" {
		log.Fatal("floor: -src and -dst are required")
	}
	if err := os.MkdirAll(*dst, 0o700); err != nil {
		log.Fatal(err)
	}
	var paths []string
	err := filepath.WalkDir(*src, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		log.Fatal(err)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 128<<10)
			for i := range next {
				if err := copyHash(paths[i], filepath.Join(*dst, strconv.Itoa(i)), buf); err != nil {
					log.Fatal(err)
				}
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := syncfs.Dir(*dst); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("floor: %d files\n", len(paths))
}

func copyHash(from, to string, buf []byte) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	h := sha256.New()
	for {
		n, rerr := io.ReadFull(in, buf)
		h.Write(buf[:n])
		if _, err := out.Write(buf[:n]); err != nil {
			out.Close()
			return err
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			out.Close()
			return rerr
		}
	}
	return out.Close()
}
