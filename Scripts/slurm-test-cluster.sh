#!/usr/bin/env bash
# A single-node Slurm cluster (munged + slurmctld + slurmd, every CPU of this machine as one
# node, partition "debug") living entirely in one folder, for the fleet tests.
#
#   Scripts/slurm-test-cluster.sh start DIR   start it; prints `export SLURM_CONF=DIR/slurm.conf`
#   Scripts/slurm-test-cluster.sh stop DIR    stop the daemons started in DIR
#   Scripts/slurm-test-cluster.sh available   exit 0 when the Slurm and munge programs are installed
#
# Needs Debian's slurm-wlm and munge (`apt-get install -y slurm-wlm munge`); runs the daemons as
# the current user (root in CI: SlurmUser=root). Ports come from ASSAY_SLURM_PORT (default 16817:
# slurmctld; slurmd uses the next one), so it does not collide with a lab's own Slurm.
set -euo pipefail

programs=(munged slurmctld slurmd sbatch squeue scontrol sinfo scancel)

find_program() { command -v "$1" 2>/dev/null || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; } || return 1; }

available() {
  local program
  for program in "${programs[@]}"; do find_program "$program" >/dev/null || { echo "missing: $program" >&2; return 1; }; done
}

start() {
  local dir="$1" port="${ASSAY_SLURM_PORT:-16817}" node cpus user
  available
  mkdir -p "$dir"/{state,spool,munge,log}
  dir="$(cd "$dir" && pwd)"
  node="$(hostname -s)"
  cpus="$(nproc --all)"
  user="$(id -un)"
  # munge: a private key and socket, so nothing outside DIR is touched.
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 0600 "$dir/munge/munge.key"
  chmod 0700 "$dir/munge"
  # Daemons get no stdio of ours: a caller reading our output to its end must not wait for them.
  "$(find_program munged)" --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" \
    </dev/null >>"$dir/log/daemons.out" 2>&1
  cat >"$dir/slurm.conf" <<EOF
ClusterName=assaytest
SlurmctldHost=$node(127.0.0.1)
SlurmUser=$user
SlurmdUser=$user
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
# Quick turnaround for tests: kill 2 s after the signal, keep finished jobs visible 10 minutes.
KillWait=2
MinJobAge=600
SchedulerParameters=sched_interval=1
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$dir/slurm.conf"
  if ! "$(find_program slurmctld)" -f "$SLURM_CONF" </dev/null >>"$dir/log/daemons.out" 2>&1 \
     || ! "$(find_program slurmd)" -f "$SLURM_CONF" -N "$node" </dev/null >>"$dir/log/daemons.out" 2>&1; then
    echo "slurmctld or slurmd did not start; logs in $dir/log" >&2
    stop "$dir"
    return 1
  fi
  # Ready when the node accepts work; a daemon that died (a port in use, say) ends the wait at once.
  local tries=0 state="" file
  while [ $tries -lt 60 ]; do
    for file in "$dir/slurmctld.pid" "$dir/slurmd.pid"; do
      if [ -f "$file" ] && ! kill -0 "$(cat "$file")" 2>/dev/null; then tries=60; fi
    done
    state="$(timeout 5 sinfo -h -n "$node" -o %t 2>/dev/null || true)"
    case "$state" in idle*|mix*|alloc*) echo "export SLURM_CONF=$SLURM_CONF"; return 0 ;; esac
    sleep 0.5; tries=$((tries + 1))
  done
  echo "slurm test cluster did not come up (node state: '${state:-none}'); logs in $dir/log" >&2
  tail -n 20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
  stop "$dir"
  return 1
}

stop() {
  local dir="$1" file pids=()
  for file in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    [ -f "$file" ] && pids+=("$(cat "$file")") && rm -f "$file"
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  kill "${pids[@]}" 2>/dev/null || true
  # Up to 5 s to exit on their own, then killed.
  local pid alive
  for _ in $(seq 1 20); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 1 ] || return 0
    sleep 0.25
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
}

case "${1:-}" in
  start) start "${2:?usage: $0 start DIR}" ;;
  stop) stop "${2:?usage: $0 stop DIR}" ;;
  available) available ;;
  *) echo "usage: $0 start DIR | stop DIR | available" >&2; exit 2 ;;
esac
