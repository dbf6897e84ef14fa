// Package syncfs flushes a whole filesystem to its disk: one call that makes durable every file
// written there so far, where syncing thousands of files one by one would cost a flush each. It
// also starts a file's write-out early, so that flush has less left to wait for.
package syncfs
