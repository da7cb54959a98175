package resource

import (
	"sync"
	"time"
)

// Phase says what an Update is about.
type Phase int

const (
	// Started: the file list is known (Files, and Total or -1).
	Started Phase = iota
	// Downloading: File advanced to FileBytes of FileSize (-1 unknown).
	Downloading
	// FileDone: File is complete and verified.
	FileDone
	// Retrying: File failed in a way that may pass and starts again.
	Retrying
	// Done: every file is in the cache.
	Done
	// Cached: the resource was already in the cache; nothing was downloaded.
	Cached
	// Failed: the download stopped; Fetch returns the error.
	Failed
)

// Update is one progress report. It never contains credentials.
type Update struct {
	// Resource names the request for people, e.g. "s3://models/llama" or
	// "hf:org/model@main".
	Resource string
	Phase    Phase
	// File is the path inside the resource for Downloading, FileDone and
	// Retrying.
	File      string
	FileBytes int64
	FileSize  int64 // -1: unknown
	// Bytes and Total count the whole resource (Total -1: unknown).
	Bytes, Total int64
	// FilesDone of Files are complete.
	FilesDone, Files int
}

// Progress receives updates. Calls for one Fetch never overlap, so an
// implementation need not lock; Downloading updates come at most every
// 200 ms per resource. NewBar and NewLines print them; ProgressFunc adapts a
// function (for example to forward them into a job's log).
type Progress interface {
	Update(Update)
}

// ProgressFunc adapts a function to Progress.
type ProgressFunc func(Update)

// Update calls f(u).
func (f ProgressFunc) Update(u Update) { f(u) }

// progressEvery limits Downloading updates.
const progressEvery = 200 * time.Millisecond

// reporter turns downloader events into serialised Updates.
type reporter struct {
	mu    sync.Mutex
	p     Progress
	state Update
	last  time.Time
}

func newReporter(p Progress, label string) *reporter {
	if f, ok := p.(ProgressFunc); ok && f == nil {
		p = nil
	}
	return &reporter{p: p, state: Update{Resource: label, Total: -1, FileSize: -1}}
}

func (r *reporter) emit(ph Phase, file string, fileBytes, fileSize int64) {
	if r.p == nil {
		return
	}
	u := r.state
	u.Phase, u.File, u.FileBytes, u.FileSize = ph, file, fileBytes, fileSize
	r.p.Update(u)
}

func (r *reporter) start(files int, total int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state.Files, r.state.Total = files, total
	r.emit(Started, "", 0, -1)
}

// fileProgress records n more bytes of name (done of size so far).
func (r *reporter) fileProgress(name string, done, size, n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state.Bytes += n
	if now := time.Now(); now.Sub(r.last) >= progressEvery {
		r.last = now
		r.emit(Downloading, name, done, size)
	}
}

func (r *reporter) fileDone(name string, size int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state.FilesDone++
	r.emit(FileDone, name, size, size)
}

// fileRetry takes back the written bytes of a failed attempt.
func (r *reporter) fileRetry(name string, written int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state.Bytes -= written
	r.emit(Retrying, name, 0, -1)
}

func (r *reporter) done() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.emit(Done, "", 0, -1)
}

func (r *reporter) cached(files int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state.Files, r.state.FilesDone = files, files
	r.emit(Cached, "", 0, -1)
}

func (r *reporter) failed(error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.emit(Failed, "", 0, -1)
}
