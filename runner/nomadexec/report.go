package nomadexec

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/jobkit-dev/jobkit/runner/engine"
)

// Report is a run of a Nomad job in the shape of the Nomad API's
// allocation status: one entry per allocation, TaskStates with State,
// Failed, Restarts and Events, as `nomad alloc status -json` shows them.
type Report struct {
	RunID       string        `json:"RunID"`
	JobID       string        `json:"JobID"`
	JobType     string        `json:"JobType"`
	Status      string        `json:"Status"` // engine.Status*: success | failed | stopped | error
	StartTime   time.Time     `json:"StartTime"`
	EndTime     time.Time     `json:"EndTime"`
	Notes       []string      `json:"Notes,omitempty"`
	Errors      []string      `json:"Errors,omitempty"`
	Allocations []*AllocState `json:"Allocations"`
}

// AllocState is one allocation's status.
type AllocState struct {
	ID           string                    `json:"ID"`
	Name         string                    `json:"Name"`
	JobID        string                    `json:"JobID"`
	TaskGroup    string                    `json:"TaskGroup"`
	ClientStatus string                    `json:"ClientStatus"` // pending | running | complete | failed
	TaskStates   map[string]*api.TaskState `json:"TaskStates"`
	// Checks are the service checks' last results (Nomad keeps them apart
	// from the allocation; the runner reports them with it).
	Checks []*CheckState `json:"Checks,omitempty"`

	order []string // task names in document order (summary table)
}

// Client statuses of an allocation, as Nomad names them.
const (
	ClientPending  = "pending"
	ClientRunning  = "running"
	ClientComplete = "complete"
	ClientFailed   = "failed"
)

// WriteJSON writes the report.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Summary writes the table printed at the end of a run.
func (r *Report) Summary(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ALLOC\tTASK\tSTATE\tEXIT\tRESTARTS\tDURATION")
	for _, a := range r.Allocations {
		for _, name := range a.order {
			ts := a.TaskStates[name]
			state := ts.State
			if ts.Failed {
				state += " (failed)"
			}
			exit := "-"
			for i := len(ts.Events) - 1; i >= 0; i-- {
				if ts.Events[i].Type == api.TaskTerminated {
					exit = fmt.Sprint(ts.Events[i].ExitCode)
					break
				}
			}
			dur := "-"
			if !ts.StartedAt.IsZero() && !ts.FinishedAt.IsZero() {
				dur = ts.FinishedAt.Sub(ts.StartedAt).Round(10 * time.Millisecond).String()
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", a.Name, name, state, exit, ts.Restarts, dur)
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "run %s (Nomad job %q, %s): %s in %s\n", r.RunID, r.JobID, r.JobType, r.Status, r.EndTime.Sub(r.StartTime).Round(10*time.Millisecond))
}

// statusOf is the run's overall status, engine.Status* like a Nosana run.
func statusOf(r *Report, infra error, stopped bool) string {
	switch {
	case infra != nil:
		return engine.StatusError
	case stopped:
		return engine.StatusStopped
	}
	for _, a := range r.Allocations {
		if a.ClientStatus != ClientComplete {
			return engine.StatusFailed
		}
	}
	return engine.StatusSuccess
}
