#!/usr/bin/env bash
# Compaction side by side: `tidemark server`, then an Apache Kafka 4.3.1 broker (KRaft, one node,
# 127.0.0.1), each alone on the machine with the same heap (-Xms1g -Xmx1g), gets a one-partition
# topic filled with keyed records (100-byte values, a tenth of the records live at the end), a
# steady keyed producer (acks=all), and then cleanup.policy=compact; CleanerBench measures the
# time until the partition stops shrinking and the produce latency before and during the
# cleaning. Both cleaners look for work every 15 s (Kafka's log.cleaner.backoff.ms, Tidemark's
# CLEANER_BACKOFF). Each cleaner's own account of its round (MB/s) is copied from its log.
#
#   benchmarks/cleaner-vs-kafka.sh                        # 1 GiB, 64 MiB segments
#   benchmarks/cleaner-vs-kafka.sh --megabytes 256        # a smaller run first
#
# Options: --megabytes N, --segment-bytes B, --rate R (the steady producer's records/s, default
# 5000), --no-build, --out DIR (default benchmarks/target/cleaner-vs-kafka/<time>), --ports T,K,C
# (Tidemark, Kafka, Kafka's controller; default 19192,19193,19194).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
megabytes=1024
segment_bytes=67108864
rate=5000
build=1
out="$root/benchmarks/target/cleaner-vs-kafka/$(date +%Y%m%d-%H%M%S)"
ports="19192,19193,19194"

while [ $# -gt 0 ]; do
  case "$1" in
    --megabytes) megabytes="$2"; shift 2 ;;
    --segment-bytes) segment_bytes="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --out) out="$2"; shift 2 ;;
    --ports) ports="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cleaner-vs-kafka: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
IFS=, read -r tidemark_port kafka_port controller_port <<< "$ports"

script=cleaner-vs-kafka
broker_heap=(-Xms1g -Xmx1g)
bench_jar="$root/benchmarks/target/benchmarks.jar"
tidemark_jar="$root/runtime/target/tidemark.jar"
mkdir -p "$out"
work="$(mktemp -d "${TMPDIR:-/tmp}/tidemark-cleaner-vs-kafka.XXXXXX")"
# shellcheck source=benchmarks/brokers.sh
. "$root/benchmarks/brokers.sh"
cleanup() {
  stop_broker "$tidemark_pid"
  stop_broker "$kafka_pid"
  rm -rf "$work"
}
trap cleanup EXIT

measure() {
  local name="$1" port="$2"
  echo "== $name on 127.0.0.1:$port, load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/run.txt"
  java -Xmx2g -cp "$bench_jar" io.tidemark.bench.server.CleanerBench --bootstrap "127.0.0.1:$port" --out "$out/$name.txt" \
    --megabytes "$megabytes" --segment-bytes "$segment_bytes" --rate "$rate" | tee -a "$out/run.txt"
  echo "== $name done, load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/run.txt"
}

if [ $build -eq 1 ]; then
  echo "== building runtime/target/tidemark.jar and benchmarks/target/benchmarks.jar"
  (cd "$root" && mvn -B -q -o -DskipTests -pl runtime,benchmarks -am package)
fi
load_kafka_classpath

{
  echo "# $(date -u +%FT%TZ) megabytes=$megabytes segment_bytes=$segment_bytes rate=$rate"
  echo "# $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/run.txt"

start_tidemark
measure tidemark "$tidemark_port"
stop_broker "$tidemark_pid"
echo "== Tidemark's log cleaner on its round(s)" | tee -a "$out/run.txt"
grep -E "cleaned [0-9]+ segments" "$out/tidemark.log" | tee -a "$out/run.txt" || echo "(no cleaner round in $out/tidemark.log)" | tee -a "$out/run.txt"
rm -rf "$work/tidemark-data"

start_kafka
measure kafka "$kafka_port"
stop_broker "$kafka_pid"
echo "== Kafka's log cleaner on its round(s)" | tee -a "$out/run.txt"
grep -E "cleaned log|MB of log processed|Indexed|Cleaned .* MB|Start size|End size|size reduction" "$out/kafka.log" \
  | tee -a "$out/run.txt" || echo "(no cleaner statistics in $out/kafka.log)" | tee -a "$out/run.txt"

echo "== Tidemark beside Kafka 4.3.1 (results in $out)"
java -cp "$bench_jar" io.tidemark.bench.server.ServerBench compare "$out/tidemark.txt" "$out/kafka.txt" | tee "$out/comparison.md"
