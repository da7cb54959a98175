package runnercli

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Every example that needs no GPU runs end to end against the daemon, with
// its images mapped to local ones; GPU examples must stop with the one clear
// GPU error on a daemon without a GPU runtime.
func TestExamples(t *testing.T) {
	needDocker(t)
	files, err := filepath.Glob("../../examples/*.json")
	if err != nil || len(files) < 5 {
		t.Fatalf("examples: %v %v", files, err)
	}
	s3 := fakeS3(t, map[string]string{
		"jobkit-datasets/imagenette/val/n01440764/img1.jpg": "fake jpeg one",
		"jobkit-datasets/imagenette/val/n02102040/img2.jpg": "fake jpeg number two",
		"jobkit-datasets/imagenette/val/labels.csv":         "img1,tench\nimg2,springer\n",
		"jobkit-datasets/reports/README":                    "reports land here\n",
	})
	imageMap := []string{
		"--image-map", "docker.io/library/busybox:1.36.1=" + busybox,
		"--image-map", "docker.io/nosana/pytorch-jupyter:2.0.0=" + busybox,
		"--image-map", "docker.io/vllm/vllm-openai:v0.6.3=" + busybox,
		"--image-map", "redis:7.4.1=" + busybox,
		"--infra-image", busybox,
	}
	checks := map[string]func(t *testing.T, r *runResult){
		"pipeline.json": func(t *testing.T, r *runResult) {
			wantCode(t, r, ExitOK)
			wantContains(t, "summary", r.logs(t, "summary"), "500 rows, sha256 ", "verified by "+r.runID+"-3")
			if v := r.op(t, "client").Results["verified"]; fmt.Sprint(v) != "[verified]" {
				t.Errorf("client results = %v", v)
			}
		},
		"s3-dataset.json": func(t *testing.T, r *runResult) {
			wantCode(t, r, ExitOK)
			res := r.op(t, "dataset-stats").Results
			if fmt.Sprint(res["files"]) != "[files=3 3]" || fmt.Sprint(res["bytes"]) != "[bytes=58 58]" {
				t.Errorf("results = %v", res)
			}
			for _, out := range []string{r.stdout, r.stderr, fmt.Sprint(r.raw)} {
				if strings.Contains(out, "replace-with-your-secret-access-key") {
					t.Error("the S3 secret key was printed")
				}
			}
		},
		"nomad-gpu-train.json": func(t *testing.T, r *runResult) {
			wantCode(t, r, ExitInfra)
			wantContains(t, "stderr", r.stderr, `task "train" (Job.TaskGroups[0].Tasks[0].Resources.Devices) needs a GPU, but the Docker daemon cannot give containers GPUs`, "--no-gpu")
		},
		"nomad-web-prestart.json": func(t *testing.T, r *runResult) {
			wantCode(t, r, ExitOK)
			wantContains(t, "stdout", squash(r.stdout), "smoke-test | <h1>WEB-SMOKE release 2026.12</h1>", "smoke-test | <p>built for web-smoke</p>", "smoke-test | smoke test passed")
			// The check ran; whether it passed before the leader (the smoke
			// test) ended depends on timing, so "passing" is not asserted
			// here (TestNomadServiceChecksAndCheckRestart covers it).
			wantContains(t, "stderr", r.stderr, `service "site-web" check "index" (http): `, "Leader Task Dead")
		},
		"jupyter.json":       wantGPUError,
		"llm-server-hf.json": wantGPUError,
		"nomad-redis.json": func(t *testing.T, r *runResult) {
			// redis:7.4.1 is mapped to busybox, which has no redis-server:
			// the runner got as far as starting the Nomad task.
			wantCode(t, r, ExitOpFailed)
			wantContains(t, "stderr", r.stderr, "Driver Failure", "redis-server")
		},
	}
	for _, f := range files {
		name := filepath.Base(f)
		check, ok := checks[name]
		if !ok {
			t.Errorf("no check for example %s", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			args := append([]string{"--s3-endpoint", s3, "--timeout", "2m"}, imageMap...)
			check(t, runJob(t, context.Background(), string(text), args...))
		})
	}
}

func wantGPUError(t *testing.T, r *runResult) {
	t.Helper()
	wantCode(t, r, ExitInfra)
	wantContains(t, "stderr", r.stderr, "needs a GPU (gpu: true), but the Docker daemon cannot give containers GPUs", "--no-gpu")
}

// fakeS3 serves objects ("bucket/key" → content) with path-style
// ListObjectsV2 and GetObject. It does not check signatures.
func fakeS3(t *testing.T, objects map[string]string) string {
	t.Helper()
	type content struct {
		Key  string `xml:"Key"`
		Size int    `xml:"Size"`
		ETag string `xml:"ETag"`
	}
	type listing struct {
		XMLName     xml.Name  `xml:"ListBucketResult"`
		Name        string    `xml:"Name"`
		Prefix      string    `xml:"Prefix"`
		KeyCount    int       `xml:"KeyCount"`
		IsTruncated bool      `xml:"IsTruncated"`
		Contents    []content `xml:"Contents"`
	}
	etag := func(s string) string {
		sum := md5.Sum([]byte(s))
		return `"` + hex.EncodeToString(sum[:]) + `"`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		if key == "" && r.URL.Query().Get("list-type") == "2" {
			prefix := r.URL.Query().Get("prefix")
			l := listing{Name: bucket, Prefix: prefix}
			for k, v := range objects {
				b, rest, _ := strings.Cut(k, "/")
				if b == bucket && strings.HasPrefix(rest, prefix) {
					l.Contents = append(l.Contents, content{Key: rest, Size: len(v), ETag: etag(v)})
				}
			}
			sort.Slice(l.Contents, func(i, j int) bool { return l.Contents[i].Key < l.Contents[j].Key })
			l.KeyCount = len(l.Contents)
			w.Header().Set("Content-Type", "application/xml")
			_ = xml.NewEncoder(w).Encode(l)
			return
		}
		v, ok := objects[bucket+"/"+key]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>not found</Message></Error>`)
			return
		}
		w.Header().Set("ETag", etag(v))
		w.Header().Set("Content-Length", fmt.Sprint(len(v)))
		if r.Method != http.MethodHead {
			fmt.Fprint(w, v)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestResourceMounts(t *testing.T) {
	needDocker(t)
	t.Parallel()
	s3 := fakeS3(t, map[string]string{"models/llama/config.json": `{"dim": 8}`, "scratch/seed.txt": "seed\n"})
	r := runJob(t, context.Background(), `{"version":"0.1","type":"container","ops":[{"id":"use","type":"container/run","args":{"image":"`+busybox+`",
	  "cmd":"cat /models/config.json; echo; touch /models/x 2>/dev/null && echo models-writable || echo models-read-only; cat /scratch/seed.txt; touch /scratch/y && echo scratch-writable",
	  "resources":[{"type":"S3","url":"s3://models/llama","target":"/models"},{"type":"S3","url":"s3://scratch","target":"/scratch","allowWrite":true}]}}]}`,
		"--s3-endpoint", s3)
	wantCode(t, r, ExitOK)
	if got := r.logs(t, "use"); got != "{\"dim\": 8}\nmodels-read-only\nseed\nscratch-writable\n" {
		t.Errorf("op printed %q", got)
	}
	wantContains(t, "stderr", r.stderr, "op use: resource /models ready (1 files")
}
