//go:build ignore

// gen turns catalogue.txt into schema.json, the JSON Schema of a Nomad 1.9
// API job. Run it with `go generate ./core/nomad/jobschema`.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
)

type prop map[string]any

func main() {
	if err := run("catalogue.txt", "schema.json"); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return fmt.Errorf("read catalogue: %w", err)
	}
	defer f.Close()
	defs := map[string]any{}
	var cur prop
	var order []string
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		head, desc, _ := strings.Cut(text, " | ")
		if name, ok := strings.CutPrefix(head, "@"); ok {
			name = strings.TrimSpace(name)
			cur = prop{"type": "object", "description": desc, "properties": map[string]any{}, "additionalProperties": false,
				"x-order": []string{}, "x-subject": subject(name)}
			defs[name] = cur
			continue
		}
		if cur == nil {
			return fmt.Errorf("line %d: field before any @Block", line)
		}
		fields := strings.Fields(head)
		if len(fields) < 2 {
			return fmt.Errorf("line %d: want `Name type [flags] | description`", line)
		}
		p, err := typeOf(fields[1])
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		full := desc
		for _, flag := range fields[2:] {
			switch {
			case strings.HasPrefix(flag, "="):
				var v any
				if err := json.Unmarshal([]byte(flag[1:]), &v); err != nil {
					v = flag[1:]
				}
				p["default"] = v
				if !strings.Contains(desc, "Default:") {
					b, _ := json.Marshal(v)
					full += " Default: " + string(b) + "."
				}
			case strings.HasPrefix(flag, "enum:"):
				p["enum"] = strings.Split(flag[5:], ",")
			case strings.HasPrefix(flag, "min:"):
				n, _ := strconv.Atoi(flag[4:])
				p["minimum"] = n
			case strings.HasPrefix(flag, "max:"):
				n, _ := strconv.Atoi(flag[4:])
				p["maximum"] = n
			case flag == "server":
				p["x-server"] = true
			case strings.HasPrefix(flag, "since:"):
				p["x-since"] = flag[6:]
			case flag == "secret":
				p["x-secret"] = true
			case flag == "removed":
				p["deprecated"] = true
				p["x-removed"] = true
			default:
				return fmt.Errorf("line %d: unknown flag %q", line, flag)
			}
		}
		p["description"] = full
		cur["properties"].(map[string]any)[fields[0]] = p
		cur["x-order"] = append(cur["x-order"].([]string), fields[0])
		order = append(order, fields[0])
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read catalogue: %w", err)
	}
	schema := prop{
		"$schema":     "http://json-schema.org/draft-07/schema#",
		"$id":         "https://jobkit.dev/schema/nomad-job-1.9.json",
		"title":       "Nomad 1.9 API job",
		"description": "A Nomad job as the HTTP API and `nomad job run -json` take it. Keys are the Go field names; durations are integer nanoseconds.",
		"$ref":        "#/definitions/Job",
		"definitions": defs,
	}
	b, err := json.MarshalIndent(schema, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}

func typeOf(t string) (prop, error) {
	switch t {
	case "string", "integer", "number", "boolean":
		return prop{"type": t}, nil
	case "int":
		return prop{"type": "integer"}, nil
	case "bool":
		return prop{"type": "boolean"}, nil
	case "int(ns)":
		return prop{"type": "integer", "x-unit": "ns",
			"x-expected": "a whole number of nanoseconds, e.g. 10000000000 for 10s"}, nil
	case "any":
		return prop{}, nil
	case "object":
		return prop{"type": "object"}, nil
	}
	if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
		e, err := typeOf(t[1 : len(t)-1])
		if err != nil {
			return nil, err
		}
		return prop{"type": "array", "items": e}, nil
	}
	if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
		inner := t[1 : len(t)-1]
		if inner == "any" {
			return prop{"type": "object", "x-data": true}, nil
		}
		e, err := typeOf(inner)
		if err != nil {
			return nil, err
		}
		return prop{"type": "object", "additionalProperties": e, "x-data": true}, nil
	}
	if t != "" && t[0] >= 'A' && t[0] <= 'Z' {
		return prop{"$ref": "#/definitions/" + t}, nil
	}
	return nil, fmt.Errorf("unknown type %q", t)
}

// subject names a block for messages: TaskGroup → "a task group".
func subject(name string) string {
	var words []string
	start := 0
	for i := 1; i <= len(name); i++ {
		if i == len(name) || name[i] >= 'A' && name[i] <= 'Z' && (name[i-1] < 'A' || name[i-1] > 'Z' || i+1 < len(name) && name[i+1] >= 'a' && name[i+1] <= 'z') {
			w := name[start:i]
			if len(w) > 1 && strings.ToUpper(w) == w {
				words = append(words, w)
			} else {
				words = append(words, strings.ToLower(w))
			}
			start = i
		}
	}
	article := "a "
	if len(words) > 0 && strings.ContainsRune("aeiouAEIOU", rune(words[0][0])) {
		article = "an "
	}
	return article + strings.Join(words, " ") + " block"
}
