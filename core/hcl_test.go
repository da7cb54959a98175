package core

import (
	"strings"
	"testing"
)

func TestLooksLikeHCL(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{`job "web" {`, true},
		{"# comment\n// another\n/* block */\njob \"web\" {", true},
		{"\ufeffjob \"x\" {}", true},
		{`variable "image" {`, true},
		{`region = "eu"`, true},
		{`locals {`, true},
		{`{"Job": {}}`, false},
		{`[{"ops": []}]`, false},
		{`true "x"`, false},
		{`null {`, false},
		{`version: 1`, false},
		{`-1 {`, false},
		{``, false},
		{`job`, false},
		{"/* unterminated", false},
	}
	for _, tt := range tests {
		if got := LooksLikeHCL([]byte(tt.text)); got != tt.want {
			t.Errorf("LooksLikeHCL(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestLintHCLIsOneMessage(t *testing.T) {
	text := "# web\n\njob \"web\" {\n  group \"g\" {}\n}\n"
	res := Lint([]byte(text), Options{})
	if len(res.Diagnostics) != 1 {
		t.Fatalf("want one diagnostic, got %d: %v", len(res.Diagnostics), res.Diagnostics)
	}
	d := res.Diagnostics[0]
	if d.Rule != "unknown-format" || d.Range.Start.Line != 3 || d.Range.Start.Column != 1 || d.Range.End.Column != 12 ||
		!strings.Contains(d.Message, "nomad job run -output") {
		t.Errorf("diagnostic %+v", d)
	}
}
