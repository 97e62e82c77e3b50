#!/usr/bin/env bash
# A throwaway PostgreSQL server living entirely in one folder, for the registry tests and the
# registry benchmark: initdb, then postgres on a unix socket in that folder and a free
# loopback port (never another address), trust authentication for the current user.
#
#   Scripts/postgres-test-server.sh start DIR   start it; prints the URL (postgres://USER@/postgres?host=DIR/socket&port=P)
#   Scripts/postgres-test-server.sh stop DIR    stop it (fast shutdown) and leave DIR for the caller to remove
#   Scripts/postgres-test-server.sh available   exit 0 when initdb and pg_ctl are installed
#
# Needs Debian's postgresql (`apt-get install -y postgresql`; .ci/run installs it). As root the
# server runs as the `postgres` user (initdb refuses root), which must be able to reach DIR.
set -euo pipefail

find_bin() {  # the newest version's program: Debian keeps them under /usr/lib/postgresql/N/bin
  local name=$1 dir
  command -v "$name" 2>/dev/null && return 0
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/$name" ] && { echo "$dir/$name"; return 0; }
  done
  return 1
}

available() {
  find_bin initdb >/dev/null && find_bin pg_ctl >/dev/null || { echo "missing: initdb/pg_ctl (apt-get install postgresql)" >&2; return 1; }
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

as_owner() {  # runs the command as the server's owner
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local dir=$1 port user
  available
  mkdir -p "$dir/socket"
  dir="$(cd "$dir" && pwd)"
  port="${ASSAY_PG_PORT:-$(free_port)}"
  if [ "$(id -u)" = 0 ]; then
    user=postgres
    chown -R postgres "$dir"
    # postgres must be able to walk down to DIR (a test's temporary folder may sit under a private one).
    local parent=$dir
    while [ "$parent" != "/" ]; do parent=$(dirname "$parent"); chmod o+x "$parent" 2>/dev/null || true; done
  else
    user=$(id -un)
  fi
  as_owner "$(find_bin initdb)" -D "$dir/data" -U "$user" -A trust -E UTF8 --no-instructions >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # Daemons get no stdio of ours: a caller reading our output to its end must not wait for them.
  as_owner "$(find_bin pg_ctl)" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir/socket -p $port -h 127.0.0.1 -c fsync=off -c max_connections=50" start </dev/null >>"$dir/pg_ctl.log" 2>&1 \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "$port" >"$dir/port"
  echo "postgres://$user@/postgres?host=$dir/socket&port=$port"
}

stop() {
  local dir=$1
  [ -d "$dir/data" ] || return 0
  as_owner "$(find_bin pg_ctl)" -D "$dir/data" -m fast -w -t 60 stop </dev/null >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  available) available ;;
  *) echo "usage: $0 start DIR | stop DIR | available" >&2; exit 2 ;;
esac
