// Package share encodes job documents into editor share links and back.
//
// A share link carries the whole document in the URL fragment, so nothing is
// stored on a server:
//
//	https://host/#1<base64url(deflate-raw(document))>
//
// The "1" is the format version. The payload is raw DEFLATE (RFC 1951, what
// the browser's CompressionStream("deflate-raw") writes) encoded with the
// URL-safe base64 alphabet without padding (RFC 4648 §5). The browser editor
// (web/share.js) writes and reads the same format; TestBrowserLink pins it
// against a link produced by a real browser.
package share

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Version is the share-link format version written by Encode.
const Version = '1'

// MaxSize is the largest document Decode will inflate, so that a hostile
// link cannot make jobkit allocate without bound.
const MaxSize = 16 << 20

// Encode returns the URL fragment, "#" included, that carries text. Append it
// to the editor's address to get a link.
func Encode(text []byte) string {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression) // only fails for a bad level
	w.Write(text)                                        // writes to a bytes.Buffer cannot fail
	w.Close()
	return "#" + string(Version) + base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// IsLink reports whether s looks like a share link or fragment rather than a
// file name: it contains "#1" followed by payload.
func IsLink(s string) bool {
	_, frag, ok := strings.Cut(s, "#")
	return ok && len(frag) > 1 && frag[0] == Version
}

// Decode returns the document carried by a share link. link may be a full
// URL ("http://127.0.0.1:8080/#1…") or just the fragment, with or without
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
	if frag[0] != Version {
		return nil, fmt.Errorf("share link format %q is not supported by this jobkit (it reads format %q); update jobkit", frag[:1], string(Version))
	}
	payload := strings.TrimRight(frag[1:], "=")
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("share link is damaged (not base64url): %w", err)
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
	return text, nil
}
