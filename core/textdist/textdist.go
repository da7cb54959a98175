// Package textdist measures how far apart two words are, for the "did you
// mean" suggestions of every layer (schema keys, Nomad keys, op ids, port
// labels). Distances count bytes; words longer than MaxLen are never close.
package textdist

// MaxLen is the longest word compared; longer words are Far apart (unless
// equal), which bounds the work and keeps the rows on the stack.
const MaxLen = 64

// Far is the distance reported for words too long to compare.
const Far = 1 << 20

// Levenshtein is the number of single-byte insertions, deletions and
// substitutions that turn a into b.
func Levenshtein(a, b string) int {
	if len(a) > MaxLen || len(b) > MaxLen {
		return far(a, b)
	}
	var rows [2][MaxLen + 1]int
	prev, cur := rows[0][:len(b)+1], rows[1][:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// OSA is the optimal string alignment distance: Levenshtein plus swaps of
// two adjacent bytes, so "imgae" is one step from "image".
func OSA(a, b string) int {
	if len(a) > MaxLen || len(b) > MaxLen {
		return far(a, b)
	}
	var rows [3][MaxLen + 1]int
	prev2, prev, cur := rows[0][:len(b)+1], rows[1][:len(b)+1], rows[2][:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func far(a, b string) int {
	if a == b {
		return 0
	}
	return Far
}
