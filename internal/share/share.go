// Package share encodes job documents into editor share links and back.
//
// A share link carries the whole document in the URL fragment, so nothing is
// stored on a server:
//
//	https://host/#2<base64url(crc32(document) ‖ deflate-raw(document))>
//
// The "2" is the format version. The payload is the CRC-32 (IEEE) of the
// document as 4 big-endian bytes, then the document compressed with raw
// DEFLATE (RFC 1951, what the browser's CompressionStream("deflate-raw")
// writes), all encoded with the URL-safe base64 alphabet without padding
// (RFC 4648 §5). The checksum catches a link changed in transit that still
// inflates (most one-character changes do, into a different document).
//
// Format 1, "#1<base64url(deflate-raw(document))>" without a checksum, is
// what editors before format 2 wrote; Decode still reads it.
//
// The browser editor (web/share.js) writes and reads the same formats;
// TestDecodeChromiumLink pins them against links produced by a real browser.
package share

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
)

// Version is the share-link format version written by Encode.
const Version = '2'

// legacyVersion is the format without a checksum, still read.
const legacyVersion = '1'

// MaxSize is the largest document Decode will inflate, so that a hostile
// link cannot make jobkit allocate without bound.
const MaxSize = 16 << 20

// Encode returns the URL fragment, "#" included, that carries text. Append it
// to the editor's address to get a link.
func Encode(text []byte) string {
	var buf bytes.Buffer
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], crc32.ChecksumIEEE(text))
	buf.Write(sum[:])
	w, _ := flate.NewWriter(&buf, flate.BestCompression) // only fails for a bad level
	w.Write(text)                                        // writes to a bytes.Buffer cannot fail
	w.Close()
	return "#" + string(Version) + base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// IsLink reports whether s looks like a share link or fragment rather than a
// file name: it contains "#" and a digit (a format version, known or not)
// followed by payload.
func IsLink(s string) bool {
	_, frag, ok := strings.Cut(s, "#")
	return ok && len(frag) > 1 && frag[0] >= '0' && frag[0] <= '9'
}

// Decode returns the document carried by a share link. link may be a full
// URL ("http://127.0.0.1:8080/#2…") or just the fragment, with or without
// its "#". The version character is required.
func Decode(link string) ([]byte, error) {
	frag := strings.TrimSpace(link)
	if _, after, ok := strings.Cut(frag, "#"); ok {
		frag = after
	} else if strings.Contains(frag, "://") {
		frag = "" // a URL without a fragment
	}
	if frag == "" {
		return nil, errors.New("share link has no #… part: copy the whole link from the editor's Share button")
	}
	if frag[0] != Version && frag[0] != legacyVersion {
		return nil, fmt.Errorf("share link format %q is not supported by this jobkit (it reads formats %q and %q); update jobkit", frag[:1], string(legacyVersion), string(Version))
	}
	payload := strings.TrimRight(frag[1:], "=")
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("share link is damaged (not base64url): %w", err)
	}
	var want uint32
	if frag[0] == Version {
		if len(raw) < 4 {
			return nil, errors.New("share link is damaged (too short): copy the whole link again")
		}
		want, raw = binary.BigEndian.Uint32(raw), raw[4:]
	}
	r := flate.NewReader(bytes.NewReader(raw))
	defer r.Close()
	text, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("share link is damaged (cannot inflate): %w", err)
	}
	if len(text) > MaxSize {
		return nil, fmt.Errorf("share link holds more than %d MiB; jobkit refuses to open it", MaxSize>>20)
	}
	if frag[0] == Version && crc32.ChecksumIEEE(text) != want {
		return nil, errors.New("share link is damaged (checksum mismatch): copy the whole link again")
	}
	return text, nil
}
