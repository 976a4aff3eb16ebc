#!/usr/bin/env bash
# The Nexmark queries (docs/NEXMARK.md) on Tidemark beside the same queries as Apache Flink 2.2
# DataStream jobs, over the same events: both sides run Tidemark's Nexmark generator (the Flink
# job compiles it in from benchmarks/src/main/java). Per query, one JVM per side (a 2 GiB heap,
# touched in full before the first run: -Xms2g -Xmx2g -XX:+AlwaysPreTouch), in
# turn, each running every parallelism asked: a warm-up run, then the runs measured. Each run
# reports events/s and events/s per core (the process's CPU time over the run's wall time, the
# NEXMark convention); the results of a query are counted on both sides and must agree.
# Prints the medians side by side, with the load average before each JVM.
#
#   benchmarks/nexmark-vs-flink.sh                                   # 10 M events, 3 runs, p = 1 and 2
#   benchmarks/nexmark-vs-flink.sh --events 2000000 --queries q0,q5   # smoke run
#
# Options: --events N, --runs R, --parallelism 1,2, --queries q0,q1,... (default: every query
# both sides have), --no-build, --out DIR (default benchmarks/target/nexmark-vs-flink/<time>),
# --before JAR (a benchmarks.jar of an earlier commit, run first per query, in its own JVM,
# as "before": a before/after comparison in the same run, beside Flink).
# Flink's classpath is resolved on first use from benchmarks/flink-anchor/pom.xml (it downloads
# once); it is not part of the normal build.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
events=10000000
runs=3
parallelism=1,2
queries=q0,q1,q2,q3,q4,q5,q6,q7,q8,q9,q11,q12,q14,q15,q16,q17,q18,q19,q20,q21,q22
build=1
before=
out="$root/benchmarks/target/nexmark-vs-flink/$(date +%Y%m%d-%H%M%S)"

while [ $# -gt 0 ]; do
  case "$1" in
    --events) events="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --parallelism) parallelism="$2"; shift 2 ;;
    --queries) queries="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --out) out="$2"; shift 2 ;;
    --before) before="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "nexmark-vs-flink: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

# The whole heap committed and touched at start-up, on both sides: a page's first touch can be
# dear (tens of microseconds on the virtual machine docs/BENCHMARKS.md was measured on), and a
# heap growing into fresh pages during the first runs charged that to the thread allocating (Tidemark's q3 at p = 1 ran its first two
# measured runs at half the speed of the later ones; with the heap touched first, every run was
# as fast). The start-up is not measured, on either side.
heap=(-Xms2g -Xmx2g -XX:+AlwaysPreTouch)
bench_jar="$root/benchmarks/target/benchmarks.jar"
mkdir -p "$out"

if [ $build -eq 1 ]; then
  echo "== building benchmarks/target/benchmarks.jar and the Flink jobs"
  (cd "$root" && mvn -B -q -DskipTests -pl benchmarks -am package)
fi
# shellcheck source=benchmarks/flink-anchor.sh
. "$root/benchmarks/flink-anchor.sh"
flink_anchor "$build"

{
  echo "# $(date -u +%FT%TZ) events=$events runs=$runs parallelism=$parallelism queries=$queries"
  echo "# $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/run.txt"
: > "$out/results.txt"

options=(--events "$events" --runs "$runs" --parallelism "$parallelism")
failed=()
# One JVM: its lines to run.txt, its RESULT lines (relabelled by the sed expression given) to
# results.txt, its stderr to <name>.err. A JVM that fails is reported and the sitting goes on,
# so that the others' runs are measured and the table printed.
jvm() {
  local name="$1" relabel="$2"; shift 2
  echo "== $name (load average $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/run.txt"
  local err status=0
  err="$out/$(echo "$name" | tr 'A-Z ' 'a-z-').err"
  "$@" 2> "$err" | sed "$relabel" | tee -a "$out/run.txt" | { grep '^RESULT' || true; } >> "$out/results.txt" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "== $name FAILED (exit $status): see $err" | tee -a "$out/run.txt"
    failed+=("$name")
  fi
}
for query in ${queries//,/ }; do
  if [ -n "$before" ]; then
    jvm "before $query" 's/^RESULT tidemark /RESULT before /' \
      java "${heap[@]}" --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp "$before" io.tidemark.bench.nexmark.NexmarkRun "${options[@]}" "$query"
  fi
  jvm "Tidemark $query" '' \
    java "${heap[@]}" --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp "$bench_jar" io.tidemark.bench.nexmark.NexmarkRun "${options[@]}" "$query"
  jvm "Flink $query" '' java "${heap[@]}" -cp "$flink_classpath" io.tidemark.bench.flink.NexmarkFlink "${options[@]}" "$query"
done
echo "# end $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/run.txt"

# Medians per system, query and parallelism (the upper middle of an even count), side by side.
echo "== medians of $runs runs, $events events (results in $out)"
awk -f "$root/benchmarks/median.awk" -f <(echo '
  $1 == "RESULT" {
    for (i = 4; i <= NF; i++) { split($i, kv, "="); field[kv[1]] = kv[2] }
    key = $2 " " $3 " " field["p"]
    rate[key] = rate[key] " " field["eventsPerSecond"]
    core[key] = core[key] " " field["perCore"]
    results[key] = results[key] " " field["results"]
    if (!(($3 " " field["p"]) in seen)) { seen[$3 " " field["p"]] = 1; order[++count] = $3 " " field["p"] }
  }
  END {
    hasBefore = 0
    for (k in core) if (k ~ /^before /) hasBefore = 1
    if (hasBefore) {
      print "| query | p | before per core | before / Flink | Tidemark events/s | Tidemark per core | Flink 2.2 events/s | Flink per core | per core, Tidemark / Flink | results (T / F) |"
      print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    } else {
      print "| query | p | Tidemark events/s | Tidemark per core | Flink 2.2 events/s | Flink per core | per core, Tidemark / Flink | results (T / F) |"
      print "|---|---:|---:|---:|---:|---:|---:|---|"
    }
    for (k = 1; k <= count; k++) {
      split(order[k], qp, " "); t = "tidemark " order[k]; f = "flink " order[k]; b = "before " order[k]
      tr = (t in rate) ? median(rate[t]) : ""; tc = (t in core) ? median(core[t]) : ""
      fr = (f in rate) ? median(rate[f]) : ""; fc = (f in core) ? median(core[f]) : ""
      split(results[t], tres, " "); split(results[f], fres, " ")
      if (hasBefore) {
        bc = (b in core) ? median(core[b]) : ""
        printf "| %s | %s | %s | %s ", qp[1], qp[2], bc == "" ? "-" : sprintf("%.2f M", bc / 1e6),
          (bc == "" || fc == "") ? "-" : sprintf("%.1f", bc / fc)
        printf "| %s | %s | %s | %s | %s | %s / %s |\n",
          tr == "" ? "-" : sprintf("%.2f M", tr / 1e6), tc == "" ? "-" : sprintf("%.2f M", tc / 1e6),
          fr == "" ? "-" : sprintf("%.0f k", fr / 1e3), fc == "" ? "-" : sprintf("%.0f k", fc / 1e3),
          (tc == "" || fc == "") ? "-" : sprintf("%.1f", tc / fc), tres[1], (f in rate) ? fres[1] : "-"
        continue
      }
      printf "| %s | %s | %s | %s | %s | %s | %s | %s / %s |\n", qp[1], qp[2],
        tr == "" ? "-" : sprintf("%.2f M", tr / 1e6), tc == "" ? "-" : sprintf("%.2f M", tc / 1e6),
        fr == "" ? "-" : sprintf("%.0f k", fr / 1e3), fc == "" ? "-" : sprintf("%.0f k", fc / 1e3),
        (tc == "" || fc == "") ? "-" : sprintf("%.1f", tc / fc), tres[1], (f in rate) ? fres[1] : "-"
    }
  }') "$out/results.txt" | tee "$out/comparison.md"
if [ ${#failed[@]} -gt 0 ]; then
  echo "nexmark-vs-flink: ${#failed[@]} JVM(s) failed: ${failed[*]} (their .err files in $out)" >&2
  exit 1
fi
