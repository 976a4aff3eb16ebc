#!/usr/bin/env bash
# The in-memory engine workloads of docs/WORKLOADS.md on Tidemark beside Apache Flink 2.2, like
# for like: the same generated events on both sides (the Flink jobs compile Tidemark's generator
# in), parallelism 2, the same -Xmx, a cold JVM per run on both sides, the same warm-up in that
# JVM on both sides (WARMUP lines, left out), both timed from the first event made to the end of
# the job (Flink's MiniCluster start is in no figure), the same event count. Throughput: W1, W2
# (beside Flink's DataStream sliding window, W2, and beside Flink SQL's HOP window, W2SQL, which
# slices as Tidemark does), W3; each run prints events/s, peak RSS (VmHWM), GC count and time.
# Latency: W5 at 200,000 events/s after the same warm-up on both sides, each side printing the
# rate it achieved. The runs of a repetition alternate Tidemark and Flink, so that a change in
# load falls on both; prints the medians side by side.
#
#   benchmarks/engine-vs-flink.sh                                          # 3 runs of everything
#   benchmarks/engine-vs-flink.sh --runs 1 --events W1=2000000,W2=400000,W3=400000 --seconds 5   # smoke run
#
# Options: --runs R (default 3), --heap SIZE (-Xmx of every JVM on both sides, default 768m),
# --warmups K (warm-up runs before the measured one in each JVM, both sides, default 1),
# --workloads W1,W2,W2SQL,W3,W5 (default all), --events W1=N,W2=N,W3=N (W2 sets W2SQL too;
# default W1=20000000,W2=4000000,W3=4000000), --seconds S (W5 measured, default 30; the warm-up
# before it is a fifth of that, at most 5 s, as LatencyRun's), --timeout 0|default (W5's channel
# flush timeout on both sides, default 0), --no-build, --out DIR (default
# benchmarks/target/engine-vs-flink/<time>).
# Flink's classpath is resolved on first use from benchmarks/flink-anchor/pom.xml (it downloads
# once); it is not part of the normal build.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=3
heap=768m
warmups=1
workloads=W1,W2,W2SQL,W3,W5
events_spec=""
seconds=30
timeout=0
build=1
out="$root/benchmarks/target/engine-vs-flink/$(date +%Y%m%d-%H%M%S)"

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --heap) heap="$2"; shift 2 ;;
    --warmups) warmups="$2"; shift 2 ;;
    --workloads) workloads="$2"; shift 2 ;;
    --events) events_spec="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "engine-vs-flink: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$timeout" in
  0|default) ;;
  *) echo "engine-vs-flink: --timeout is 0 or default (the two sides count it in different units)" >&2; exit 2 ;;
esac
declare -A events=([W1]=20000000 [W2]=4000000 [W3]=4000000)
for pair in ${events_spec//,/ }; do
  events[${pair%%=*}]="${pair#*=}"
done
events[W2SQL]="${events[W2]}"
# LatencyRun's warm-up: a fifth of the measured seconds, at most 5 s.
warmup_seconds=$(( seconds / 5 < 5 ? seconds / 5 : 5 ))

bench_jar="$root/benchmarks/target/benchmarks.jar"
tidemark_java=(java "-Xmx$heap" --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp "$bench_jar")
mkdir -p "$out"

if [ $build -eq 1 ]; then
  echo "== building benchmarks/target/benchmarks.jar and the Flink jobs"
  (cd "$root" && mvn -B -q -DskipTests -pl benchmarks -am package)
fi
# shellcheck source=benchmarks/flink-anchor.sh
. "$root/benchmarks/flink-anchor.sh"
flink_anchor "$build"
flink_java=(java "-Xmx$heap" -cp "$flink_classpath")

{
  echo "# $(date -u +%FT%TZ) runs=$runs heap=$heap warmups=$warmups workloads=$workloads events=W1=${events[W1]},W2=${events[W2]},W3=${events[W3]} W5=${warmup_seconds}s+${seconds}s timeout=$timeout"
  echo "# $(nproc) cores, $(java -version 2>&1 | head -1), uptime: $(uptime)"
} | tee "$out/run.txt"
: > "$out/results.txt"

# One cold JVM: its lines go to run.txt, its RESULT lines to results.txt, its stderr to a file.
jvm() {
  local name="$1"; shift
  echo "== $name (load average $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/run.txt"
  "$@" 2> "$out/$name-$run.err" | tee -a "$out/run.txt" | { grep '^RESULT' || true; } >> "$out/results.txt"
}

for run in $(seq 1 "$runs"); do
  echo "== run $run of $runs" | tee -a "$out/run.txt"
  for workload in ${workloads//,/ }; do
    case "$workload" in
      W1|W2|W3)
        jvm "tidemark-$workload" "${tidemark_java[@]}" io.tidemark.bench.engine.SideBySideRun "$workload" "${events[$workload]}" "$warmups"
        jvm "flink-$workload" "${flink_java[@]}" io.tidemark.bench.flink.EngineFlink "$workload" "${events[$workload]}" "$warmups" ;;
      W2SQL)
        jvm "flink-$workload" "${flink_java[@]}" io.tidemark.bench.flink.EngineFlink "$workload" "${events[$workload]}" "$warmups" ;;
      W5)
        jvm tidemark-W5 "${tidemark_java[@]}" io.tidemark.bench.engine.LatencyRun --child "$timeout" "$seconds" 2
        jvm flink-W5 "${flink_java[@]}" io.tidemark.bench.flink.LatencyFlink "$timeout" "$seconds" "$warmup_seconds" ;;
      *) echo "engine-vs-flink: unknown workload '$workload'" >&2; exit 2 ;;
    esac
  done
done
echo "# end $(date -u +%FT%TZ), uptime: $(uptime)" | tee -a "$out/run.txt"

# Medians per side and workload (the upper middle of an even count), side by side. W2SQL's
# Tidemark figure is W2's: the same events and windows.
echo "== medians of $runs runs (results in $out)"
awk -f "$root/benchmarks/median.awk" -f <(echo '
  function mib(list) { return list == "" ? "-" : sprintf("%d MiB", median(list) / 1048576) }
  function gc(key) { return (key in count) ? sprintf("%d / %d ms", median(count[key]), median(millis[key])) : "-" }
  $1 == "RESULT" {
    delete field
    for (i = 4; i <= NF; i++) { split($i, kv, "="); field[kv[1]] = kv[2] }
    key = $2 " " $3
    rate[key] = rate[key] " " field["eventsPerSecond"]
    rss[key] = rss[key] " " field["peakRssBytes"]
    count[key] = count[key] " " field["gcCount"]
    millis[key] = millis[key] " " field["gcMillis"]
    if ($3 == "W5") { p50[key] = p50[key] " " field["p50Nanos"]; p99[key] = p99[key] " " field["p99Nanos"]; p999[key] = p999[key] " " field["p999Nanos"] }
    n[key]++
  }
  END {
    print "| workload | runs (T / F) | Tidemark events/s | Flink 2.2 events/s | Tidemark / Flink | Tidemark peak RSS | Flink peak RSS | GC count / time (T) | GC count / time (F) |"
    print "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    split("W1 W2 W2SQL W3", names, " ")
    for (w = 1; w <= 4; w++) {
      f = "flink " names[w]; t = "tidemark " (names[w] == "W2SQL" ? "W2" : names[w])
      if (!(f in rate) && (names[w] == "W2SQL" || !(t in rate))) continue
      tr = (t in rate) ? median(rate[t]) : ""; fr = (f in rate) ? median(rate[f]) : ""
      printf "| %s | %d / %d | %s | %s | %s | %s | %s | %s | %s |\n", names[w] == "W2SQL" ? "W2 (Flink SQL HOP)" : names[w], n[t], n[f],
        tr == "" ? "-" : sprintf("%.2f M", tr / 1e6), fr == "" ? "-" : sprintf("%.3f M", fr / 1e6),
        (tr == "" || fr == "") ? "-" : sprintf("%.1f", tr / fr), mib(rss[t]), mib(rss[f]), gc(t), gc(f)
    }
    t = "tidemark W5"; f = "flink W5"
    if ((t in rate) || (f in rate)) {
      print ""
      print "| W5 | runs | achieved events/s | p50 | p99 | p99.9 | peak RSS | GC count / time |"
      print "|---|---:|---:|---:|---:|---:|---:|---:|"
      for (s = 1; s <= 2; s++) {
        k = s == 1 ? t : f
        if (!(k in rate)) continue
        printf "| %s | %d | %.0f | %.1f us | %.1f us | %.1f us | %s | %s |\n", s == 1 ? "Tidemark" : "Flink 2.2", n[k], median(rate[k]),
          median(p50[k]) / 1e3, median(p99[k]) / 1e3, median(p999[k]) / 1e3, mib(rss[k]), gc(k)
      }
    }
  }') "$out/results.txt" | tee "$out/comparison.md"
