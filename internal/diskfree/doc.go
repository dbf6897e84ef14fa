// Package diskfree says how many bytes an unprivileged process may still write on the
// filesystem holding a path, for work that must leave room for others (a spool beside the
// archive, on the disk a folder vault may share).
package diskfree
