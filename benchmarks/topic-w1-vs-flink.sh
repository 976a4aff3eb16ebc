#!/usr/bin/env bash
# W1 (docs/WORKLOADS.md) reading its events from a topic instead of a generator: Tidemark
# beside Apache Flink 2.2's Kafka connector, reading the same topic from the same broker in
# the same run. The W1 events are written once per broker before the runs, into a topic of
# 2 partitions: (a) on `tidemark server`, (b) on an Apache Kafka 4.3.1 broker (KRaft, one
# node, 127.0.0.1), both started and stopped here, and (c) into an embedded log data
# directory. Then, repetition by repetition, each run in a cold JVM of its own with the same
# heap on both sides (-Xmx768m), timed from the first record read to the end of the job:
#   Tidemark LogSource.bounded on (c), Tidemark KafkaSource.bounded() and Flink's KafkaSource
#   (bounded at the end offsets at start, MiniCluster, parallelism 2) on (a), then on (b).
# Every run checks that the counts add up to N. Prints the medians side by side.
#
#   benchmarks/topic-w1-vs-flink.sh                                  # 20 M events, 3 repetitions
#   benchmarks/topic-w1-vs-flink.sh --events 2000000 --repetitions 1   # smoke run
#
# Options: --events N, --repetitions R, --no-build, --out DIR (default
# benchmarks/target/topic-w1-vs-flink/<time>), --ports T,K,C (Tidemark, Kafka, Kafka's
# controller; default 19092,19093,19094).
# Both brokers get -Xms1g -Xmx1g (what kafka-server-start.sh gives Kafka), Kafka also the GC
# flags of its start script. Flink's classpath is resolved on first use from
# benchmarks/flink-anchor/pom.xml and the Kafka broker's from benchmarks/kafka-broker/pom.xml
# (each downloads once); neither is part of the normal build.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
events=20000000
repetitions=3
build=1
out="$root/benchmarks/target/topic-w1-vs-flink/$(date +%Y%m%d-%H%M%S)"
ports="19092,19093,19094"

while [ $# -gt 0 ]; do
  case "$1" in
    --events) events="$2"; shift 2 ;;
    --repetitions) repetitions="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --out) out="$2"; shift 2 ;;
    --ports) ports="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "topic-w1-vs-flink: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
IFS=, read -r tidemark_port kafka_port controller_port <<< "$ports"

script=topic-w1-vs-flink
topic=w1
broker_heap=(-Xms1g -Xmx1g)
# The same maximum heap for every run on both sides: ThroughputWorkload.HEAP, as one sizes a Flink TaskManager.
job_heap=(-Xmx768m)
bench_jar="$root/benchmarks/target/benchmarks.jar"
tidemark_jar="$root/runtime/target/tidemark.jar"
mkdir -p "$out"
work="$(mktemp -d "${TMPDIR:-/tmp}/tidemark-topic-w1.XXXXXX")"
# shellcheck source=benchmarks/brokers.sh
. "$root/benchmarks/brokers.sh"
cleanup() {
  stop_broker "$tidemark_pid"
  stop_broker "$kafka_pid"
  rm -rf "$work"
}
trap cleanup EXIT

# One run in a cold JVM: appends its RESULT line to results.txt, and the load average before
# and after it to run.txt.
tidemark_run() {
  local label="$1"; shift
  echo "== Tidemark, $label (load average $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/run.txt"
  java "${job_heap[@]}" --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp "$bench_jar" io.tidemark.bench.engine.TopicW1Run \
    "$@" "$topic" "$events" "$label" 2> "$out/tidemark-$label-$repetition.err" | tee -a "$out/run.txt" | grep '^RESULT' >> "$out/results.txt"
}
flink_run() {
  local label="$1" port="$2"
  echo "== Flink, $label (load average $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/run.txt"
  java "${job_heap[@]}" -cp "$flink_classpath" io.tidemark.bench.flink.TopicW1 \
    "127.0.0.1:$port" "$topic" "$events" "$label" 2> "$out/flink-$label-$repetition.err" | tee -a "$out/run.txt" | grep '^RESULT' >> "$out/results.txt"
}

if [ $build -eq 1 ]; then
  echo "== building runtime/target/tidemark.jar, benchmarks/target/benchmarks.jar and the Flink job"
  (cd "$root" && mvn -B -q -DskipTests -pl runtime,benchmarks -am package)
fi
# shellcheck source=benchmarks/flink-anchor.sh
. "$root/benchmarks/flink-anchor.sh"
flink_anchor "$build"
load_kafka_classpath

{
  echo "# $(date -u +%FT%TZ) events=$events repetitions=$repetitions"
  echo "# $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/run.txt"
: > "$out/results.txt"

start_tidemark
start_kafka
echo "== loading $events W1 events into topic $topic (2 partitions) on each broker and the embedded log"
java -cp "$bench_jar" io.tidemark.bench.engine.TopicW1Loader log "$work/log" "$topic" "$events"
java -cp "$bench_jar" io.tidemark.bench.engine.TopicW1Loader kafka "127.0.0.1:$tidemark_port" "$topic" "$events"
java -cp "$bench_jar" io.tidemark.bench.engine.TopicW1Loader kafka "127.0.0.1:$kafka_port" "$topic" "$events"

for repetition in $(seq 1 "$repetitions"); do
  echo "== repetition $repetition of $repetitions" | tee -a "$out/run.txt"
  tidemark_run log log "$work/log"
  tidemark_run tidemark kafka "127.0.0.1:$tidemark_port"
  flink_run tidemark "$tidemark_port"
  tidemark_run kafka kafka "127.0.0.1:$kafka_port"
  flink_run kafka "$kafka_port"
done
echo "# end $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/run.txt"
stop_broker "$tidemark_pid"
stop_broker "$kafka_pid"

# Medians per system and source (the upper middle of an even count, as ThroughputRun), side by side.
echo "== medians of $repetitions runs, $events events (results in $out)"
awk -f "$root/benchmarks/median.awk" -f <(echo '
  $1 == "RESULT" {
    for (i = 4; i <= NF; i++) { split($i, kv, "="); field[kv[1]] = kv[2] }
    key = $2 " " $3
    rate[key] = rate[key] " " field["eventsPerSecond"]
    rss[key] = rss[key] " " field["peakRssBytes"]
  }
  END {
    print "| source | Tidemark events/s | Flink 2.2 events/s | Tidemark / Flink | Tidemark peak RSS | Flink peak RSS |"
    print "|---|---:|---:|---:|---:|---:|"
    split("log tidemark kafka", sources, " ")
    names["log"] = "embedded log (LogSource)"; names["tidemark"] = "tidemark server"; names["kafka"] = "Apache Kafka 4.3.1"
    for (s = 1; s <= 3; s++) {
      t = "tidemark " sources[s]; f = "flink " sources[s]
      tr = (t in rate) ? median(rate[t]) : ""; fr = (f in rate) ? median(rate[f]) : ""
      printf "| %s | %s | %s | %s | %s | %s |\n", names[sources[s]],
        tr == "" ? "-" : sprintf("%.2f M", tr / 1e6), fr == "" ? "-" : sprintf("%.2f M", fr / 1e6),
        (tr == "" || fr == "") ? "-" : sprintf("%.2f", tr / fr),
        tr == "" ? "-" : sprintf("%d MiB", median(rss[t]) / 1048576), fr == "" ? "-" : sprintf("%d MiB", median(rss[f]) / 1048576)
    }
  }') "$out/results.txt" | tee "$out/comparison.md"
