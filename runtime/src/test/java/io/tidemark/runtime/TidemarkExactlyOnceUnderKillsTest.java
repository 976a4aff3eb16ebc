package io.tidemark.runtime;

import java.nio.file.Path;
import java.util.Map;

/** {@link ExactlyOnceUnderKills} against {@code tidemark server}. */
class TidemarkExactlyOnceUnderKillsTest extends ExactlyOnceUnderKills
{
    @Override
    BrokerUnderTest newBroker(final Path brokerDir)
    {
        return new TidemarkBrokerProcess(brokerDir, Map.of());
    }
}
