package io.tidemark.runtime;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tidemark} command. Each subcommand is its own class, registered here.
 */
@Command(
    name = "tidemark",
    description = "A partitioned append-only log with a Kafka-protocol listener, and a stream processor.",
    mixinStandardHelpOptions = true,
    version = "tidemark " + Tidemark.VERSION)
public final class Tidemark
{
    /** The version of the command and the server. */
    public static final String VERSION = "0.1.0";

    private static final String SERVER = "server";

    /**
     * Runs a subcommand and exits with its code.
     *
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * Runs a subcommand.
     *
     * @param args the command line.
     * @return the exit code: 0 on success, 1 if the command failed, 2 for a bad command line
     *         or configuration.
     */
    public static int run(final String... args)
    {
        final boolean server = args.length > 0 && SERVER.equals(args[0]);
        if (server)
        {
            final ServerCommand plain = ServerArguments.read(args);
            if (plain != null)
            {
                return plain.run(args, () -> commandLine(false).getSubcommands().get(SERVER));
            }
        }
        final CommandLine commandLine = server ? commandLine(false) : commandLine();
        if (args.length == 0)
        {
            CommandErrors.print(commandLine.getErr(), "tidemark: name a command: server, job, demo, bench, topics, produce, consume or groups (try 'tidemark --help')");
            return CommandLine.ExitCode.USAGE;
        }
        return commandLine.execute(args);
    }

    /**
     * @return the command line of {@code tidemark} and its subcommands, reporting a bad
     *         argument or a failure in one line on its error writer (the usage text only on
     *         {@code --help}); levels and other enum values are read in any case.
     */
    public static CommandLine commandLine()
    {
        return commandLine(true);
    }

    /**
     * @param all whether to build every subcommand, or only {@code server}: picocli reads each
     *        subcommand's options (and loads the classes they name, kafka-clients' and Jackson's
     *        among them) as it is registered, which a server's start need not pay for.
     */
    private static CommandLine commandLine(final boolean all)
    {
        final CommandLine commandLine = new CommandLine(new Tidemark());
        // In the order --help lists them.
        final Class<?>[] subcommands = all ?
            new Class<?>[] {ServerCommand.class, JobCommand.class, DemoCommand.class, BenchCommand.class, TopicsCommand.class, ProduceCommand.class,
                ConsumeCommand.class, GroupsCommand.class} :
            new Class<?>[] {ServerCommand.class};
        for (final Class<?> subcommand : subcommands)
        {
            commandLine.addSubcommand(subcommand);
        }
        // After the subcommands: picocli passes these settings on to the subcommands registered so far.
        final CommandErrors errors = new CommandErrors();
        return commandLine
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setParameterExceptionHandler(errors)
            .setExecutionExceptionHandler(errors);
    }
}
