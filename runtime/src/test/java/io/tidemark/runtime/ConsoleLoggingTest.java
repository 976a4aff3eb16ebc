package io.tidemark.runtime;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command's logging set in code: one line per event on stderr in the command's layout (a
 * stack trace after its line), INFO and above, kafka-clients at WARN; and it steps aside for a
 * configuration file on the class path (here the tests' {@code logback-test.xml}).
 */
class ConsoleLoggingTest
{
    @Test
    void aConfigurationFileOnTheClassPathWins()
    {
        final LoggerContext context = new LoggerContext();
        final ConsoleLogging configurator = new ConsoleLogging();
        configurator.setContext(context);
        assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context));
        assertFalse(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext(), "no appender of its own");
    }

    @Test
    void oneLinePerEventOnStderrAtInfoAndKafkaClientsAtWarn()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stderr = System.err;
        final LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try
        {
            ConsoleLogging.logToStderr(context);
            context.getLogger("io.tidemark.runtime.SomeClass").info("ready in {} ms", 42);
            context.getLogger("io.tidemark.runtime.SomeClass").debug("not shown");
            context.getLogger("org.apache.kafka.clients.NetworkClient").info("not shown either");
            context.getLogger("org.apache.kafka.clients.NetworkClient").warn("disconnected");
            context.getLogger("io.tidemark.runtime.SomeClass").error("failed", new IllegalStateException("no disk"));
        }
        finally
        {
            System.setErr(stderr);
            context.stop();
        }
        final List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.size() > 4, String.join("\n", lines));
        final String thread = Thread.currentThread().getName();
        assertTrue(lines.get(0).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[\\Q" + thread + "\\E\\] SomeClass: ready in 42 ms"), lines.get(0));
        assertTrue(lines.get(1).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[\\Q" + thread + "\\E\\] NetworkClient: disconnected"), lines.get(1));
        assertTrue(lines.get(2).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR \\[\\Q" + thread + "\\E\\] SomeClass: failed"), lines.get(2));
        assertEquals("java.lang.IllegalStateException: no disk", lines.get(3), "the stack trace follows its line");
        assertTrue(lines.get(4).startsWith("\tat io.tidemark.runtime.ConsoleLoggingTest."), lines.get(4));
    }
}
