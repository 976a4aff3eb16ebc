package io.tidemark.runtime;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand of {@code tidemark topics} or {@code tidemark groups}: checks its options, opens
 * kafka-clients' {@link Admin} on the broker, makes its calls, and turns what a call threw into
 * one line.
 */
abstract class AdminCall implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Override
    public final Integer call() throws InterruptedException
    {
        check();
        final PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = client.admin(spec))
        {
            run(admin, out);
        }
        catch (final ExecutionException e)
        {
            final RuntimeException failure = failure(e);
            if (failure != null)
            {
                throw failure;
            }
        }
        finally
        {
            out.flush();
        }
        return ExitCode.OK;
    }

    /**
     * Checks the options before a connection is made; throws picocli's
     * {@link picocli.CommandLine.ParameterException} (through {@link CommandErrors}) for a bad one.
     */
    void check()
    {
    }

    /**
     * Makes the calls and prints the answer.
     *
     * @param admin the broker's admin client.
     * @param out   where to print.
     * @throws ExecutionException   if a call failed.
     * @throws InterruptedException if interrupted while waiting for one.
     */
    abstract void run(Admin admin, PrintWriter out) throws ExecutionException, InterruptedException;

    /**
     * @param e what a call threw.
     * @return the failure to report in one line, or {@code null} if it means the command
     *         succeeded (a topic to create that exists, with {@code --if-not-exists}).
     */
    RuntimeException failure(final ExecutionException e)
    {
        return client.failure(e);
    }
}
