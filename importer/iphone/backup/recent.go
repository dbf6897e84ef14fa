package backup

import "sync"

// recentLookups remembers the answers of the latest Manifest.db lookups, found or not. A media
// file is looked up twice in quick succession (Stat by the importer, Open by a copying worker),
// through a view that tries HomeDomain before MediaDomain: six queries for one file, three with
// this. The backup does not change while it is open (Manifest.db is opened immutable), so an
// answer stays right; the memory is bounded by forgetting everything when full.
type recentLookups struct {
	mu sync.Mutex
	m  map[string]recentLookup
}

type recentLookup struct {
	info  fileInfo
	found bool
}

const recentLookupsMax = 4096

func (r *recentLookups) get(key string) (info fileInfo, found, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	l, ok := r.m[key]
	return l.info, l.found, ok
}

func (r *recentLookups) put(key string, info fileInfo, found bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil || len(r.m) >= recentLookupsMax {
		r.m = make(map[string]recentLookup)
	}
	r.m[key] = recentLookup{info, found}
}
