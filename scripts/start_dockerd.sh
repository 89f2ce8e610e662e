#!/usr/bin/env bash
# Make sure a Docker daemon with the gVisor runtime (runsc) is running.
#
# Idempotent: reuses a daemon that already has runsc; adds runsc to a running
# daemon that lacks it (config + SIGHUP, no restart); otherwise writes
# /etc/docker/daemon.json if it lacks runsc and starts dockerd in the background.
# Needs root. The daemon keeps running after this script exits (it is the one
# background process the project leaves alive).
#
# Env: DOCKERD_WAIT_SECONDS (default 60) bounds each wait; DOCKERD_LOG (default
# /var/log/tntc-dockerd.log) receives the daemon's output.
set -euo pipefail

wait_seconds="${DOCKERD_WAIT_SECONDS:-60}"
log_file="${DOCKERD_LOG:-/var/log/tntc-dockerd.log}"
config=/etc/docker/daemon.json
pid_file=/var/run/docker.pid

say() { printf 'start_dockerd: %s\n' "$*" >&2; }

for bin in docker dockerd runsc; do
  if ! command -v "$bin" >/dev/null 2>&1; then
    say "'$bin' is not installed (apt-get install -y docker.io runsc)"
    exit 1
  fi
done
if [ "$(id -u)" != 0 ]; then
  say "must run as root"
  exit 1
fi

daemon_answers() { docker info >/dev/null 2>&1; }
has_runsc() { docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc"'; }

# Waits up to $wait_seconds for the check named by $1 to pass.
wait_for() {
  local i
  for ((i = 0; i < wait_seconds; i++)); do
    if "$1"; then
      say "ready after ${i}s"
      return 0
    fi
    sleep 1
  done
  return 1
}

# The runsc build in Debian 12 is old: it knows --platform=ptrace but not systrap.
# Host networking keeps every container on the host's loopback (the pod model);
# no bridge and no iptables because nothing here needs them.
write_config() {
  if grep -q '"runsc"' "$config" 2>/dev/null; then
    return 0
  fi
  if [ -s "$config" ]; then
    cp "$config" "$config.bak.$(date +%s)"
    say "saved the previous $config next to it"
  fi
  mkdir -p "$(dirname "$config")"
  cat >"$config" <<JSON
{
  "runtimes": {
    "runsc": {
      "path": "$(command -v runsc)",
      "runtimeArgs": ["--platform=ptrace", "--network=host"]
    }
  },
  "default-runtime": "runsc",
  "bridge": "none",
  "iptables": false,
  "ip-masq": false
}
JSON
  say "wrote $config"
}

if daemon_answers; then
  if has_runsc; then
    say "a Docker daemon with the runsc runtime is running; reusing it"
    exit 0
  fi
  # E.g. a daemon started by the docker.io package's init script. "runtimes" is
  # one of the settings dockerd reloads on SIGHUP, so no restart is needed.
  say "the running Docker daemon has no runsc runtime; adding it and reloading"
  write_config
  if [ ! -s "$pid_file" ]; then
    say "cannot find the daemon's pid in $pid_file; restart dockerd by hand"
    exit 1
  fi
  kill -HUP "$(cat "$pid_file")"
  if wait_for has_runsc; then exit 0; fi
  say "dockerd did not pick up the runsc runtime from $config; restart it by hand"
  exit 1
fi

write_config
say "starting dockerd (log: $log_file)"
# setsid + nohup: the daemon must not die with this shell or its process group.
setsid nohup dockerd >>"$log_file" 2>&1 </dev/null &
if wait_for daemon_answers && has_runsc; then exit 0; fi
say "dockerd did not come up with the runsc runtime within ${wait_seconds}s; last log lines:"
tail -n 20 "$log_file" >&2 || true
exit 1
