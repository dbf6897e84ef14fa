//go:build !unix

package syncfs

// Dir does nothing here: Windows can flush a whole volume only with administrator rights.
func Dir(string) error { return nil }
