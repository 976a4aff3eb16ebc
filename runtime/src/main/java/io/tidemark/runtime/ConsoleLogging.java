package io.tidemark.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.joran.spi.ConsoleTarget;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The {@code tidemark} command's logging: one line per event on stderr, so that what a command
 * prints on stdout (the demo's results, the server's ready line) stays clean. The root level is
 * INFO ({@code tidemark demo} lowers it to WARN, {@code --log-level} sets it); kafka-clients,
 * which the server's protocol classes use, is chatty at INFO and logs at WARN.
 *
 * <p>Set in code rather than in a {@code logback.xml}: reading XML costs the start of every
 * command a few hundred classes (logback's Joran and the JDK's SAX parser); the line is
 * {@link ConsoleLine}'s, for the same reason. Logback finds it as
 * a service and runs it before looking for a file; it steps aside, so that logback reads the
 * file as usual, when one is given ({@code -Dlogback.configurationFile}) or on the class path
 * ({@code logback-test.xml} in tests, {@code logback.xml} of an application that embeds the jar).
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator
{
    @Override
    public ExecutionStatus configure(final LoggerContext context)
    {
        if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null || onClassPath(ContextInitializer.TEST_AUTOCONFIG_FILE) ||
            onClassPath(ContextInitializer.AUTOCONFIG_FILE))
        {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        logToStderr(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Sets up the command's logging on a context, whatever the class path holds.
     *
     * @param context the logging context.
     */
    static void logToStderr(final LoggerContext context)
    {
        final ConsoleLine layout = new ConsoleLine();
        layout.setContext(context);
        layout.start();
        final LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        final ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget(ConsoleTarget.SystemErr.getName());
        stderr.setEncoder(encoder);
        stderr.start();
        context.getLogger("org.apache.kafka").setLevel(Level.WARN);
        final ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
    }

    private static boolean onClassPath(final String resource)
    {
        final ClassLoader loader = ConsoleLogging.class.getClassLoader();
        return loader != null && loader.getResource(resource) != null;
    }
}
