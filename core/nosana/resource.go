package nosana

import (
	"encoding/json"
	"fmt"
)

// Resource types.
const (
	ResourceS3     = "S3"
	ResourceHF     = "HF"
	ResourceOllama = "Ollama"
)

// Resource is one entry of args.resources, discriminated by Type. Exactly one
// of S3, HF and Ollama is set; Spread is set instead for a spread marker.
type Resource struct {
	Type   string
	S3     *S3Resource
	HF     *HFResource
	Ollama *OllamaResource
	Spread *Spread
}

// S3Resource downloads objects from S3 (url, bucket or buckets).
type S3Resource struct {
	Target     string     `json:"target"`
	URL        string     `json:"url,omitempty"`
	Bucket     string     `json:"bucket,omitempty"`
	Buckets    []S3Bucket `json:"buckets,omitempty"`
	Files      []string   `json:"files,omitempty"`
	AllowWrite bool       `json:"allowWrite,omitempty"`
	IAM        *S3IAM     `json:"IAM,omitempty"`
}

// S3Bucket is one entry of buckets.
type S3Bucket struct {
	URL   string   `json:"url"`
	Files []string `json:"files,omitempty"`
}

// S3IAM are S3 credentials; SecretAccessKey is a secret.
type S3IAM struct {
	Region          string `json:"REGION"`
	AccessKeyID     string `json:"ACCESS_KEY_ID"`
	SecretAccessKey string `json:"SECRET_ACCESS_KEY"`
}

// HFResource downloads a Hugging Face repository (or some of its files).
type HFResource struct {
	Target      string   `json:"target"`
	Repo        string   `json:"repo"`
	Revision    string   `json:"revision,omitempty"`
	Files       []string `json:"files,omitempty"`
	AccessToken string   `json:"accessToken,omitempty"`
}

// OllamaResource pulls an Ollama model.
type OllamaResource struct {
	Model  string `json:"model"`
	Target string `json:"target,omitempty"`
}

// DefaultOllamaTarget is where an Ollama resource lands without a target.
const DefaultOllamaTarget = "/root/.ollama/models"

// Target is where the resource is mounted in the container.
func (r Resource) Target() string {
	switch {
	case r.S3 != nil:
		return r.S3.Target
	case r.HF != nil:
		return r.HF.Target
	case r.Ollama != nil:
		if r.Ollama.Target == "" {
			return DefaultOllamaTarget
		}
		return r.Ollama.Target
	}
	return ""
}

// Writable reports whether the mount may be written (S3 with allowWrite).
func (r Resource) Writable() bool { return r.S3 != nil && r.S3.AllowWrite }

// UnmarshalJSON picks the variant by "type".
func (r *Resource) UnmarshalJSON(b []byte) error {
	var probe struct {
		Type   *string `json:"type"`
		Spread *string `json:"__spread__"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		var s string
		if json.Unmarshal(b, &s) == nil && s == RemoveIfEmpty {
			*r = Resource{}
			return nil
		}
		return fmt.Errorf("expected a resource object")
	}
	if probe.Spread != nil {
		var sp Spread
		if err := json.Unmarshal(b, &sp); err != nil {
			return err
		}
		*r = Resource{Spread: &sp}
		return nil
	}
	if probe.Type == nil {
		return fmt.Errorf(`resource has no "type" (S3, HF or Ollama)`)
	}
	*r = Resource{Type: *probe.Type}
	var err error
	switch *probe.Type {
	case ResourceS3:
		r.S3 = new(S3Resource)
		err = json.Unmarshal(b, r.S3)
	case ResourceHF:
		r.HF = new(HFResource)
		err = json.Unmarshal(b, r.HF)
	case ResourceOllama:
		r.Ollama = new(OllamaResource)
		err = json.Unmarshal(b, r.Ollama)
	default:
		return fmt.Errorf("unknown resource type %q (want S3, HF or Ollama)", *probe.Type)
	}
	return err
}

// MarshalJSON writes the variant with its "type".
func (r Resource) MarshalJSON() ([]byte, error) {
	var v any
	switch {
	case r.S3 != nil:
		v = r.S3
	case r.HF != nil:
		v = r.HF
	case r.Ollama != nil:
		v = r.Ollama
	case r.Spread != nil:
		return json.Marshal(r.Spread)
	default:
		return json.Marshal(RemoveIfEmpty)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	typ, _ := json.Marshal(r.Type)
	if len(b) <= 2 {
		return append(append([]byte(`{"type":`), typ...), '}'), nil
	}
	return append(append([]byte(`{"type":`), typ...), append([]byte{','}, b[1:]...)...), nil
}
