#!/bin/sh
# Forks two grandchildren that ignore SIGTERM, records every pid, then waits.
# Usage: fork_children.sh <pid-file> [exit-code-after-fork]
trap '' TERM
sh -c 'trap "" TERM; sleep 30' &
sh -c 'trap "" TERM; sleep 30' &
echo "$$ $!" > "$1"
echo "forked" >&2
if [ -n "$2" ]; then exit "$2"; fi
wait
