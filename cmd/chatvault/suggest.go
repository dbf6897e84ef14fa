package main

import (
	"fmt"
	"strings"
)

// unknownValue is the error for a flag's value outside a fixed set: the nearest values (a typo,
// or the start of a name), and all of them.
func unknownValue(flag, value string, names []string) error {
	msg := fmt.Sprintf("unknown %s %q", flag, value)
	if near := nearest(value, names); len(near) > 0 {
		msg += "; did you mean " + strings.Join(near, " or ") + "?"
	}
	return usagef(msg + " (one of: " + strings.Join(names, ", ") + ")")
}

// nearest returns the names within two edits of word, or whose first part ("telegram" of
// "telegram-json") is, or that start with it.
func nearest(word string, names []string) []string {
	w := strings.ToLower(word)
	var out []string
	for _, n := range names {
		l := strings.ToLower(n)
		head, _, _ := strings.Cut(l, "-")
		if editDistance(w, l) <= 2 || editDistance(w, head) <= 2 && len(w) > 3 || w != "" && strings.HasPrefix(l, w) {
			out = append(out, n)
		}
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	s, t := []rune(a), []rune(b)
	prev := make([]int, len(t)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(s); i++ {
		cur := make([]int, len(t)+1)
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(t)]
}
