package io.tidemark.examples;

import java.nio.file.Path;
import java.sql.SQLException;

import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.log.LogConfig;
import io.tidemark.log.topic.LogManager;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ClickCounts} without a crash: whatever the guarantee and the windows, a run to the end
 * gives every window of the batch result once with its count, and a second run on the same
 * directory writes nothing more.
 */
class ClickCountsTest
{
    private static final int CLICKS = 20_000;

    @TempDir
    Path dir;

    @Timeout(120)
    @ParameterizedTest
    @CsvSource({"EXACTLY_ONCE, TUMBLING", "EXACTLY_ONCE, SESSION", "AT_LEAST_ONCE, TUMBLING", "AT_LEAST_ONCE, SESSION", "AT_MOST_ONCE, TUMBLING", "AT_MOST_ONCE, SESSION"})
    void aRunWithoutCrashesGivesTheBatchResult(final DeliveryGuarantee guarantee, final ClickCounts.Windows windows) throws SQLException
    {
        final ClickCounts.Settings settings = new ClickCounts.Settings(dir, guarantee, windows);
        try (LogManager logs = LogManager.open(dir, LogConfig.DEFAULTS))
        {
            ClickCounts.writeInput(logs, CLICKS, 7);
            ClickCounts.run(logs, settings);
            final ClickCountsCheck check = ClickCountsCheck.of(logs, settings);
            assertTrue(check.exact(), check.toString());
            assertEquals(CLICKS, check.clicks());
            assertTrue(check.windows() > (windows == ClickCounts.Windows.TUMBLING ? 500 : 100), check.toString());
            ClickCounts.run(logs, settings);
            assertEquals(check, ClickCountsCheck.of(logs, settings), "the second run wrote more");
        }
    }
}
