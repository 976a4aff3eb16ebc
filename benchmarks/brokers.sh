# Sourced by the benchmark scripts that run `tidemark server` and an Apache Kafka broker (KRaft,
# one node acting as broker and controller, 127.0.0.1) on this machine: server-vs-kafka.sh and
# topic-w1-vs-flink.sh. Starts, awaits and stops them. The caller sets: script (its name, for
# errors), work (a scratch directory), out (where the brokers' logs go), broker_heap (an array of
# heap flags, the same for both), root (the repository), tidemark_jar, tidemark_port, kafka_port and
# controller_port, and calls load_kafka_classpath; optionally kafka_extra_properties (lines of broker
# configuration).

tidemark_pid=""
kafka_pid=""
kafka_classpath=""

# Sets kafka_classpath to the Apache Kafka broker's classpath, resolved from
# benchmarks/kafka-broker/pom.xml on first use (which downloads kafka_2.13 and Scala once).
load_kafka_classpath() {
  local file="$root/benchmarks/kafka-broker/target/classpath.txt"
  if [ ! -s "$file" ]; then
    echo "== resolving the Apache Kafka broker's classpath (first run downloads it)"
    (cd "$root/benchmarks/kafka-broker" && mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
  fi
  kafka_classpath="$(cat "$file")"
}

# Stops a broker by its pid (SIGTERM: both flush and close their logs).
stop_broker() {
  local pid="$1"
  if [ -n "$pid" ] && kill -0 "$pid" 2> /dev/null; then
    kill -TERM "$pid"
    wait "$pid" || true
  fi
}

# Polls until a broker accepts connections on a port, or fails if it died or took a minute.
await_port() {
  local pid="$1" port="$2" log="$3" deadline=$((SECONDS + 60))
  until (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; do
    if ! kill -0 "$pid" 2> /dev/null; then
      echo "$script: the broker exited; see $log" >&2; tail -20 "$log" >&2; exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "$script: nothing listens on port $port after 60 s; see $log" >&2; exit 1
    fi
    sleep 0.2
  done
}

# tidemark server on a fresh data directory. Arguments: extra JVM flags, then `--`, then extra
# arguments of `tidemark server`.
start_tidemark() {
  local jvm=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    jvm+=("$1"); shift
  done
  if [ $# -gt 0 ]; then
    shift
  fi
  java "${broker_heap[@]}" "${jvm[@]}" -jar "$tidemark_jar" server --data-dir "$work/tidemark-data" --port "$tidemark_port" --http-port 0 \
    "$@" > "$out/tidemark.log" 2>&1 &
  tidemark_pid=$!
  await_port "$tidemark_pid" "$tidemark_port" "$out/tidemark.log"
}

# Apache Kafka with the GC flags of its start script, its storage formatted afresh with a random
# cluster id. Arguments: extra flags of the storage tool's format command.
start_kafka() {
  format_kafka "$@"
  launch_kafka
  await_port "$kafka_pid" "$kafka_port" "$out/kafka.log"
}

# Writes Kafka's configuration and formats its storage afresh with a random cluster id.
# Arguments: extra flags of the storage tool's format command.
format_kafka() {
  cat > "$work/kafka.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$work/kafka-data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
${kafka_extra_properties:-}
PROPERTIES
  local cluster_id
  cluster_id="$(java -cp "$kafka_classpath" kafka.tools.StorageTool random-uuid 2> /dev/null)"
  java -cp "$kafka_classpath" kafka.tools.StorageTool format -t "$cluster_id" -c "$work/kafka.properties" --standalone "$@" \
    > "$out/kafka-format.log" 2>&1
}

# Starts the Kafka broker on the formatted storage in the background (kafka_pid), its output in
# $out/kafka.log, without waiting for it.
launch_kafka() {
  java "${broker_heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    -Djava.awt.headless=true -cp "$kafka_classpath" kafka.Kafka "$work/kafka.properties" > "$out/kafka.log" 2>&1 &
  kafka_pid=$!
}
