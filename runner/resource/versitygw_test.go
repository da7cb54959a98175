package resource

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Test keys for the local S3 gateway.
const (
	testAK     = "AKIATESTKEY0001"
	testSK     = "testSecretKey/Do-Not-Leak+42"
	testRegion = "us-east-1"
)

// gateway is a versitygw process (posix backend) shared by the tests.
type gateway struct {
	url  string
	cmd  *exec.Cmd
	dir  string
	logs *bytes.Buffer
}

var (
	gwOnce sync.Once
	gw     *gateway
	gwErr  error
)

func TestMain(m *testing.M) {
	retryDelay = 10 * time.Millisecond
	code := m.Run()
	if gw != nil {
		gw.stop()
	}
	os.Exit(code)
}

// requireCI fails the test when CI=true (a missing part is a broken CI), and
// skips it otherwise.
func requireCI(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// versitygwPath finds the binary: $VERSITYGW, PATH, then $(go env GOPATH)/bin.
func versitygwPath() (string, error) {
	if p := os.Getenv("VERSITYGW"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err == nil {
		for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
			p := filepath.Join(dir, "bin", "versitygw")
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p, nil
			}
		}
	}
	return "", errors.New("versitygw not found on PATH or in $(go env GOPATH)/bin; install it with: go install github.com/versity/versitygw/cmd/versitygw@v1.8.0")
}

// s3Gateway starts the shared gateway on first use.
func s3Gateway(t testing.TB) *gateway {
	t.Helper()
	gwOnce.Do(func() { gw, gwErr = startGateway() })
	if gwErr != nil {
		if strings.Contains(gwErr.Error(), "not found") {
			requireCI(t, "%v", gwErr)
		}
		t.Fatalf("start versitygw: %v", gwErr)
	}
	return gw
}

func startGateway() (*gateway, error) {
	bin, err := versitygwPath()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "jobkit-vgw-")
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	g := &gateway{url: "http://" + addr, dir: dir, logs: &bytes.Buffer{}}
	g.cmd = exec.Command(bin, "--port", addr, "--access", testAK, "--secret", testSK,
		"--region", testRegion, "--quiet", "posix", dir)
	g.cmd.Stdout, g.cmd.Stderr = g.logs, g.logs
	if err := g.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- g.cmd.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(g.url)
		if err == nil {
			resp.Body.Close()
			return g, nil
		}
		select {
		case err := <-exited:
			os.RemoveAll(dir)
			return nil, fmt.Errorf("versitygw exited (%v): %s", err, g.logs)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			g.stop()
			return nil, fmt.Errorf("versitygw not ready after 20s: %s", g.logs)
		}
	}
}

func (g *gateway) stop() {
	if g.cmd.Process != nil {
		g.cmd.Process.Kill()
	}
	os.RemoveAll(g.dir)
}

// do sends an admin request signed with the test keys and fails on non-2xx.
func (g *gateway) do(t testing.TB, method, p string, q url.Values, body []byte) {
	t.Helper()
	ep, _ := url.Parse(g.url)
	req, err := http.NewRequest(method, awsURL(ep, p, q).String(), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	signV4Payload(req, awsCreds{testAK, testSK, testRegion}, time.Now(), hex.EncodeToString(sum[:]))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, p, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %s %s", method, p, resp.Status, msg)
	}
}

// bucket creates a bucket with a unique name and the given objects.
func (g *gateway) bucket(t testing.TB, objects map[string][]byte) string {
	t.Helper()
	name := fmt.Sprintf("b%d-%s", time.Now().UnixNano()%1e9, strings.ToLower(strings.NewReplacer("/", "-", "_", "-").Replace(t.Name())))
	if len(name) > 63 {
		name = name[:63]
	}
	name = strings.TrimRight(name, "-")
	g.do(t, http.MethodPut, "/"+name, nil, nil)
	for k, v := range objects {
		g.do(t, http.MethodPut, "/"+name+"/"+k, nil, v)
	}
	return name
}

// public lets anyone list and read the bucket.
func (g *gateway) public(t testing.TB, bucket string) {
	t.Helper()
	policy := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",`+
		`"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::%s","arn:aws:s3:::%s/*"]}]}`, bucket, bucket)
	g.do(t, http.MethodPut, "/"+bucket, url.Values{"policy": {""}}, []byte(policy))
}

// fetch runs Cache.Fetch with a fresh cache unless one is given.
func fetchIn(t testing.TB, c *Cache, spec Spec) (Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return c.Fetch(ctx, spec, nil)
}
