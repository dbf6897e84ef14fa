// Package syncfs flushes a whole filesystem to its disk: one call that makes durable every file
// written there so far, where syncing thousands of files one by one would cost a flush each.
package syncfs
