package engine

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Statuses of a run and of an op.
const (
	StatusSuccess = "success"
	StatusFailed  = "failed"
	StatusStopped = "stopped" // stopped by --timeout, Ctrl-C/SIGTERM, or stop_if_dependent_stops
	StatusError   = "error"   // the run could not start (daemon, pull, download, GPU)
	StatusPending = "pending" // never started
	StatusRunning = "running"
)

// Report is the run's outcome in the shape of the Nosana node's flow state.
// Times are Unix milliseconds.
type Report struct {
	ID string `json:"id"`
	// Status is what a Nosana node's flow state would say: "success" when
	// the flow ran to its end, also with failed ops (see Outcome).
	Status string `json:"status"`
	// Outcome is the runner's verdict, which decides its exit code:
	// success only when every op succeeded.
	Outcome   string     `json:"outcome"`
	StartTime int64      `json:"startTime"`
	EndTime   int64      `json:"endTime"`
	Errors    []string   `json:"errors,omitempty"`
	OpStates  []*OpState `json:"opStates"`
}

// OpState is one op's outcome.
type OpState struct {
	OperationID string `json:"operationId"`
	Group       string `json:"group"`
	Status      string `json:"status"`
	StartTime   *int64 `json:"startTime"`
	EndTime     *int64 `json:"endTime"`
	ExitCode    *int   `json:"exitCode"`
	// Logs are the first and last lines of the op's output (see LogFile).
	Logs []Log `json:"logs"`
	// LogLines counts every line; LogsOmitted those left out of Logs;
	// LogFile holds them all.
	LogLines    int            `json:"logLines"`
	LogsOmitted int            `json:"logsOmitted,omitempty"`
	LogFile     string         `json:"logFile,omitempty"`
	Results     map[string]any `json:"results,omitempty"` // key → []string, or the regex error
	Restarts    int            `json:"restarts,omitempty"`
	Error       string         `json:"error,omitempty"`
	// Reason says why an op stopped or failed without an exit code.
	Reason string `json:"reason,omitempty"`
}

// Log is one log line.
type Log struct {
	Type      string `json:"type"`
	Log       string `json:"log"`
	Timestamp int64  `json:"timestamp"`
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func msPtr(t time.Time) *int64 {
	v := ms(t)
	return &v
}

// nodeStatus maps the runner's outcome to the node's flow status: the node
// reports success unless the flow itself could not run, however its ops
// ended.
func nodeStatus(outcome string) string {
	if outcome == StatusFailed {
		return StatusSuccess
	}
	return outcome
}

// WriteJSON writes the report.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Summary writes the table printed at the end of a run.
func (r *Report) Summary(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OP\tSTATUS\tEXIT\tDURATION\tRESULTS")
	for _, s := range r.OpStates {
		exit := "-"
		if s.ExitCode != nil {
			exit = fmt.Sprint(*s.ExitCode)
		}
		dur := "-"
		if s.StartTime != nil && s.EndTime != nil {
			dur = (time.Duration(*s.EndTime-*s.StartTime) * time.Millisecond).Round(10 * time.Millisecond).String()
		}
		status := s.Status
		if s.Restarts > 0 {
			status += fmt.Sprintf(" (%d restarts)", s.Restarts)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.OperationID, status, exit, dur, summariseResults(s.Results))
	}
	tw.Flush()
	fmt.Fprintf(w, "run %s: %s in %s\n", r.ID, r.Outcome, (time.Duration(r.EndTime-r.StartTime) * time.Millisecond).Round(10*time.Millisecond))
}

func summariseResults(rs map[string]any) string {
	if len(rs) == 0 {
		return "-"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(rs)) {
		v := rs[k]
		var s string
		switch x := v.(type) {
		case []string:
			s = strings.Join(x, " ")
		default:
			s = fmt.Sprint(x)
		}
		if len(s) > 40 {
			s = s[:37] + "..."
		}
		parts = append(parts, k+"="+s)
	}
	return strings.Join(parts, ", ")
}
