#!/usr/bin/env bash
# The server benchmark: workloads L1-L4 (docs/WORKLOADS.md) with the kafka-clients
# producer and consumer, L2T and L3C (transactions) when asked for, and L1/L3 with kcat,
# against `tidemark server` and against an Apache Kafka 4.3.1 broker (KRaft, one node, 127.0.0.1), both started and stopped here, on
# this machine in one run; then both sets of medians side by side with the ratio
# Tidemark / Kafka.
#
#   benchmarks/server-vs-kafka.sh                         # 5 M records, 3 repetitions
#   benchmarks/server-vs-kafka.sh --records 500000 --repetitions 1 --round-trips 2000   # smoke run
#
# Options: --records N, --repetitions R, --round-trips M (L4), --no-kcat, --workloads L1,L2,L3,L4
# (the Java client's workloads, default L1-L4; L2T and L3C use transactions), --no-build, --sequential,
# --jfr (record Tidemark's server with JFR into the output directory), --out DIR (default
# benchmarks/target/server-vs-kafka/<time>), --ports T,K,C (Tidemark, Kafka, Kafka's
# controller; default 19092,19093,19094), --tidemark-jvm "FLAGS" (more JVM flags for Tidemark's
# server only, after the heap flags; for example -XX:+UseSerialGC, the ./tidemark launcher's collector),
# --tidemark-jar JAR (the server to run instead of runtime/target/tidemark.jar: an earlier build, for
# a before/after pair of runs beside the same Kafka).
# Each broker's CPU time per workload is read thread by thread from /proc/PID/task/*/schedstat (in
# nanoseconds), before and after it, and printed per record, for Tidemark also by group of threads
# (event loop, I/O threads, log background, JIT, GC).
# Both brokers get the same heap (-Xms1g -Xmx1g, what kafka-server-start.sh gives Kafka);
# Kafka also gets the GC flags of its start script, and its storage is formatted with
# transaction.version=1, the transaction protocol Tidemark serves. The Kafka broker's
# classpath is resolved on first use from benchmarks/kafka-broker/pom.xml (downloads
# kafka_2.13 and Scala once).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
records=5000000
repetitions=3
round_trips=20000
kcat_flag=()
workloads="L1,L2,L3,L4"
build=1
jfr=0
sequential=0
out="$root/benchmarks/target/server-vs-kafka/$(date +%Y%m%d-%H%M%S)"
ports="19092,19093,19094"
tidemark_jvm=()
tidemark_jar_option=""

while [ $# -gt 0 ]; do
  case "$1" in
    --records) records="$2"; shift 2 ;;
    --repetitions) repetitions="$2"; shift 2 ;;
    --round-trips) round_trips="$2"; shift 2 ;;
    --no-kcat) kcat_flag=(--no-kcat); shift ;;
    --workloads) workloads="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --jfr) jfr=1; shift ;;
    --sequential) sequential=1; shift ;;
    --out) out="$2"; shift 2 ;;
    --ports) ports="$2"; shift 2 ;;
    --tidemark-jvm) read -r -a tidemark_jvm <<< "$2"; shift 2 ;;
    --tidemark-jar) tidemark_jar_option="$2"; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "server-vs-kafka: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
IFS=, read -r tidemark_port kafka_port controller_port <<< "$ports"
if [ ${#kcat_flag[@]} -eq 0 ] && ! command -v kcat > /dev/null; then
  echo "server-vs-kafka: kcat is not installed (apt-get install kcat), or pass --no-kcat" >&2
  exit 2
fi

script=server-vs-kafka
broker_heap=(-Xms1g -Xmx1g)
bench_jar="$root/benchmarks/target/benchmarks.jar"
tidemark_jar="${tidemark_jar_option:-$root/runtime/target/tidemark.jar}"
mkdir -p "$out"
work="$(mktemp -d "${TMPDIR:-/tmp}/tidemark-vs-kafka.XXXXXX")"
# Both brokers make topics of 6 partitions; Kafka's storage speaks the transaction protocol Tidemark serves.
kafka_extra_properties="num.partitions=6"
# shellcheck source=benchmarks/brokers.sh
. "$root/benchmarks/brokers.sh"
cleanup() {
  stop_broker "$tidemark_pid"
  stop_broker "$kafka_pid"
  rm -rf "$work"
}
trap cleanup EXIT

# Runs `count` repetitions of every workload against one broker, numbered from `first`.
run_workloads() {
  local name="$1" port="$2" first="$3" count="$4" pid="$5"
  echo "== $name on 127.0.0.1:$port, repetitions $first..$((first + count - 1)) of $repetitions"
  java -Xmx2g -cp "$bench_jar" io.tidemark.bench.server.ServerBench run --bootstrap "127.0.0.1:$port" --out "$out/$name.txt" \
    --records "$records" --repetitions "$count" --first-repetition "$first" --round-trips "$round_trips" --broker-pid "$pid" \
    --threads-out "$out/$name-threads.txt" --workloads "$workloads" "${kcat_flag[@]}"
}

start_tidemark_server() {
  printf 'num.partitions=6\n' > "$work/tidemark.properties"
  local jvm=("${tidemark_jvm[@]}")
  if [ $jfr -eq 1 ]; then
    jvm+=("-XX:StartFlightRecording=filename=$out/tidemark.jfr,settings=profile")
  fi
  start_tidemark "${jvm[@]}" -- --config "$work/tidemark.properties"
}

if [ $build -eq 1 ]; then
  echo "== building runtime/target/tidemark.jar and benchmarks/target/benchmarks.jar"
  (cd "$root" && mvn -B -q -DskipTests -pl runtime,benchmarks -am package)
fi
load_kafka_classpath

{
  echo "# $(date -u +%FT%TZ) records=$records repetitions=$repetitions round_trips=$round_trips"
  echo "# $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/run.txt"

if [ $sequential -eq 1 ]; then
  start_tidemark_server
  run_workloads tidemark "$tidemark_port" 1 "$repetitions" "$tidemark_pid"
  stop_broker "$tidemark_pid"
  start_kafka --feature transaction.version=1
  run_workloads kafka "$kafka_port" 1 "$repetitions" "$kafka_pid"
  stop_broker "$kafka_pid"
else
  start_tidemark_server
  start_kafka --feature transaction.version=1
  for repetition in $(seq 1 "$repetitions"); do
    run_workloads tidemark "$tidemark_port" "$repetition" 1 "$tidemark_pid"
    run_workloads kafka "$kafka_port" "$repetition" 1 "$kafka_pid"
  done
  stop_broker "$tidemark_pid"
  stop_broker "$kafka_pid"
fi

echo "== medians, Tidemark beside Kafka 4.3.1 (results in $out)"
java -cp "$bench_jar" io.tidemark.bench.server.ServerBench compare "$out/tidemark.txt" "$out/kafka.txt" | tee "$out/comparison.md"
echo "== Tidemark's broker CPU per record by group of threads, medians"
java -cp "$bench_jar" io.tidemark.bench.server.ServerBench medians "$out/tidemark-threads.txt" | tee "$out/tidemark-threads.md"
