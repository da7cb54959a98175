package schema

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

// nosanaSchema reads the Nosana job schema, the largest schema jobkit ships,
// for tests and benchmarks of this package.
var nosanaSchema = sync.OnceValues(func() ([]byte, error) {
	return os.ReadFile("../nosana/jobschema/schema.json")
})

func mustNosana(t testing.TB) *Schema {
	t.Helper()
	b, err := nosanaSchema()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Compile(b, Options{Aliases: map[string]Alias{"command": {To: "cmd"}}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// genJob writes a Nosana job of at least size bytes. With faults, every op
// carries one fault, cycling through kinds: a wrong type, an unknown key, a
// missing required field, a bad enum value, a missing health-check field.
// It returns the text and the number of faults.
func genJob(size int, faults bool) ([]byte, int) {
	var b strings.Builder
	b.WriteString("{\n  \"version\": \"0.1\",\n  \"type\": \"container\",\n  \"meta\": {\"trigger\": \"cli\", \"system_requirements\": {\"required_vram\": 16}},\n  \"ops\": [\n")
	n := 0
	for i := 0; b.Len() < size-40; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		gpu, key, image, method, cont := "true", "cmd", fmt.Sprintf(`"image": "docker.io/acme/app-%d:1.0", `, i), "GET", `, "continuous": true`
		if faults {
			switch i % 5 {
			case 0:
				gpu = `"yes"`
			case 1:
				key = "command"
			case 2:
				image = ""
			case 3:
				method = "FETCH"
			case 4:
				cont = ""
			}
			n++
		}
		fmt.Fprintf(&b, `    {
      "id": "op-%d",
      "type": "container/run",
      "args": {
        %s"%s": ["python", "serve.py", "--port", "8080"],
        "gpu": %s,
        "env": {"MODEL": "llama-%d", "PORT": "8080"},
        "expose": [{"port": 8080, "type": "web", "health_checks": [{"type": "http", "path": "/health", "method": "%s", "expected_status": 200%s}]}],
        "resources": [{"type": "HF", "repo": "acme/model-%d", "target": "/data/models"}]
      },
      "execution": {"group": "g%d"}
    }`, i, image, key, gpu, i, method, cont, i, i/10)
	}
	b.WriteString("\n  ]\n}\n")
	return []byte(b.String()), n
}
