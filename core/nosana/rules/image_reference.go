package rules

import (
	"fmt"
	"strings"

	"github.com/jobkit-dev/jobkit/core/diag"
	"github.com/jobkit-dev/jobkit/core/jsonast"
	"github.com/jobkit-dev/jobkit/core/rule"
)

// imageReference: an image that cannot be pulled, or that is not pinned.
//
// A reference Docker cannot parse fails the op at pull time
// (image-pull-error). An image without a tag or with :latest is pulled only
// when no local copy exists: the node never refreshes a cached :latest, so
// different nodes run different images and results are not reproducible.
// Images given as literals ("%%…%%") are resolved at run time and not checked.
var imageReference = &rule.Rule{
	ID:       "image-reference",
	Format:   rule.Nosana,
	Severity: diag.Error,
	Summary:  "an image reference Docker cannot parse, or one without a pinned tag",
	Check:    checkImageReference,
}

func checkImageReference(c *rule.Context) {
	// Generated jobs run a few images over hundreds of ops: each distinct
	// reference is parsed once (parsing is a pure function of the text).
	parsed := map[string]parsedImage{}
	if n := c.Doc.Root.Get("global").Get("image"); isClosedStr(n) {
		checkImageSyntax(c, n, parsed)
	}
	for _, o := range runOps(c) {
		n := o.Args.Get("image")
		if !isClosedStr(n) {
			continue
		}
		ref, ok := checkImageSyntax(c, n, parsed)
		if !ok || ref.Digest != "" {
			continue
		}
		switch ref.Tag {
		case "":
			c.Report(n, "%s: %s has no tag, so the node runs whatever %s it has cached and never pulls a newer one; pin a version such as %s", n.Path(), jsonString(n.Str), jsonString(n.Str+":latest"), jsonString(n.Str+":<version>")).Severity = diag.Warning
		case "latest":
			c.Report(n, "%s: %s is not pinned: the node never refreshes a cached :latest image, so runs are not reproducible; use a version tag or a digest", n.Path(), jsonString(n.Str)).Severity = diag.Warning
		}
	}
}

// parsedImage is what parseImageRef returned for one reference.
type parsedImage struct {
	ref imageRef
	err *imageRefError
}

// checkImageSyntax reports an unparsable reference. ok is false for an
// invalid reference and for values that are not checked (empty, literals).
// parsed memoizes parseImageRef by reference.
func checkImageSyntax(c *rule.Context, n *jsonast.Node, parsed map[string]parsedImage) (imageRef, bool) {
	s := n.Str
	if strings.TrimSpace(s) == "" || containsLiteral(s) {
		return imageRef{}, false
	}
	p, ok := parsed[s]
	if !ok {
		p.ref, p.err = parseImageRef(s)
		parsed[s] = p
	}
	ref, err := p.ref, p.err
	if err == nil {
		return ref, true
	}
	d := c.Report(n, "%s: %s is not a valid image reference: %s", n.Path(), jsonString(s), err.Problem)
	if err.Suggest != "" {
		d.Message += "; write " + jsonString(err.Suggest)
		d.Fixes = append(d.Fixes, diag.Fix{
			Title: "Change the image to " + jsonString(err.Suggest),
			Edits: []diag.TextEdit{c.Edit(n.Start, n.End, jsonString(err.Suggest))},
		})
	}
	return imageRef{}, false
}

// imageRef is a parsed Docker image reference:
// [domain[:port]/]path[:tag][@digest].
type imageRef struct {
	Domain, Path, Tag, Digest string
}

// imageRefError says what is wrong with a reference, and the corrected
// reference when there is an obvious one.
type imageRefError struct {
	Problem string
	Suggest string
}

func (e *imageRefError) Error() string { return e.Problem }

var (
	refDomain = rule.Regexp(`^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$`)
	refDigest = rule.Regexp(`^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$`)
	refSHA256 = rule.Regexp(`^sha256:[0-9a-f]{64}$`)
)

// maxNameLength is the longest repository name (domain and path) Docker accepts.
const maxNameLength = 255

// parseImageRef parses a reference the way Docker's reference grammar does.
func parseImageRef(s string) (imageRef, *imageRefError) {
	if strings.ContainsAny(s, " \t\r\n") {
		return imageRef{}, &imageRefError{Problem: "it contains white space", Suggest: suggestTrimmed(s)}
	}
	var ref imageRef
	name := s
	if i := strings.IndexByte(s, '@'); i >= 0 {
		name, ref.Digest = s[:i], s[i+1:]
		if !refDigest().MatchString(ref.Digest) || strings.HasPrefix(ref.Digest, "sha256:") && !refSHA256().MatchString(ref.Digest) {
			return imageRef{}, &imageRefError{Problem: "the digest after \"@\" must be \"sha256:\" followed by 64 lowercase hex digits"}
		}
	}
	if i := strings.LastIndexByte(name, ':'); i > strings.LastIndexByte(name, '/') {
		name, ref.Tag = name[:i], name[i+1:]
		if !isRefTag(ref.Tag) {
			return imageRef{}, &imageRefError{Problem: fmt.Sprintf("the tag %s may only hold letters, digits, \"_\", \".\" and \"-\", must not start with \".\" or \"-\", and is at most 128 characters", jsonString(ref.Tag))}
		}
	}
	if name == "" {
		return imageRef{}, &imageRefError{Problem: "the repository name is missing"}
	}
	if len(name) > maxNameLength {
		return imageRef{}, &imageRefError{Problem: fmt.Sprintf("the repository name is longer than %d characters", maxNameLength)}
	}
	ref.Path = name
	if i := strings.IndexByte(name, '/'); i >= 0 {
		first := name[:i]
		if strings.ContainsAny(first, ".:") || first == "localhost" || strings.ToLower(first) != first {
			ref.Domain, ref.Path = first, name[i+1:]
			if !refDomain().MatchString(ref.Domain) {
				return imageRef{}, &imageRefError{Problem: fmt.Sprintf("the registry %s is not a host name with an optional :port", jsonString(ref.Domain))}
			}
		}
	}
	lowercase := false
	for _, comp := range strings.Split(ref.Path, "/") {
		switch {
		case comp == "":
			return imageRef{}, &imageRefError{Problem: "the repository path has an empty part (a doubled, leading or trailing \"/\")"}
		case isRefPathComponent(comp):
		case isRefPathComponent(strings.ToLower(comp)):
			lowercase = true
		default:
			return imageRef{}, &imageRefError{Problem: fmt.Sprintf("the path part %s may only hold lowercase letters and digits, separated by \".\", \"_\", \"__\" or \"-\"", jsonString(comp))}
		}
	}
	if lowercase || ref.Domain != "" && strings.ToLower(ref.Domain) != ref.Domain && !strings.ContainsAny(ref.Domain, ".:") && ref.Domain != "localhost" {
		return imageRef{}, &imageRefError{Problem: "repository names must be lowercase", Suggest: ref.lowercased()}
	}
	return ref, nil
}

// lowercased returns the reference with its repository name in lowercase
// (the tag and digest are kept).
func (r imageRef) lowercased() string {
	s := strings.ToLower(r.Path)
	if r.Domain != "" {
		s = r.Domain + "/" + s
		if !strings.ContainsAny(r.Domain, ".:") && r.Domain != "localhost" {
			s = strings.ToLower(s)
		}
	}
	if r.Tag != "" {
		s += ":" + r.Tag
	}
	if r.Digest != "" {
		s += "@" + r.Digest
	}
	return s
}

// suggestTrimmed returns s without surrounding white space when that makes
// a valid reference.
func suggestTrimmed(s string) string {
	t := strings.TrimSpace(s)
	if t == s || t == "" {
		return ""
	}
	if _, err := parseImageRef(t); err != nil {
		return ""
	}
	return t
}

// isRefTag reports whether s matches Docker's tag grammar,
// ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ (byte loops here and below: every op's
// image is checked).
func isRefTag(s string) bool {
	if s == "" || len(s) > 128 || s[0] == '.' || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(isLowerAlnum(c) || c >= 'A' && c <= 'Z' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// isRefPathComponent reports whether s matches Docker's path component
// grammar, ^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$: runs of lowercase letters
// and digits joined by ".", "_", "__" or any number of "-".
func isRefPathComponent(s string) bool {
	i := 0
	for {
		start := i
		for i < len(s) && isLowerAlnum(s[i]) {
			i++
		}
		if i == start {
			return false
		}
		if i == len(s) {
			return true
		}
		sep := i
		for i < len(s) && !isLowerAlnum(s[i]) {
			i++
		}
		switch sepText := s[sep:i]; {
		case sepText == "." || sepText == "_" || sepText == "__":
		case strings.Trim(sepText, "-") == "":
		default:
			return false
		}
	}
}

func isLowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
