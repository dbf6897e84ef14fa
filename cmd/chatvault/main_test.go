package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"chatvault": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI scenarios in testdata/*.txtar: each one a user's session, with the
// messages they should see pinned.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata",
		Setup: func(env *testscript.Env) error {
			// Every scenario gets its own home: nothing touches the developer's real archive.
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("XDG_DATA_HOME", filepath.Join(env.WorkDir, ".local", "share"))
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, ".config"))
			env.Setenv("XDG_STATE_HOME", filepath.Join(env.WorkDir, ".local", "state"))
			env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".cache"))
			env.Setenv("CHATVAULT_TZ", "UTC")
			env.Setenv("CHATVAULT_PROGRESS", "0")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"recoverykey": cmdRecoveryKey,
			"viewer":      cmdViewer,
			"zip":         cmdZip,
			"truncate":    cmdDamage(func(b []byte) []byte { return b[:len(b)/2] }),
			"flip":        cmdDamage(func(b []byte) []byte { b[len(b)/2] ^= 0x01; return b }),
		},
	})
}

var recoveryKeyLine = regexp.MustCompile(`(?m)^\s+(\d{4}(?:[ -]\d{4}){15})\s*$`)

// cmdRecoveryKey sets $RECOVERY_KEY to the recovery key the last command printed, as a user
// would copy it from the screen.
func cmdRecoveryKey(ts *testscript.TestScript, neg bool, args []string) {
	m := recoveryKeyLine.FindStringSubmatch(ts.ReadFile("stdout"))
	if m == nil {
		ts.Fatalf("no recovery key in stdout")
	}
	ts.Setenv("RECOVERY_KEY", m[1])
}

// cmdDamage damages files at a vault's destination the way a failing disk or a careless hand
// would: each argument is a file, or a folder whose files are all damaged.
func cmdDamage(damage func([]byte) []byte) func(ts *testscript.TestScript, neg bool, args []string) {
	return func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) == 0 {
			ts.Fatalf("usage: truncate|flip PATH...")
		}
		for _, a := range args {
			err := filepath.WalkDir(ts.MkAbs(a), func(p string, e fs.DirEntry, err error) error {
				if err != nil || e.IsDir() {
					return err
				}
				b, err := os.ReadFile(p)
				if err != nil || len(b) == 0 {
					return err
				}
				return os.WriteFile(p, damage(b), 0o600)
			})
			ts.Check(err)
		}
	}
}
