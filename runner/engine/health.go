package engine

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/jobkit-dev/jobkit/core/nosana"
	"github.com/jobkit-dev/jobkit/runner/plan"
	"github.com/jobkit-dev/jobkit/runner/results"
)

// announcePorts prints where each exposed port is reachable.
func (e *Engine) announcePorts(step *plan.Step, ports []hostPort) {
	for _, hp := range ports {
		scheme := "http"
		for _, p := range step.Ports {
			if p.Port == hp.Container && p.Type == nosana.PortWebSocket {
				scheme = "ws"
			}
		}
		e.con.logf("op %s: port %d → %s://127.0.0.1:%d", step.OpID, hp.Container, scheme, hp.Host)
	}
}

// healthChecks runs the op's checks from the host: startup checks every
// HealthTick until all pass (then the op is ready), then the continuous ones
// every Continuous interval until the op ends.
func (e *Engine) healthChecks(ctx context.Context, r *opRun, step *plan.Step, ports []hostPort) {
	type check struct {
		hc   nosana.HealthCheck
		port int // container port
		addr string
	}
	var checks []check
	for _, p := range step.Ports {
		for _, hc := range p.HealthChecks {
			for _, hp := range ports {
				if hp.Container == p.Port {
					checks = append(checks, check{hc: hc, port: p.Port, addr: fmt.Sprintf("127.0.0.1:%d", hp.Host)})
				}
			}
		}
	}
	if len(checks) == 0 {
		return
	}
	pending := checks
	for len(pending) > 0 {
		var still []check
		for _, c := range pending {
			if err := runCheck(ctx, c.hc, c.addr); err != nil {
				still = append(still, c)
			} else {
				e.con.logf("op %s: port %d healthy (%s)", step.OpID, c.port, describe(c.hc, c.addr))
			}
		}
		pending = still
		if len(pending) == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(e.Opts.HealthTick):
		}
	}
	r.markReady()
	var continuous []check
	for _, c := range checks {
		if c.hc.Continuous {
			continuous = append(continuous, c)
		}
	}
	if len(continuous) == 0 {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(e.Opts.Continuous):
		}
		for _, c := range continuous {
			if err := runCheck(ctx, c.hc, c.addr); err != nil && ctx.Err() == nil {
				msg := fmt.Sprintf("health check failed on port %d (%s): %v", c.port, describe(c.hc, c.addr), err)
				r.addLog(results.Line{Type: nosana.LogNodeErr, Log: msg, Time: time.Now()})
				e.con.logf("op %s: %s", step.OpID, msg)
			}
		}
	}
}

func describe(hc nosana.HealthCheck, addr string) string {
	if hc.Type == "websocket" {
		return "websocket ws://" + addr
	}
	return fmt.Sprintf("%s http://%s%s", method(hc), addr, hc.Path)
}

func method(hc nosana.HealthCheck) string {
	if hc.Method == "" {
		return http.MethodGet
	}
	return hc.Method
}

// runCheck performs one check with a 5 s limit.
func runCheck(ctx context.Context, hc nosana.HealthCheck, addr string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if hc.Type == "websocket" {
		return websocketCheck(ctx, addr, hc.ExpectedResponse)
	}
	var body io.Reader
	if len(hc.Body) > 0 && string(hc.Body) != "null" {
		body = bytes.NewReader(hc.Body)
	}
	path := hc.Path
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	req, err := http.NewRequestWithContext(ctx, method(hc), "http://"+addr+path, body)
	if err != nil {
		return err
	}
	for k, v := range hc.Headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	want := hc.ExpectedStatus
	if want == 0 {
		want = http.StatusOK
	}
	if resp.StatusCode != want {
		return fmt.Errorf("status %d, want %d", resp.StatusCode, want)
	}
	return nil
}

// websocketCheck opens a WebSocket on addr and, when expected is set, waits
// for a text message containing it.
func websocketCheck(ctx context.Context, addr, expected string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	keyBytes := make([]byte, 16)
	_, _ = rand.Read(keyBytes)
	key := base64.StdEncoding.EncodeToString(keyBytes)
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", addr, key)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return fmt.Errorf("websocket handshake: %w", err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		return fmt.Errorf("websocket handshake: status %d, want 101", resp.StatusCode)
	}
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		return fmt.Errorf("websocket handshake: wrong Sec-WebSocket-Accept")
	}
	if expected == "" {
		return nil
	}
	for {
		op, payload, err := readFrame(br)
		if err != nil {
			return fmt.Errorf("websocket: no message containing %q: %w", expected, err)
		}
		if (op == 1 || op == 2) && strings.Contains(string(payload), expected) {
			return nil
		}
	}
}

// readFrame reads one unmasked server frame (fragmentation is not joined).
func readFrame(r *bufio.Reader) (op byte, payload []byte, err error) {
	var h [2]byte
	if _, err = io.ReadFull(r, h[:]); err != nil {
		return
	}
	op = h[0] & 0x0f
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		if _, err = io.ReadFull(r, b[:]); err != nil {
			return
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err = io.ReadFull(r, b[:]); err != nil {
			return
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	if n > 1<<20 {
		return 0, nil, fmt.Errorf("frame of %d bytes is too large", n)
	}
	var mask [4]byte
	masked := h[1]&0x80 != 0
	if masked {
		if _, err = io.ReadFull(r, mask[:]); err != nil {
			return
		}
	}
	payload = make([]byte, n)
	if _, err = io.ReadFull(r, payload); err != nil {
		return
	}
	if masked {
		for i := range payload {
			payload[i] ^= mask[i%4]
		}
	}
	return op, payload, nil
}
