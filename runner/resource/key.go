package resource

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"strconv"
)

// keyVersion changes when the cache layout or the key inputs change.
const keyVersion = "jobkit-resource-v1"

// hashKey makes a cache key: kind, a dash and 32 hex digits of a sha256 over
// the parts. Each part is length-prefixed so that no two part lists collide.
func hashKey(kind string, parts ...string) string {
	h := sha256.New()
	var n [8]byte
	for _, p := range append([]string{keyVersion, kind}, parts...) {
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	return kind + "-" + hex.EncodeToString(h.Sum(nil))[:32]
}

// fileParts is a file list as key parts: its length, then the sorted,
// deduplicated names.
func fileParts(files []string) []string {
	set := fileSet(files)
	return append([]string{strconv.Itoa(len(set))}, set...)
}

// fileSet sorts and deduplicates a file list so that order does not change
// a key.
func fileSet(files []string) []string {
	out := slices.Clone(files)
	slices.Sort(out)
	return slices.Compact(out)
}
