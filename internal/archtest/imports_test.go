// Package archtest checks the import rules that keep the architecture what docs/ARCHITECTURE.md
// says it is.
package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/chatvault/chatvault"

// packages lists the module's packages with their direct imports (not their tests': a test may
// read the archive's rows or render a page to check an importer).
func packages(t *testing.T, args ...string) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-f", `{{.ImportPath}}:{{join .Imports " "}}`}, args...)...)
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		name, imports, _ := strings.Cut(line, ":")
		pkgs[name] = strings.Fields(imports)
	}
	return pkgs
}

func rel(p string) string { return strings.TrimPrefix(strings.TrimPrefix(p, module), "/") }

// Only the vault imports kopia: everything else sees the vault's own small API.
func TestOnlyVaultImportsKopia(t *testing.T) {
	for pkg, imports := range packages(t, "./...") {
		if r := rel(pkg); r == "vault" || strings.HasPrefix(r, "vault/") || strings.HasPrefix(r, "bench/vault") {
			continue
		}
		for _, imp := range imports {
			if strings.HasPrefix(imp, "github.com/kopia/") {
				t.Errorf("%s imports %s: only the vault may", rel(pkg), imp)
			}
		}
	}
}

// Importers import only the archive, the importer framework, their own sub-packages and small
// internal helpers: never the vault, the dump, exports, the viewer or the command line.
func TestImportersImportOnlyArchiveAndFramework(t *testing.T) {
	allowed := []string{"archive", "importer", "internal/"}
	for pkg, imports := range packages(t, "./importer/...") {
		if rel(pkg) == "importer/importertest" {
			continue // the conformance suite round-trips through the dump on purpose
		}
		for _, imp := range imports {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			r := rel(imp)
			ok := false
			for _, a := range allowed {
				if r == a || (strings.HasSuffix(a, "/") && strings.HasPrefix(r, a)) || strings.HasPrefix(r, "importer/") {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%s imports %s: importers may use the archive and the importer framework only", rel(pkg), r)
			}
		}
	}
}

// Nothing outside the archive reads its tables with SQL; importers and the SQLite helpers read
// source databases, which is their job.
func TestOnlyArchiveUsesSQLForItsTables(t *testing.T) {
	for pkg, imports := range packages(t, "./...") {
		r := rel(pkg)
		if r == "archive" || strings.HasPrefix(r, "importer/") || strings.HasPrefix(r, "internal/sql") || strings.HasPrefix(r, "bench/") || strings.HasPrefix(r, "internal/archtest") || r == "internal/archivetest" {
			continue
		}
		for _, imp := range imports {
			if imp == "database/sql" {
				t.Errorf("%s imports database/sql: ask the archive instead", r)
			}
		}
	}
}

// Reading a dump (restore, browsing a snapshot) needs no kopia and no cloud SDK: the viewer and
// the dump build without them.
func TestDumpAndViewerBuildWithoutVault(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "./dump", "./viewer")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range []string{"github.com/kopia/", "cloud.google.com/", "github.com/Azure/", "github.com/minio/", "github.com/aws/", module + "/vault"} {
			if strings.HasPrefix(dep, bad) {
				t.Errorf("dump or viewer depends on %s", dep)
			}
		}
	}
}

// The binary compiles only what it runs (issue: a first `go run ./cmd/chatvault demo` took over 15
// minutes on a busy machine): no module that only the tests drive, and no kopia command line (the
// tests build kopia's CLI; chatvault talks to kopia's library).
func TestBinaryBuildsNoTestOnlyModule(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "./cmd/chatvault")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 100 {
		t.Fatalf("go list -deps ./cmd/chatvault gave %d packages: not the binary's dependencies", len(deps))
	}
	for _, dep := range deps {
		for _, bad := range []string{"github.com/chromedp/", "github.com/rogpeppe/go-internal/testscript", "github.com/versity/",
			"github.com/kopia/kopia/cli", "github.com/kopia/kopia/internal/server", "golang.org/x/net/webdav", "testing"} {
			if dep == bad || strings.HasPrefix(dep, bad+"/") || (strings.HasSuffix(bad, "/") && strings.HasPrefix(dep, bad)) {
				t.Errorf("the chatvault binary compiles %s, which only tests use", dep)
			}
		}
	}
}

// The "sqlite" driver is registered by internal/sqlitenomutex alone, so every connection the
// process opens (the archive's, an importer's, a test generator's, a benchmark's peer) is opened
// the same way.
func TestSQLiteDriverOnlyThroughSqlitenomutex(t *testing.T) {
	for pkg, imports := range packages(t, "./...") {
		if rel(pkg) == "internal/sqlitenomutex" {
			continue
		}
		for _, imp := range imports {
			if imp == "modernc.org/sqlite" {
				t.Errorf("%s imports modernc.org/sqlite: import internal/sqlitenomutex for the driver", rel(pkg))
			}
		}
	}
}
