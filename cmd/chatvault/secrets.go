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

	"github.com/chatvault/chatvault/internal/config"
	"github.com/chatvault/chatvault/internal/keyring"
)

// secretOptions are the ways a command can be given a vault's password or recovery key. The
// order, as restic has it: --password-file, --password-command, CHATVAULT_PASSWORD,
// CHATVAULT_PASSWORD_FILE, CHATVAULT_PASSWORD_COMMAND, the vault's own source (a file, a
// command or the OS keyring, see `chatvault vault set`), then a prompt on the terminal.
// Passwords never go on the command line itself, where other users of the machine could read
// them.
type secretOptions struct {
	passwordFile    string
	passwordCommand string
	recoveryKey     string
}

func (o *secretOptions) addFlags(f *pflag.FlagSet) {
	f.StringVar(&o.passwordFile, "password-file", "", "read the vault password from this file (first line; env CHATVAULT_PASSWORD_FILE)")
	f.StringVar(&o.passwordCommand, "password-command", "", "run this command and use its output as the vault password (env CHATVAULT_PASSWORD_COMMAND)")
	f.StringVar(&o.recoveryKey, "recovery-key", "", "use the recovery key instead of the password: the key, or - to be asked (env CHATVAULT_RECOVERY_KEY)")
}

// errNoTerminal is askSecret's "nobody to ask"; callers say which sources would do instead.
var errNoTerminal = errors.New("no terminal to ask on")

// vaultSecrets is a configured vault's own password source.
type vaultSecrets struct {
	name    string
	file    string
	command string
	keyring bool
}

func vaultSecretsOf(name string, v *config.Vault) vaultSecrets {
	if v == nil {
		return vaultSecrets{name: name}
	}
	return vaultSecrets{name: name, file: config.ExpandHome(v.PasswordFile), command: v.PasswordCommand, keyring: v.PasswordKeyring}
}

// noPasswordError names every source, so an unattended run can be fixed from the message alone.
func noPasswordError(vaultName string) error {
	return fmt.Errorf("no password given for vault %s and no terminal to ask on: use --password-file or --password-command, "+
		"CHATVAULT_PASSWORD_FILE, CHATVAULT_PASSWORD_COMMAND or CHATVAULT_PASSWORD, or give the vault a source of its own "+
		"with `chatvault vault set %s --password-file FILE` (or --password-command CMD, or --password-keyring)", vaultName, vaultName)
}

// password returns the password from the first source that has one, and whether it was typed on
// the terminal (so that a retry makes sense); prompt is shown when asking.
func (o *secretOptions) password(prompt string, vs vaultSecrets) (string, bool, error) {
	switch {
	case o.passwordFile != "":
		pw, err := readSecretFile(o.passwordFile)
		return pw, false, err
	case o.passwordCommand != "":
		pw, err := runSecretCommand(o.passwordCommand)
		return pw, false, err
	}
	if pw, ok, err := envPassword(); ok || err != nil {
		return pw, false, err
	}
	switch {
	case vs.file != "":
		pw, err := readSecretFile(vs.file)
		return pw, false, err
	case vs.command != "":
		pw, err := runSecretCommand(vs.command)
		return pw, false, err
	case vs.keyring:
		pw, err := keyring.Get(vs.name)
		if err == nil {
			return pw, false, nil
		}
		kerr := fmt.Errorf("vault %s keeps its password in the keyring, but %w", vs.name, err)
		if !haveTerminal() {
			return "", false, fmt.Errorf("%w: give it with CHATVAULT_PASSWORD_FILE or CHATVAULT_PASSWORD_COMMAND, or change the vault's source with `chatvault vault set %s --password-file FILE`", kerr, vs.name)
		}
		fmt.Fprintf(os.Stderr, "chatvault: %v; asking instead.\n", kerr)
	}
	pw, err := askSecret(prompt)
	if errors.Is(err, errNoTerminal) {
		return "", false, noPasswordError(vs.name)
	}
	return pw, true, err
}

// envPassword reads the password sources in the environment: CHATVAULT_PASSWORD, then
// CHATVAULT_PASSWORD_FILE, then CHATVAULT_PASSWORD_COMMAND. ok is false when none is set.
func envPassword() (pw string, ok bool, err error) {
	if pw := os.Getenv("CHATVAULT_PASSWORD"); pw != "" {
		return pw, true, nil
	}
	if f := os.Getenv("CHATVAULT_PASSWORD_FILE"); f != "" {
		pw, err := readSecretFile(config.ExpandHome(f))
		if err != nil {
			err = fmt.Errorf("CHATVAULT_PASSWORD_FILE: %w", err)
		}
		return pw, true, err
	}
	if c := os.Getenv("CHATVAULT_PASSWORD_COMMAND"); c != "" {
		pw, err := runSecretCommand(c)
		if err != nil {
			err = fmt.Errorf("CHATVAULT_PASSWORD_COMMAND: %w", err)
		}
		return pw, true, err
	}
	return "", false, nil
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
		if errors.Is(err, errNoTerminal) {
			err = errors.New("--recovery-key -: no terminal to ask on: give the key itself, or CHATVAULT_RECOVERY_KEY")
		}
		return s, true, err
	}
	return k, true, nil
}

// initialPassword is a new vault's password: from --password-file, --password-command,
// CHATVAULT_NEW_PASSWORD, the CHATVAULT_PASSWORD* variables, or the file or command the vault
// was added with; else asked twice.
func (o *secretOptions) initialPassword(what string, vs vaultSecrets) (string, error) {
	given := func() (string, bool, error) {
		switch {
		case o.passwordFile != "":
			pw, err := readSecretFile(o.passwordFile)
			return pw, true, err
		case o.passwordCommand != "":
			pw, err := runSecretCommand(o.passwordCommand)
			return pw, true, err
		case os.Getenv("CHATVAULT_NEW_PASSWORD") != "":
			return os.Getenv("CHATVAULT_NEW_PASSWORD"), true, nil
		}
		if pw, ok, err := envPassword(); ok || err != nil {
			return pw, ok, err
		}
		switch {
		case vs.file != "":
			pw, err := readSecretFile(vs.file)
			return pw, true, err
		case vs.command != "":
			pw, err := runSecretCommand(vs.command)
			return pw, true, err
		}
		return "", false, nil
	}
	return newPassword(what, given, "use --password-file or --password-command, CHATVAULT_PASSWORD_FILE, CHATVAULT_PASSWORD_COMMAND or CHATVAULT_PASSWORD")
}

// changedPassword is the new password of `passwd`: from --new-password-file or
// CHATVAULT_NEW_PASSWORD (the other sources give the current one), else asked twice.
func changedPassword(what, newFile string) (string, error) {
	given := func() (string, bool, error) {
		if newFile != "" {
			pw, err := readSecretFile(newFile)
			return pw, true, err
		}
		pw := os.Getenv("CHATVAULT_NEW_PASSWORD")
		return pw, pw != "", nil
	}
	return newPassword(what, given, "use --new-password-file FILE or CHATVAULT_NEW_PASSWORD")
}

// newPassword takes a new password from given, or asks for it twice on the terminal; hint says
// which sources would do when there is no terminal.
func newPassword(what string, given func() (string, bool, error), hint string) (string, error) {
	if p, ok, err := given(); err != nil {
		return "", err
	} else if ok {
		if len(p) < 8 {
			return "", usagef("the password must have at least 8 characters")
		}
		return p, nil
	}
	for {
		p, err := askSecret(fmt.Sprintf("New password for %s: ", what))
		if errors.Is(err, errNoTerminal) {
			return "", fmt.Errorf("no new password given for %s and no terminal to ask on: %s", what, hint)
		}
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

// haveTerminal reports whether askSecret has someone to ask.
func haveTerminal() bool {
	if tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0); err == nil {
		defer tty.Close()
		return term.IsTerminal(int(tty.Fd()))
	}
	return term.IsTerminal(int(os.Stdin.Fd()))
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
