package testsrv

import (
	"strings"
	"testing"
)

// RcloneRemote makes an rclone remote over a temporary folder, defined in the environment
// (RCLONE_CONFIG_<NAME>_TYPE=local) so no rclone config file is touched, and returns the
// rclone://remote:path destination and the folder. It skips the test when rclone is not
// installed.
func RcloneRemote(t *testing.T, name string) (dest, dir string) {
	t.Helper()
	if findBinary("rclone") == "" {
		t.Skip("rclone not found: apt-get install rclone")
	}
	dir = t.TempDir()
	t.Setenv("RCLONE_CONFIG_"+strings.ToUpper(name)+"_TYPE", "local")
	return "rclone://" + name + ":" + dir + "/chats", dir
}
