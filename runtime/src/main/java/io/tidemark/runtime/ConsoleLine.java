package io.tidemark.runtime;

import java.util.TimeZone;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

/**
 * The command's log line, {@code HH:mm:ss.SSS LEVEL [thread] Logger: message}, then the stack
 * trace if any: what the pattern {@code %d{HH:mm:ss.SSS} %-5level [%thread] %logger{0}: %msg%n}
 * prints, written by hand.
 *
 * <p>Why not logback's {@code PatternLayout}: compiling a pattern loads its parser, a converter
 * class per conversion word and {@code java.time}'s formatters, which was the larger part of
 * logging's set-up in every command's start. Logging is no hot path: a line is built afresh per
 * event, so that threads that log at once share nothing.
 */
final class ConsoleLine extends LayoutBase<ILoggingEvent>
{
    private static final int MILLIS_PER_DAY = 86_400_000;

    private final TimeZone zone = TimeZone.getDefault();

    @Override
    public String doLayout(final ILoggingEvent event)
    {
        final StringBuilder line = new StringBuilder(128);
        final long millis = event.getTimeStamp();
        final int ofDay = (int)Math.floorMod(millis + zone.getOffset(millis), (long)MILLIS_PER_DAY);
        twoDigits(line, ofDay / 3_600_000).append(':');
        twoDigits(line, ofDay / 60_000 % 60).append(':');
        twoDigits(line, ofDay / 1000 % 60).append('.');
        final int ms = ofDay % 1000;
        line.append((char)('0' + ms / 100)).append((char)('0' + ms / 10 % 10)).append((char)('0' + ms % 10)).append(' ');
        final String level = event.getLevel().toString();
        line.append(level);
        for (int pad = level.length(); pad < 5; pad++)
        {
            line.append(' ');
        }
        final String logger = event.getLoggerName();
        line.append(" [").append(event.getThreadName()).append("] ").append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(": ")
            .append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        final IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null)
        {
            line.append(ThrowableProxyUtil.asString(thrown));
        }
        return line.toString();
    }

    private static StringBuilder twoDigits(final StringBuilder line, final int value)
    {
        return line.append((char)('0' + value / 10)).append((char)('0' + value % 10));
    }
}
