package share

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"os"
	"strings"
	"testing"
)

// chromiumText is what testdata/chromium-link.txt holds: the link was made
// by the editor's Share button in Chromium 156 (CompressionStream
// "deflate-raw"), copied from build/screenshots/share-link.txt after
// `go -C e2e test -run TestShareLink .`. The e2e test checks the same thing
// live on every run; this pins the format without a browser.
const chromiumText = "{\n\t\"name\": \"été 🚀 \\u00e9\",\n  \"ops\": [\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"]\n}\n"

// TestDecodeChromiumLink decodes links made by the browser editor: format 1
// (chromium-link.txt, before checksums) and format 2 (chromium-link-v2.txt,
// made the same way by the editor with web/share.js format 2).
func TestDecodeChromiumLink(t *testing.T) {
	for _, file := range []string{"testdata/chromium-link.txt", "testdata/chromium-link-v2.txt"} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		link := strings.TrimSpace(string(b))
		_, frag, _ := strings.Cut(link, "#")
		for _, in := range []string{link, "#" + frag, frag, "  " + link + "\n"} {
			got, err := Decode(in)
			if err != nil {
				t.Fatalf("%s: Decode(%q): %v", file, in, err)
			}
			if string(got) != chromiumText {
				t.Errorf("%s: Decode(%q) = %q, want %q", file, in, got, chromiumText)
			}
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, text := range []string{
		"",
		"{}",
		chromiumText,
		strings.Repeat(`{"ops": [{"id": "x", "args": {"image": "ubuntu:22.04"}}]}`, 500),
		"\x00\xff not even UTF-8",
	} {
		frag := Encode([]byte(text))
		if !strings.HasPrefix(frag, "#2") || strings.ContainsAny(frag[1:], "+/=#") {
			t.Errorf("Encode(%.20q) = %.40q, want #2 + base64url without padding", text, frag)
		}
		if !IsLink("http://h/" + frag) {
			t.Errorf("IsLink does not recognise %.40q", frag)
		}
		got, err := Decode("http://localhost:8080/" + frag)
		if err != nil || string(got) != text {
			t.Errorf("round trip of %.20q: %.20q, %v", text, got, err)
		}
	}
}

// TestEncodeIsRawDeflate pins the payload format independently of Decode.
func TestEncodeIsRawDeflate(t *testing.T) {
	frag := Encode([]byte(chromiumText))
	raw, err := base64.RawURLEncoding.DecodeString(frag[2:])
	if err != nil {
		t.Fatal(err)
	}
	if got, want := binary.BigEndian.Uint32(raw), crc32.ChecksumIEEE([]byte(chromiumText)); got != want {
		t.Errorf("payload starts with %08x, want the CRC-32 %08x", got, want)
	}
	var out bytes.Buffer
	if _, err := out.ReadFrom(flate.NewReader(bytes.NewReader(raw[4:]))); err != nil {
		t.Fatal(err)
	}
	if out.String() != chromiumText {
		t.Errorf("payload inflates to %q", out.String())
	}
}

func TestDecodeErrors(t *testing.T) {
	bomb := func() string {
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, flate.BestCompression)
		w.Write(make([]byte, MaxSize+10))
		w.Close()
		return "#1" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
	}()
	for _, tc := range []struct{ in, want string }{
		{"http://localhost:8080/", "no #"},
		{"#", "no #"},
		{"#3abc", `format "3"`},
		{"#2AAA", "too short"},
		{"#2" + base64.RawURLEncoding.EncodeToString([]byte{1, 2, 3, 4, 0x4b, 0x04, 0}), "checksum"},
		{"#1***", "not base64url"},
		{"#1" + base64.RawURLEncoding.EncodeToString([]byte("not deflate at all \xff\xff")), "cannot inflate"},
		{bomb, "refuses"},
	} {
		_, err := Decode(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Decode(%.30q) error = %v, want one containing %q", tc.in, err, tc.want)
		}
	}
	if IsLink("job.json") || IsLink("dir/#notes") {
		t.Error("IsLink accepts file names")
	}
}

// TestDamagedLinks changes each character of a link's payload in turn:
// Decode must either fail or return the original document, never another
// one (format 1 opened such links as a corrupted job most of the time).
func TestDamagedLinks(t *testing.T) {
	frag := Encode([]byte(chromiumText))
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := 2; i < len(frag); i++ {
		for _, c := range []byte{alphabet[(strings.IndexByte(alphabet, frag[i])+1)%64], alphabet[(strings.IndexByte(alphabet, frag[i])+32)%64]} {
			bad := frag[:i] + string(c) + frag[i+1:]
			got, err := Decode(bad)
			if err == nil && string(got) != chromiumText {
				t.Fatalf("Decode(%q) with character %d changed returned %q and no error", bad, i, got)
			}
			if err != nil && !strings.Contains(err.Error(), "damaged") {
				t.Errorf("Decode with character %d changed: %v, want it to say the link is damaged", i, err)
			}
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add("#1q-biVMpLzE1VslJQOryy5PBKhQ_zZzUoxJQaGKRaKulwKSgo5RcUA2WjlRKJBEqxXLVcAA")
	f.Add("#1")
	f.Add(Encode([]byte(`{"ops": []}`)))
	f.Fuzz(func(t *testing.T, s string) {
		Decode(s) // must not panic
	})
}
