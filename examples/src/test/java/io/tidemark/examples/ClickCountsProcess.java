package io.tidemark.examples;

import java.nio.file.Path;

import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.log.LogConfig;
import io.tidemark.log.topic.LogManager;

/**
 * The process {@link ClickCountsUnderKillsTest} starts and kills: {@link ClickCounts#run} on a
 * data directory that already holds the input, printing its progress and, at the end,
 * {@value ClickCounts#FINISHED}. The comparison with the batch result is the test's.
 */
public final class ClickCountsProcess
{
    private ClickCountsProcess()
    {
    }

    /**
     * @param args the data directory, the {@link DeliveryGuarantee} and the
     *             {@link ClickCounts.Windows} by name.
     */
    public static void main(final String[] args)
    {
        final ClickCounts.Settings settings = new ClickCounts.Settings(Path.of(args[0]), DeliveryGuarantee.valueOf(args[1]),
            ClickCounts.Windows.valueOf(args[2]));
        try (LogManager logs = LogManager.open(settings.dataDir(), LogConfig.DEFAULTS))
        {
            ClickCounts.run(logs, settings);
        }
    }
}
