package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// secretOptions are the ways a command can be given a vault's password or recovery key. The
// order: --password-file, --password-command, CHATVAULT_PASSWORD, the vault's own settings,
// then a prompt on the terminal. Passwords never go on the command line itself, where other
// users of the machine could read them.
type secretOptions struct {
	passwordFile    string
	passwordCommand string
	recoveryKey     string
}

func (o *secretOptions) addFlags(f *pflag.FlagSet) {
	f.StringVar(&o.passwordFile, "password-file", "", "read the vault password from this file (first line)")
	f.StringVar(&o.passwordCommand, "password-command", "", "run this command and use its output as the vault password")
	f.StringVar(&o.recoveryKey, "recovery-key", "", "use the recovery key instead of the password: the key, or - to be asked (env CHATVAULT_RECOVERY_KEY)")
}

var errNoTerminal = errors.New("no password given and no terminal to ask on: use CHATVAULT_PASSWORD, --password-file or --password-command")

// password returns the password from the first source that has one; prompt is shown when
// asking on the terminal. vaultFile and vaultCommand come from the vault's settings.
func (o *secretOptions) password(prompt, vaultFile, vaultCommand string) (string, error) {
	switch {
	case o.passwordFile != "":
		return readSecretFile(o.passwordFile)
	case o.passwordCommand != "":
		return runSecretCommand(o.passwordCommand)
	case os.Getenv("CHATVAULT_PASSWORD") != "":
		return os.Getenv("CHATVAULT_PASSWORD"), nil
	case vaultFile != "":
		return readSecretFile(vaultFile)
	case vaultCommand != "":
		return runSecretCommand(vaultCommand)
	}
	return askSecret(prompt)
}

// useRecoveryKey reports whether the user chose the recovery key, and returns it.
func (o *secretOptions) useRecoveryKey() (string, bool, error) {
	k := o.recoveryKey
	if k == "" {
		k = os.Getenv("CHATVAULT_RECOVERY_KEY")
	}
	if k == "" {
		return "", false, nil
	}
	if k == "-" {
		s, err := askSecret("Recovery key: ")
		return s, true, err
	}
	return k, true, nil
}

// newPassword asks for a new password twice (or takes it from the non-interactive sources).
func (o *secretOptions) newPassword(what string) (string, error) {
	if o.passwordFile != "" || o.passwordCommand != "" || os.Getenv("CHATVAULT_NEW_PASSWORD") != "" {
		p := os.Getenv("CHATVAULT_NEW_PASSWORD")
		var err error
		if p == "" {
			p, err = o.password("", "", "")
		}
		if err == nil && len(p) < 8 {
			err = usagef("the password must have at least 8 characters")
		}
		return p, err
	}
	for {
		p, err := askSecret(fmt.Sprintf("New password for %s: ", what))
		if err != nil {
			return "", err
		}
		if len(p) < 8 {
			fmt.Fprintln(os.Stderr, "Use at least 8 characters (a few words are easier to remember than symbols).")
			continue
		}
		again, err := askSecret("Repeat it: ")
		if err != nil {
			return "", err
		}
		if p == again {
			return p, nil
		}
		fmt.Fprintln(os.Stderr, "The two passwords differ; try again.")
	}
}

func readSecretFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("password file: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimRight(line, "\r")
	if line == "" {
		return "", fmt.Errorf("password file %s is empty", path)
	}
	return line, nil
}

func runSecretCommand(command string) (string, error) {
	var cmd *exec.Cmd
	if runtime.GOOS == "windows" {
		cmd = exec.Command("cmd", "/C", command)
	} else {
		cmd = exec.Command("sh", "-c", command)
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("password command failed: %w", err)
	}
	line, _, _ := strings.Cut(out.String(), "\n")
	line = strings.TrimRight(line, "\r")
	if line == "" {
		return "", errors.New("password command printed nothing")
	}
	return line, nil
}

// askSecret reads a line from the terminal without echoing it.
func askSecret(prompt string) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		if !term.IsTerminal(int(os.Stdin.Fd())) {
			return "", errNoTerminal
		}
		tty = os.Stdin
	} else {
		defer tty.Close()
	}
	if !term.IsTerminal(int(tty.Fd())) {
		return "", errNoTerminal
	}
	fmt.Fprint(os.Stderr, prompt)
	b, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return "", err
	}
	return string(b), nil
}
