# Sourced by the scripts that run Tidemark beside Apache Flink (needs $root). The Flink jobs are
# a Maven project of their own (benchmarks/flink-anchor), outside the normal build, so that the
# normal build never downloads Flink.

# Compiles the Flink jobs when $1 is 1, resolves their classpath on first use (Flink is
# downloaded once, into the local Maven repository), and sets flink_classpath to the jobs'
# classes and every jar they need.
flink_anchor() {
  local dir="$root/benchmarks/flink-anchor"
  if [ "$1" -eq 1 ]; then
    (cd "$dir" && mvn -B -q compile)
  fi
  if [ ! -s "$dir/target/classpath.txt" ]; then
    echo "== resolving Flink's classpath (first run downloads it)"
    (cd "$dir" && mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
  fi
  flink_classpath="$dir/target/classes:$(cat "$dir/target/classpath.txt")"
}
