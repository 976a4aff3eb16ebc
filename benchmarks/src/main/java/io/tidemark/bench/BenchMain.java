package io.tidemark.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Entry point of {@code benchmarks.jar}: JMH's own command line, with the JVM flags that
 * agrona and Chronicle Queue need on the running JDK added to every forked JVM, so that one
 * command works on JDK 17 and on JDK 25 alike.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar LogAppend -f 1 -wi 2 -i 3
 * </pre>
 */
public final class BenchMain
{
    private BenchMain()
    {
    }

    /**
     * Runs JMH with the given command line (see {@code -h}).
     *
     * @param args JMH command-line arguments.
     * @throws RunnerException if a benchmark fails.
     * @throws CommandLineOptionException if the arguments are malformed.
     * @throws IOException if JMH cannot list its benchmarks.
     */
    public static void main(final String[] args) throws RunnerException, CommandLineOptionException, IOException
    {
        final CommandLineOptions cli = new CommandLineOptions(args);
        if (cli.shouldHelp() || cli.shouldList() || cli.shouldListProfilers() || cli.shouldListResultFormats())
        {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        new Runner(new OptionsBuilder().parent(cli).jvmArgsAppend(forkFlags()).build()).run();
    }

    /**
     * The flags a forked benchmark JVM needs on the running JDK ({@code docs/BENCHMARKS.md}, "JVM flags").
     *
     * @return the flags, in order.
     */
    public static String[] forkFlags()
    {
        final List<String> flags = new ArrayList<>(List.of(
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "-Dchronicle.analytics.disable=true",
            "-Dchronicle.announcer.disable=true"));
        if (Runtime.version().feature() >= 24)
        {
            flags.add("--enable-native-access=ALL-UNNAMED");
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return flags.toArray(String[]::new);
    }
}
