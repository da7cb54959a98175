// The browser tests are their own module so that chromedp stays out of the
// product's dependency graph; they test this checkout through the replace.
module github.com/jobkit-dev/jobkit/e2e

go 1.26.0

require (
	github.com/chromedp/cdproto v0.159.0
	github.com/chromedp/chromedp v0.23.0
	github.com/jobkit-dev/jobkit v0.0.0
)

require (
	github.com/alecthomas/participle/v2 v2.1.4 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3 // indirect
	golang.org/x/text v0.42.0 // indirect
)

replace github.com/jobkit-dev/jobkit => ../

replace github.com/santhosh-tekuri/jsonschema/v6 => ../third_party/jsonschema
