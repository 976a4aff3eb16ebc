#!/usr/bin/env bash
# Start-up and idle memory: launches `tidemark server` (through the ./tidemark launcher, with
# the JVM options a user gets) and an Apache Kafka 4.3.1 broker (KRaft, one node, 127.0.0.1, the
# heap and G1 flags of kafka-server-start.sh) N times each, alternating, each on a fresh data
# directory, and prints per launch and as medians:
#   ready_s    launch to the broker's ready line (Tidemark: "tidemark server ready on";
#              Kafka: "Kafka Server started")
#   api_s      launch to the first ApiVersions request answered without error on the Kafka port
#   cpu_s      the broker's user + system CPU time at its ready line (/proc/PID/stat), which a
#              loaded machine inflates much less than the wall-clock figures
#   rss_ready  VmRSS (/proc/PID/status) at the ready line, MiB
#   rss_idle   VmRSS after --idle seconds with no client, MiB
#   threads    the broker's threads after the idle wait
# and the load average beside each launch. Kafka's storage format runs before its clock starts;
# Tidemark creates its data directory (and its internal topics) inside its time.
#
#   benchmarks/start-and-idle.sh                               # 5 launches each, 5 s idle
#   benchmarks/start-and-idle.sh --launches 9 --no-kafka       # Tidemark only
#   benchmarks/start-and-idle.sh --tidemark before=/tmp/before/tidemark --tidemark after=./tidemark
#
# Options: --launches N, --idle S, --no-kafka, --tidemark LABEL=LAUNCHER (repeatable: compare
# launchers, for example an earlier build's, interleaved launch by launch; default
# tidemark=./tidemark), --out DIR (default benchmarks/target/start-and-idle/<time>),
# --ports T,K,C (Tidemark, Kafka, Kafka's controller; default 19192,19193,19194).
# Each launcher runs once unmeasured first: ./tidemark builds its jar there if a source changed,
# and writes its class data sharing archive, so the figures are those of every later start (edit
# no source while this runs: the launcher would rebuild inside a measured launch).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
launches=5
idle=5
kafka=1
variants=()
out="$root/benchmarks/target/start-and-idle/$(date +%Y%m%d-%H%M%S)"
ports="19192,19193,19194"

while [ $# -gt 0 ]; do
  case "$1" in
    --launches) launches="$2"; shift 2 ;;
    --idle) idle="$2"; shift 2 ;;
    --no-kafka) kafka=0; shift ;;
    --tidemark) variants+=("$2"); shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --ports) ports="$2"; shift 2 ;;
    -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "start-and-idle: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [ ${#variants[@]} -eq 0 ]; then
  variants=("tidemark=$root/tidemark")
fi
IFS=, read -r tidemark_port kafka_port controller_port <<< "$ports"

script=start-and-idle
# What kafka-server-start.sh gives Kafka; Tidemark runs with its launcher's own defaults.
broker_heap=(-Xms1g -Xmx1g)
mkdir -p "$out"
work="$(mktemp -d "${TMPDIR:-/tmp}/tidemark-start.XXXXXX")"
# shellcheck source=benchmarks/brokers.sh
. "$root/benchmarks/brokers.sh"
pid=""
cleanup() {
  stop_broker "$pid"
  rm -rf "$work"
}
trap cleanup EXIT
# A fifo nobody writes to: `read -t` on it is a sleep without a process per poll.
mkfifo "$work/nap"
exec {nap}<> "$work/nap"
clock_ticks="$(getconf CLK_TCK)"
# A probe's write to a broker that resets the connection while it starts must fail the probe,
# not end the script with SIGPIPE.
trap '' PIPE

# Succeeds if an ApiVersions v0 request (correlation id 7) on the port gets a reply with error 0.
api_versions() {
  local fd reply
  exec {fd}<> "/dev/tcp/127.0.0.1/$1" || return 1
  printf '\x00\x00\x00\x0a\x00\x12\x00\x00\x00\x00\x00\x07\x00\x00' >&"$fd"
  reply="$(timeout 2 head -c 10 <&"$fd" | od -An -tx1 | tr -s ' \n' ' ')" || true
  exec {fd}>&-
  [ "${reply:12}" = " 00 00 00 07 00 00 " ]
}

seconds_since() {
  awk -v now="$EPOCHREALTIME" -v then="$1" 'BEGIN { printf "%.3f", now - then }'
}

rss_mib() {
  awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

cpu_seconds() {
  awk -v hz="$clock_ticks" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"
}

# Waits for the ready line in a log and the first answered ApiVersions, polling every 5 ms;
# prints "ready_s api_s" from the launch at `start`.
await_ready() {
  local log="$1" pattern="$2" port="$3" start="$4" deadline=$((SECONDS + 120)) ready="" api="" line partial="" logfd
  exec {logfd}< "$log"
  while [ -z "$ready" ] || [ -z "$api" ]; do
    while IFS= read -r -u "$logfd" line; do
      line="$partial$line"; partial=""
      if [ -z "$ready" ] && [[ "$line" == *"$pattern"* ]]; then
        ready="$(seconds_since "$start")"
      fi
    done
    partial="$partial$line"
    if [ -z "$api" ] && api_versions "$port" 2> /dev/null; then
      api="$(seconds_since "$start")"
    fi
    if ! kill -0 "$pid" 2> /dev/null; then
      echo "$script: the broker exited; see $log" >&2; tail -20 "$log" >&2; exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "$script: not ready after 120 s; see $log" >&2; exit 1
    fi
    read -r -t 0.005 -u "$nap" || true
  done
  exec {logfd}<&-
  echo "$ready $api"
}

# One launch of a broker already prepared: measures it, prints a result line, stops it.
measure() {
  local name="$1" log="$2" pattern="$3" port="$4" start="$5" times cpu rss_ready
  times="$(await_ready "$log" "$pattern" "$port" "$start")"
  cpu="$(cpu_seconds "$pid")"
  rss_ready="$(rss_mib "$pid")"
  read -r -t "$idle" -u "$nap" || true
  printf '%-10s %s %s %s %s %s %s\n' "$name" "$times" "$cpu" "$rss_ready" "$(rss_mib "$pid")" \
    "$(ls "/proc/$pid/task" | wc -l)" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out/launches.txt"
  stop_broker "$pid"
  pid=""
}

launch_tidemark() {
  local name="${1%%=*}" launcher="${1#*=}" start
  rm -rf "$work/tidemark-data"
  : > "$out/$name.log"
  start="$EPOCHREALTIME"
  "$launcher" server --data-dir "$work/tidemark-data" --port "$tidemark_port" --http-port 0 > "$out/$name.log" 2>&1 &
  pid=$!
  measure "$name" "$out/$name.log" "tidemark server ready on" "$tidemark_port" "$start"
}

launch_kafka_measured() {
  local start
  rm -rf "$work/kafka-data"
  format_kafka
  : > "$out/kafka.log"
  start="$EPOCHREALTIME"
  launch_kafka
  pid="$kafka_pid"
  measure kafka "$out/kafka.log" "Kafka Server started" "$kafka_port" "$start"
}

# One unmeasured launch per launcher: builds its jar if a source is newer, and lets it write its
# class data sharing archive, so that the measured launches are the starts a user sees every day.
warm_up() {
  local name="${1%%=*}" launcher="${1#*=}"
  echo "== warming up $name"
  rm -rf "$work/tidemark-data"
  : > "$out/$name-warm-up.log"
  "$launcher" server --data-dir "$work/tidemark-data" --port "$tidemark_port" --http-port 0 > "$out/$name-warm-up.log" 2>&1 &
  pid=$!
  await_ready "$out/$name-warm-up.log" "tidemark server ready on" "$tidemark_port" "$EPOCHREALTIME" > /dev/null
  stop_broker "$pid"
  pid=""
}

if [ $kafka -eq 1 ]; then
  load_kafka_classpath
fi
for variant in "${variants[@]}"; do
  warm_up "$variant"
done
{
  echo "# $(date -u +%FT%TZ) launches=$launches idle=${idle}s; $(nproc) cores, $(java -version 2>&1 | head -1)"
  echo "# uptime: $(uptime)"
  echo "# broker     ready_s api_s cpu_s rss_ready_MiB rss_idle_MiB threads load1"
} | tee "$out/launches.txt"
for launch in $(seq 1 "$launches"); do
  for variant in "${variants[@]}"; do
    launch_tidemark "$variant"
  done
  if [ $kafka -eq 1 ]; then
    launch_kafka_measured
  fi
done
echo "# uptime: $(uptime)" | tee -a "$out/launches.txt"

echo "== medians of $launches launches (all launches in $out/launches.txt)"
awk '
  !/^#/ { n[$1]++; for (c = 2; c <= 7; c++) v[$1, c, n[$1]] = $c; if (!($1 in seen)) { seen[$1] = 1; order[++names] = $1 } }
  function median(name, c,   k, i, j, t, a) {
    k = n[name]; for (i = 1; i <= k; i++) a[i] = v[name, c, i]
    for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  END {
    printf "%-10s %8s %8s %8s %14s %13s %8s\n", "broker", "ready_s", "api_s", "cpu_s", "rss_ready_MiB", "rss_idle_MiB", "threads"
    for (i = 1; i <= names; i++) {
      m = order[i]
      printf "%-10s %8s %8s %8s %14s %13s %8s\n", m, median(m, 2), median(m, 3), median(m, 4), median(m, 5), median(m, 6), median(m, 7)
    }
  }' "$out/launches.txt" | tee "$out/medians.txt"
