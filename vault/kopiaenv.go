package vault

import (
	"os"
	"strings"
	"sync"
)

// ignoreKopiaEnvironment removes this process's KOPIA_* environment variables
// before the kopia library first runs. The library reads several of them at
// call time (KOPIA_CACHE_DIRECTORY replaces the cache folder a config names,
// KOPIA_REPOSITORY_FORMAT_VERSION changes what Initialize writes, others turn
// on debugging or skip checks). They are the settings of a user's own kopia:
// honoured here, KOPIA_CACHE_DIRECTORY made chatvault read that kopia
// repository's cached format blob and call a healthy vault damaged. A vault's
// settings are chatvault's own.
var ignoreKopiaEnvironment = sync.OnceFunc(func() {
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "KOPIA_") {
			os.Unsetenv(name)
		}
	}
})
