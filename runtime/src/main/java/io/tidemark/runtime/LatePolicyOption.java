package io.tidemark.runtime;

import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.window.LateDataPolicy;

import java.time.Duration;

/**
 * The late-data policies a command line can choose, by the names the commands accept.
 */
public enum LatePolicyOption
{
    /** Drop late records, counting them. */
    DROP,
    /** Send late records to a side output: a dead-letter topic or counter. */
    DEAD_LETTER,
    /** Add late records to their window, which fires again as an update. */
    UPDATE;

    /**
     * @param deadLetters the side output for {@link #DEAD_LETTER}.
     * @param retention   how long windows are kept for {@link #UPDATE}.
     * @return the engine's policy.
     */
    public LateDataPolicy policy(final OutputTag<?> deadLetters, final Duration retention)
    {
        return switch (this)
        {
            case DROP -> LateDataPolicy.drop();
            case DEAD_LETTER -> LateDataPolicy.sideOutput(deadLetters);
            case UPDATE -> LateDataPolicy.lateUpdate(retention);
        };
    }

    /**
     * @return the name on the command line: {@code drop}, {@code dead-letter}, {@code update}.
     */
    public String cliName()
    {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * @param text a name as typed.
     * @return the option.
     * @throws IllegalArgumentException listing the valid names.
     */
    public static LatePolicyOption parse(final String text)
    {
        for (final LatePolicyOption option : values())
        {
            if (option.cliName().equalsIgnoreCase(text))
            {
                return option;
            }
        }
        throw new IllegalArgumentException("unknown late-data policy '" + text + "': use drop, dead-letter or update");
    }
}
