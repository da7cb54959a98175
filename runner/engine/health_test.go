package engine

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/nosana"
)

// wsServer answers the WebSocket handshake and sends one text message.
func wsServer(t *testing.T, message string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "websocket" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		conn, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		sum := sha1.Sum([]byte(r.Header.Get("Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
		rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
			base64.StdEncoding.EncodeToString(sum[:]) + "\r\n\r\n")
		rw.Write([]byte{0x81, byte(len(message))})
		rw.WriteString(message)
		rw.Flush() // then close: a client waiting for another message sees EOF
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func TestHealthChecks(t *testing.T) {
	ws := wsServer(t, `{"status":"ready"}`)
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.Header.Get("X-Probe") == "1" && r.URL.Path == "/health" {
			w.WriteHeader(http.StatusAccepted)
			return
		}
		w.WriteHeader(http.StatusNotFound)
	}))
	defer web.Close()
	webAddr := strings.TrimPrefix(web.URL, "http://")
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closedAddr := closed.Addr().String()
	closed.Close()
	tests := []struct {
		name string
		hc   nosana.HealthCheck
		addr string
		ok   bool
	}{
		{"http match", nosana.HealthCheck{Type: "http", Method: "POST", Path: "health", ExpectedStatus: 202, Headers: map[string]string{"X-Probe": "1"}}, webAddr, true},
		{"http wrong status", nosana.HealthCheck{Type: "http", Method: "GET", Path: "/health", ExpectedStatus: 200}, webAddr, false},
		{"http nothing listening", nosana.HealthCheck{Type: "http", Method: "GET", Path: "/", ExpectedStatus: 200}, closedAddr, false},
		{"websocket expected message", nosana.HealthCheck{Type: "websocket", ExpectedResponse: `"ready"`}, ws, true},
		{"websocket other message", nosana.HealthCheck{Type: "websocket", ExpectedResponse: "pong"}, ws, false},
		{"websocket on plain http", nosana.HealthCheck{Type: "websocket", ExpectedResponse: "x"}, webAddr, false},
	}
	for _, tc := range tests {
		err := runCheck(context.Background(), tc.hc, tc.addr)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}
