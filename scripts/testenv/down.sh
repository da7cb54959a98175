#!/bin/sh
# down.sh stops exactly what up.sh started (recorded in the state directory)
# and leaves everything else alone: a daemon that was already running keeps
# running, and so do its images.
set -eu
STATE=${JOBKIT_TESTENV_DIR:-/tmp/jobkit-testenv}
[ -d "$STATE" ] || exit 0

stop() { # stop NAME PIDFILE
	[ -f "$2" ] || return 0
	pid=$(cat "$2")
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid"
		n=200
		while kill -0 "$pid" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.05; n=$((n - 1)); done
		kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
		echo "testenv: stopped $1 ($pid)" >&2
	fi
	rm -f "$2"
}
stop registry "$STATE/registry.pid"
stop dockerd "$STATE/dockerd.pid"
rm -f "$STATE/env"
