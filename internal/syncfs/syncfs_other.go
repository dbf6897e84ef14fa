//go:build !unix

package syncfs

import "os"

// Dir does nothing here: Windows can flush a whole volume only with administrator rights.
func Dir(string) error { return nil }

// StartWriteback does nothing here.
func StartWriteback(*os.File) {}

// StartWritebackPath does nothing here.
func StartWritebackPath(string) {}
