// Package schedule runs chatvault unattended: it decides when each vault's backup is due, catches
// up once on runs missed while the machine was asleep or off, retries unreachable destinations
// with backoff, imports what appeared in watched folders, and records every outcome in a state
// file that `chatvault status` reads.
//
// The package is pure logic around three seams, so tests can simulate weeks in milliseconds:
//
//   - Clock gives the time and sleeps (SystemClock; ManualClock for tests);
//   - Jobs does the real work (import a file, back up, forget, maintain), implemented by the
//     command line on top of the importer and vault packages;
//   - State is a JSON file under $XDG_STATE_HOME/chatvault, written atomically, guarded by a
//     run lock so a timer, a daemon and a manual run never overlap.
//
// Sub-packages: watch (watched folders: when a file is complete, never the same content twice)
// and unit (systemd, launchd and Task Scheduler files that start a run at the planned times).
package schedule
