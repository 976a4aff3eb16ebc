package io.tidemark.runtime;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.tidemark.engine.api.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How the {@code tidemark} commands report a bad command line or a failure: one line on
 * stderr that names the command, the option and the value, never the usage text (that is what
 * {@code --help} is for) nor a stack trace (logged at DEBUG).
 */
final class CommandErrors implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(CommandErrors.class);

    /**
     * Refuses an option's value unless it is valid; the refusal goes through
     * {@link #handleParseException}, like picocli's own.
     *
     * @param spec the command.
     * @param valid whether the value is valid.
     * @param option the option, as typed ({@code --port}).
     * @param value the value given.
     * @param expected what a valid value is, in words.
     * @throws ParameterException naming the option, the value and what is expected.
     */
    static void check(final CommandSpec spec, final boolean valid, final String option, final Object value, final String expected)
    {
        if (!valid)
        {
            throw invalid(spec, option, value, expected);
        }
    }

    /**
     * @param spec the command.
     * @param option the option, as typed ({@code --port}).
     * @param value the value given (a duration is shown as typed, {@code 0s}, not {@code PT0S}).
     * @param expected what a valid value is, in words.
     * @return the refusal of the value, to throw.
     */
    static ParameterException invalid(final CommandSpec spec, final String option, final Object value, final String expected)
    {
        final Object shown = value instanceof Duration duration ? Durations.format(duration) : value;
        return new ParameterException(spec.commandLine(), "invalid value '" + shown + "' for option '" + option + "': " + expected);
    }

    /**
     * Makes sure a directory option names a directory this process can write, before any work.
     *
     * @param spec the command.
     * @param option the option, as typed ({@code --data-dir}).
     * @param dir the directory given; created if missing.
     * @throws ParameterException naming the option, the directory and why it cannot be used.
     */
    static void writableDirectory(final CommandSpec spec, final String option, final Path dir)
    {
        final String unwritable = unwritable(dir);
        check(spec, unwritable == null, option, dir, unwritable);
    }

    /**
     * Creates a directory if missing and checks that this process can write it.
     *
     * @param dir the directory.
     * @return why it cannot be used, or null if it can.
     */
    static String unwritable(final Path dir)
    {
        try
        {
            Files.createDirectories(dir);
        }
        catch (final FileAlreadyExistsException e)
        {
            return e.getFile() + " exists and is not a directory";
        }
        catch (final AccessDeniedException e)
        {
            return "permission denied on " + e.getFile();
        }
        catch (final IOException e)
        {
            return "cannot create it: " + e.getMessage();
        }
        return Files.isWritable(dir) ? null : "not writable";
    }

    @Override
    public int handleParseException(final ParameterException ex, final String[] args)
    {
        final CommandLine command = ex.getCommandLine();
        String message = ex.getMessage();
        if (ex instanceof UnmatchedArgumentException unmatched)
        {
            final List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty())
            {
                message += "; did you mean " + String.join(" or ", suggestions) + "?";
            }
        }
        final String name = command.getCommandSpec().qualifiedName();
        print(command.getErr(), name + ": " + message + " (try '" + name + " --help')");
        return ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(final Exception ex, final CommandLine command, final ParseResult parseResult)
    {
        LOG.debug("{} failed", command.getCommandSpec().qualifiedName(), ex);
        final String reason = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        print(command.getErr(), command.getCommandSpec().qualifiedName() + ": " + reason);
        return ExitCode.SOFTWARE;
    }

    /**
     * Prints a message on one line.
     *
     * @param err where.
     * @param message the message; line breaks in it (an exception's message may have some)
     *        become "; ".
     */
    static void print(final PrintWriter err, final String message)
    {
        err.println(message.strip().replaceAll("\\s*\\R\\s*", "; "));
        err.flush();
    }
}
