package resource

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"
)

// blockSize is the unit of reading, writing and hashing.
const blockSize = 1 << 20

// copyHashed copies r to w in blocks and feeds every written block to the
// hashes on another goroutine, so that hashing overlaps the network and the
// disk instead of adding to them. It returns the bytes written, a write error
// and a read error (io.EOF is not an error).
func copyHashed(w io.Writer, r io.Reader, hashes []hash.Hash) (n int64, werr, rerr error) {
	const inFlight = 4
	free := make(chan []byte, inFlight)
	for range inFlight {
		free <- make([]byte, blockSize)
	}
	var work chan []byte
	hashed := make(chan struct{})
	if len(hashes) > 0 {
		work = make(chan []byte, inFlight)
		go func() {
			defer close(hashed)
			for b := range work {
				for _, h := range hashes {
					h.Write(b)
				}
				free <- b[:cap(b)]
			}
		}()
	} else {
		close(hashed)
	}
	defer func() {
		if work != nil {
			close(work)
		}
		<-hashed
	}()
	for {
		buf := <-free
		k, err := io.ReadFull(r, buf)
		if k > 0 {
			m, err := w.Write(buf[:k])
			n += int64(m)
			if err != nil {
				return n, err, nil
			}
		}
		if work != nil && k > 0 {
			work <- buf[:k]
		} else {
			free <- buf
		}
		switch {
		case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
			return n, nil, nil
		case err != nil:
			return n, nil, err
		}
	}
}

// watchedReader reports progress and feeds the stall watchdog on every read,
// however small.
type watchedReader struct {
	r        io.Reader
	watchdog *time.Timer
	rep      *reporter
	name     string
	size, n  int64
}

func (w *watchedReader) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if n > 0 {
		w.n += int64(n)
		w.watchdog.Reset(stallTimeout)
		w.rep.fileProgress(w.name, w.n, w.size, int64(n))
	}
	return n, err
}

// sums holds the hashes a download is checked against.
type sums struct {
	sha256, md5, sha1 hash.Hash
}

func newSums(want expect) *sums {
	s := &sums{}
	if want.sha256 != "" {
		s.sha256 = sha256.New()
	}
	if want.md5 != "" {
		s.md5 = md5.New()
	}
	if want.gitSHA1 != "" && want.size >= 0 {
		s.sha1 = sha1.New()
		fmt.Fprintf(s.sha1, "blob %d\x00", want.size)
	}
	return s
}

func (s *sums) hashes() []hash.Hash {
	var out []hash.Hash
	for _, h := range []hash.Hash{s.sha256, s.md5, s.sha1} {
		if h != nil {
			out = append(out, h)
		}
	}
	return out
}

// verify compares the hashes with what the server announced. Call it only
// after copyHashed returned.
func (s *sums) verify(want expect) error {
	check := func(kind string, h hash.Hash, wantHex string) error {
		if h == nil {
			return nil
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != wantHex {
			return fmt.Errorf("%s mismatch: got %s, the server announced %s (the download is corrupt or was changed while downloading)", kind, got, wantHex)
		}
		return nil
	}
	if err := check("sha256", s.sha256, want.sha256); err != nil {
		return err
	}
	if err := check("md5", s.md5, want.md5); err != nil {
		return err
	}
	return check("git blob sha1", s.sha1, want.gitSHA1)
}
