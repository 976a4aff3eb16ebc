package io.tidemark.log;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * The lines one class logs, from INFO up, kept for a test to read instead of printed.
 */
public final class LogCapture implements AutoCloseable
{
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Logger logger;

    /**
     * Starts capturing.
     *
     * @param source the class whose logger is captured.
     */
    public LogCapture(final Class<?> source)
    {
        logger = (Logger)LoggerFactory.getLogger(source);
        events.start();
        logger.addAppender(events);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);   // read here, not printed
    }

    /**
     * @param level a level.
     * @return the messages logged at exactly that level, in order.
     */
    public List<String> lines(final Level level)
    {
        return events.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Gives the logger back its level and appenders. */
    @Override
    public void close()
    {
        logger.detachAppender(events);
        logger.setLevel(null);
        logger.setAdditive(true);
    }
}
