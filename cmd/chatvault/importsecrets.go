package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/chatvault/chatvault/importer"
)

// importerFlags offers every importer's own options once, and asks for the secret ones (database
// keys, backup passwords) the way the vault's password is asked for: --NAME-file,
// --NAME-command, CHATVAULT_NAME, or a prompt on the terminal.
type importerFlags struct {
	values   map[string]*string
	files    map[string]*string
	commands map[string]*string
}

func (o *importerFlags) addFlags(f *pflag.FlagSet) {
	o.values, o.files, o.commands = map[string]*string{}, map[string]*string{}, map[string]*string{}
	for _, fl := range importer.AllFlags() {
		if fl.Secret {
			o.files[fl.Name] = f.String(fl.Name+"-file", "", "file holding the "+fl.Usage+" (or set "+secretEnv(fl.Name)+")")
			o.commands[fl.Name] = f.String(fl.Name+"-command", "", "command that prints the "+fl.Usage)
			continue
		}
		o.values[fl.Name] = f.String(fl.Name, "", fl.Usage)
	}
}

// Values are the plain options the user gave.
func (o *importerFlags) Values() map[string]string {
	out := map[string]string{}
	for k, v := range o.values {
		if *v != "" {
			out[k] = *v
		}
	}
	return out
}

func secretEnv(name string) string {
	return "CHATVAULT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// Secret implements importer.Secrets.
func (o *importerFlags) Secret(ctx context.Context, name, prompt string) ([]byte, error) {
	if p := o.files[name]; p != nil && *p != "" {
		b, err := os.ReadFile(*p)
		if err != nil {
			return nil, fmt.Errorf("--%s-file: %w", name, err)
		}
		return []byte(strings.TrimRight(string(b), "\r\n")), nil
	}
	if c := o.commands[name]; c != nil && *c != "" {
		s, err := runSecretCommand(*c)
		if err != nil {
			return nil, fmt.Errorf("--%s-command: %w", name, err)
		}
		return []byte(s), nil
	}
	if v := os.Getenv(secretEnv(name)); v != "" {
		return []byte(v), nil
	}
	s, err := askSecret(prompt + ": ")
	if err == errNoTerminal {
		return nil, fmt.Errorf("%s %w: give --%s-file, --%s-command or %s", prompt, importer.ErrNoSecret, name, name, secretEnv(name))
	}
	return []byte(s), err
}
