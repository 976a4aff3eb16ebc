package io.tidemark.runtime;

import picocli.CommandLine.Command;

/**
 * {@code tidemark bench}: measurements that run inside the command. The JMH suites live in
 * the {@code benchmarks} module and run from {@code benchmarks.jar}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = TradeoffCommand.class,
    description = "Run a measurement harness (the JMH suites run from benchmarks/target/benchmarks.jar).")
final class BenchCommand
{
}
