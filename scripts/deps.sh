#!/bin/sh
# deps.sh installs what the tests need when it is missing: Debian packages
# (chromium for the browser tests; Docker and the registry come from
# scripts/testenv/up.sh), npm packages of the editor (npm ci), and the Go
# tools the tests run (wasmbrowsertest, versitygw, staticcheck) into ./build/tools.
set -eu
cd "$(dirname "$0")/.."
TOOLS=$(pwd)/build/tools
mkdir -p "$TOOLS"

log() { echo "deps: $*" >&2; }

apt_install() {
	while fuser /var/lib/dpkg/lock-frontend >/dev/null 2>&1; do sleep 2; done
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 ||
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@"; }
}

missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
command -v brotli >/dev/null 2>&1 || missing="$missing brotli"
if [ -n "$missing" ]; then
	log "installing$missing"
	apt_install $missing
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	log "npm ci"
	npm ci --no-audit --no-fund --loglevel=error
fi

# staticcheck: the release that supports the Go in go.mod (2025.1.x stops at go1.25).
STATICCHECK=v0.8.2
if ! "$TOOLS/staticcheck" -version 2>/dev/null | grep -q "(${STATICCHECK#v})"; then
	log "go install staticcheck@$STATICCHECK"
	GOBIN=$TOOLS go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK"
fi
[ -x "$TOOLS/wasmbrowsertest" ] || { log "go install wasmbrowsertest"; GOBIN=$TOOLS go install github.com/agnivade/wasmbrowsertest@v0.11.0; }
if [ ! -x "$TOOLS/versitygw" ]; then
	if [ -x "$(go env GOPATH)/bin/versitygw" ]; then
		cp "$(go env GOPATH)/bin/versitygw" "$TOOLS/"
	else
		log "go install versitygw (takes a few minutes the first time)"
		GOBIN=$TOOLS go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
	fi
fi
