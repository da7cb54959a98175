package results

import (
	"reflect"
	"strings"
	"testing"

	"github.com/jobkit-dev/jobkit/core/nosana"
)

func TestExtract(t *testing.T) {
	job, err := nosana.Decode([]byte(`{"version":"0.1","type":"container","ops":[{"id":"a","type":"container/run","args":{"image":"x"},
	  "results":{"sum":"[0-9a-f]{8}","url":{"regex":"listening on (\\S+)","logType":["stderr"]},"opt":"v(x)?=(\\d+)","bad":"(?<=a)b","star":"*"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	lines := []Line{
		{Type: "stdout", Log: "checksum deadbeef ok"},
		{Type: "stdout", Log: "listening on http://x:1"}, // wrong log type for url
		{Type: "stderr", Log: "listening on http://y:2"},
		{Type: "stdout", Log: "v=7"},
		{Type: "stdout", Log: "cafebabe12"},
	}
	got := Extract(job.Ops[0], lines)
	want := map[string][]string{
		"sum":  {"deadbeef", "cafebabe"},
		"url":  {"listening on http://y:2", "http://y:2"},
		"opt":  {"v=7", "", "7"},
		"star": {"", "", "", "", ""}, // "/*" matches the empty string on every line
	}
	for k, w := range want {
		if !reflect.DeepEqual(got[k].Matches, w) || got[k].Error != "" {
			t.Errorf("%s = %#v, want %#v", k, got[k], w)
		}
	}
	if !strings.Contains(got["bad"].Error, "Invalid regular expression") {
		t.Errorf("lookbehind should be an error result, got %#v", got["bad"])
	}
	if l := Lists(got); l["bad"][0] != got["bad"].Error || len(l["sum"]) != 2 {
		t.Errorf("Lists = %#v", l)
	}
}
