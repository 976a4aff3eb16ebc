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
# controller; default 19092,19093,19094).
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
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "server-vs-kafka: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
IFS=, read -r tidemark_port kafka_port controller_port <<< "$ports"
if [ ${#kcat_flag[@]} -eq 0 ] && ! command -v kcat > /dev/null; then
  echo "server-vs-kafka: kcat is not installed (apt-get install kcat), or pass --no-kcat" >&2
  exit 2
fi

heap=(-Xms1g -Xmx1g)
bench_jar="$root/benchmarks/target/benchmarks.jar"
tidemark_jar="$root/runtime/target/tidemark.jar"
classpath_file="$root/benchmarks/kafka-broker/target/classpath.txt"
mkdir -p "$out"
work="$(mktemp -d "${TMPDIR:-/tmp}/tidemark-vs-kafka.XXXXXX")"
tidemark_pid=""
kafka_pid=""

# Stops a broker by its pid (SIGTERM: both flush and close their logs).
stop_broker() {
  local pid="$1"
  if [ -n "$pid" ] && kill -0 "$pid" 2> /dev/null; then
    kill -TERM "$pid"
    wait "$pid" || true
  fi
}
cleanup() {
  stop_broker "$tidemark_pid"
  stop_broker "$kafka_pid"
  rm -rf "$work"
}
trap cleanup EXIT

# Polls until a broker accepts connections on a port, or fails if it died or took a minute.
await_port() {
  local pid="$1" port="$2" log="$3" deadline=$((SECONDS + 60))
  until (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; do
    if ! kill -0 "$pid" 2> /dev/null; then
      echo "server-vs-kafka: the broker exited; see $log" >&2; tail -20 "$log" >&2; exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "server-vs-kafka: nothing listens on port $port after 60 s; see $log" >&2; exit 1
    fi
    sleep 0.2
  done
}

# Runs `count` repetitions of every workload against one broker, numbered from `first`.
run_workloads() {
  local name="$1" port="$2" first="$3" count="$4" pid="$5"
  echo "== $name on 127.0.0.1:$port, repetitions $first..$((first + count - 1)) of $repetitions"
  java -Xmx2g -cp "$bench_jar" io.tidemark.bench.server.ServerBench run --bootstrap "127.0.0.1:$port" --out "$out/$name.txt" \
    --records "$records" --repetitions "$count" --first-repetition "$first" --round-trips "$round_trips" --broker-pid "$pid" \
    --workloads "$workloads" "${kcat_flag[@]}"
}

start_tidemark() {
  printf 'num.partitions=6\n' > "$work/tidemark.properties"
  local jvm=("${heap[@]}")
  if [ $jfr -eq 1 ]; then
    jvm+=("-XX:StartFlightRecording=filename=$out/tidemark.jfr,settings=profile")
  fi
  java "${jvm[@]}" -jar "$tidemark_jar" server --data-dir "$work/tidemark-data" --port "$tidemark_port" --http-port 0 \
    --config "$work/tidemark.properties" > "$out/tidemark.log" 2>&1 &
  tidemark_pid=$!
  await_port "$tidemark_pid" "$tidemark_port" "$out/tidemark.log"
}

# Apache Kafka, KRaft, one node acting as broker and controller, its storage formatted afresh.
start_kafka() {
  cat > "$work/kafka.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$work/kafka-data
num.partitions=6
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  local cluster_id
  cluster_id="$(java -cp "$kafka_classpath" kafka.tools.StorageTool random-uuid 2> /dev/null)"
  java -cp "$kafka_classpath" kafka.tools.StorageTool format -t "$cluster_id" -c "$work/kafka.properties" --standalone \
    --feature transaction.version=1 > "$out/kafka-format.log" 2>&1
  java "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    -Djava.awt.headless=true -cp "$kafka_classpath" kafka.Kafka "$work/kafka.properties" > "$out/kafka.log" 2>&1 &
  kafka_pid=$!
  await_port "$kafka_pid" "$kafka_port" "$out/kafka.log"
}

if [ $build -eq 1 ]; then
  echo "== building runtime/target/tidemark.jar and benchmarks/target/benchmarks.jar"
  (cd "$root" && mvn -B -q -DskipTests -pl runtime,benchmarks -am package)
fi
if [ ! -s "$classpath_file" ]; then
  echo "== resolving the Apache Kafka broker's classpath (first run downloads it)"
  (cd "$root/benchmarks/kafka-broker" && mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
fi
kafka_classpath="$(cat "$classpath_file")"

{
  echo "# $(date -u +%FT%TZ) records=$records repetitions=$repetitions round_trips=$round_trips"
  echo "# $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/run.txt"

if [ $sequential -eq 1 ]; then
  start_tidemark
  run_workloads tidemark "$tidemark_port" 1 "$repetitions" "$tidemark_pid"
  stop_broker "$tidemark_pid"
  start_kafka
  run_workloads kafka "$kafka_port" 1 "$repetitions" "$kafka_pid"
  stop_broker "$kafka_pid"
else
  start_tidemark
  start_kafka
  for repetition in $(seq 1 "$repetitions"); do
    run_workloads tidemark "$tidemark_port" "$repetition" 1 "$tidemark_pid"
    run_workloads kafka "$kafka_port" "$repetition" 1 "$kafka_pid"
  done
  stop_broker "$tidemark_pid"
  stop_broker "$kafka_pid"
fi

echo "== medians, Tidemark beside Kafka 4.3.1 (results in $out)"
java -cp "$bench_jar" io.tidemark.bench.server.ServerBench compare "$out/tidemark.txt" "$out/kafka.txt" | tee "$out/comparison.md"
