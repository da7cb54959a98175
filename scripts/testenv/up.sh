#!/bin/sh
# up.sh prepares the services the runner tests use, and is safe to run again:
#   - a Docker daemon (started here only when none answers; never a second one)
#   - test images local/busybox:full (every busybox applet) and
#     local/busybox:entrypoint (ENTRYPOINT ["/bin/echo","ep:"], CMD ["c"])
#   - a registry with htpasswd auth on 127.0.0.1:5000 holding one private image
# What it starts is written to $JOBKIT_TESTENV_DIR (default /tmp/jobkit-testenv)
# so that down.sh stops exactly that. Connection facts for the tests are in
# $JOBKIT_TESTENV_DIR/env (shell syntax, KEY=value lines).
# Needs root on Debian (apt-get) when the packages are missing.
set -eu

STATE=${JOBKIT_TESTENV_DIR:-/tmp/jobkit-testenv}
REG_ADDR=127.0.0.1:5000
REG_USER=jobkit
REG_PASS=jobkit-test-pass
REG_IMAGE=$REG_ADDR/jobkit/private:1.0
mkdir -p "$STATE"

log() { echo "testenv: $*" >&2; }

wait_for() { # wait_for SECONDS CMD...: run CMD until it succeeds
	n=$(($1 * 20)); shift
	while [ "$n" -gt 0 ]; do
		if "$@" >/dev/null 2>&1; then return 0; fi
		n=$((n - 1)); sleep 0.05
	done
	return 1
}

# --- packages --------------------------------------------------------------
missing=""
command -v dockerd >/dev/null 2>&1 || missing="$missing docker.io"
[ -x /bin/busybox ] || missing="$missing busybox-static"
command -v docker-registry >/dev/null 2>&1 || missing="$missing docker-registry"
command -v htpasswd >/dev/null 2>&1 || missing="$missing apache2-utils"
command -v curl >/dev/null 2>&1 || missing="$missing curl ca-certificates"
if [ -n "$missing" ]; then
	log "installing$missing"
	if command -v fuser >/dev/null 2>&1; then
		while fuser /var/lib/dpkg/lock-frontend >/dev/null 2>&1; do sleep 5; done
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 ||
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; }
fi
if ! /bin/busybox --list >/dev/null 2>&1 || [ "$(/bin/busybox --list | wc -l)" -lt 100 ]; then
	log "/bin/busybox is not a full busybox (install busybox-static)"; exit 1
fi

# --- docker daemon ---------------------------------------------------------
# DOCKER_API_VERSION would switch off version negotiation in every client.
unset DOCKER_API_VERSION
if ! docker version >/dev/null 2>&1; then
	if [ -n "${DOCKER_HOST:-}" ]; then
		log "DOCKER_HOST=$DOCKER_HOST does not answer; not starting a daemon"; exit 1
	fi
	if [ -S /var/run/docker.sock ] && [ -n "$(ps -e -o comm= 2>/dev/null | grep -x dockerd)" ]; then
		log "a dockerd is running but does not answer yet; waiting"
	else
		log "starting dockerd"
		# Never --bridge=none: it deletes the host's docker0 bridge.
		nohup dockerd --iptables=false --ip6tables=false >"$STATE/dockerd.log" 2>&1 &
		echo $! >"$STATE/dockerd.pid"
	fi
	if ! wait_for 60 docker version; then
		log "the Docker daemon did not answer in 60 s; see $STATE/dockerd.log"; exit 1
	fi
fi

# --- test images -----------------------------------------------------------
make_rootfs() { # make_rootfs DIR: busybox with every applet
	mkdir -p "$1/bin" "$1/etc" "$1/tmp" "$1/root" "$1/www"
	chmod 1777 "$1/tmp"
	cp /bin/busybox "$1/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -sf busybox "$1/bin/$a"
	done
	echo 'root:x:0:0:root:/root:/bin/sh' >"$1/etc/passwd"
	echo 'root:x:0:' >"$1/etc/group"
}
has_image() { docker image inspect "$1" >/dev/null 2>&1; }

if ! has_image local/busybox:full || ! has_image local/busybox:entrypoint; then
	R=$(mktemp -d)
	make_rootfs "$R"
	has_image local/busybox:full ||
		tar -C "$R" -c . | docker import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' - local/busybox:full >/dev/null
	has_image local/busybox:entrypoint ||
		tar -C "$R" -c . | docker import -c 'ENTRYPOINT ["/bin/echo","ep:"]' -c 'CMD ["c"]' -c 'ENV PATH=/bin' - local/busybox:entrypoint >/dev/null
	rm -rf "$R"
	log "built local/busybox:full and local/busybox:entrypoint"
fi

# --- registry with auth ----------------------------------------------------
REG="$STATE/registry"
mkdir -p "$REG/data"
reg_up() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$REG_ADDR/v2/")" = 401 ]; }
if ! reg_up; then
	if curl -s -o /dev/null "http://$REG_ADDR/" 2>/dev/null; then
		log "$REG_ADDR is taken by something that is not an authenticated registry"; exit 1
	fi
	htpasswd -Bbn "$REG_USER" "$REG_PASS" >"$REG/htpasswd"
	cat >"$REG/config.yml" <<CFG
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $REG/data
  delete:
    enabled: true
http:
  addr: $REG_ADDR
auth:
  htpasswd:
    realm: jobkit-test
    path: $REG/htpasswd
CFG
	nohup docker-registry serve "$REG/config.yml" >"$REG/registry.log" 2>&1 &
	echo $! >"$STATE/registry.pid"
	if ! wait_for 30 reg_up; then
		log "the registry did not answer in 30 s; see $REG/registry.log"; exit 1
	fi
	log "registry on $REG_ADDR"
fi

# The private image: busybox plus a marker file, so its layer exists only in
# the registry once the local tag is removed (a pull really downloads).
if [ "$(curl -s -o /dev/null -w '%{http_code}' -u "$REG_USER:$REG_PASS" \
	"http://$REG_ADDR/v2/jobkit/private/manifests/1.0" \
	-H 'Accept: application/vnd.docker.distribution.manifest.v2+json')" != 200 ]; then
	R=$(mktemp -d)
	make_rootfs "$R"
	echo "private image from the jobkit test registry" >"$R/marker"
	tar -C "$R" -c . | docker import -c 'CMD ["/bin/cat","/marker"]' -c 'ENV PATH=/bin' - "$REG_IMAGE" >/dev/null
	rm -rf "$R"
	DC=$(mktemp -d)
	echo "$REG_PASS" | DOCKER_CONFIG=$DC docker login "$REG_ADDR" -u "$REG_USER" --password-stdin >/dev/null 2>&1
	DOCKER_CONFIG=$DC docker push "$REG_IMAGE" >/dev/null
	DOCKER_CONFIG=$DC docker logout "$REG_ADDR" >/dev/null 2>&1 || true
	rm -rf "$DC"
	docker rmi "$REG_IMAGE" >/dev/null
	log "pushed $REG_IMAGE"
fi

cat >"$STATE/env" <<ENV
JOBKIT_TEST_REGISTRY=$REG_ADDR
JOBKIT_TEST_REGISTRY_USER=$REG_USER
JOBKIT_TEST_REGISTRY_PASS=$REG_PASS
JOBKIT_TEST_REGISTRY_IMAGE=$REG_IMAGE
JOBKIT_TEST_IMAGE=local/busybox:full
JOBKIT_TEST_IMAGE_ENTRYPOINT=local/busybox:entrypoint
ENV
log "ready (facts in $STATE/env)"
