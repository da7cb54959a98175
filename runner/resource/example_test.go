package resource_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/jobkit-dev/jobkit/runner/resource"
)

// The engine fetches each resource, then bind-mounts Result.Dir at the
// resource's target (read-only unless it is an S3 resource with AllowWrite,
// whose private copy it releases after the run).
func ExampleCache_Fetch() {
	cache := &resource.Cache{Dir: "/var/cache/jobkit/resources"}
	spec := resource.HF{Repo: "TinyLlama/TinyLlama-1.1B-Chat-v1.0", Files: []string{"config.json"}}
	res, err := cache.Fetch(context.Background(), spec, resource.NewLines(os.Stderr, 5*time.Second))
	if err != nil {
		fmt.Println(err) // e.g. "download hf:…@main: repository info: repository … not found or private: set accessToken or HF_TOKEN"
		return
	}
	defer cache.Release(res)
	fmt.Println(res.Dir, res.Files, res.Cached)
}
