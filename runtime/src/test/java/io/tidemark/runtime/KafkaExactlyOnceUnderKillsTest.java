package io.tidemark.runtime;

import java.nio.file.Path;
import java.util.Map;

/** {@link ExactlyOnceUnderKills} against Apache Kafka 4.3.1, the oracle. */
class KafkaExactlyOnceUnderKillsTest extends ExactlyOnceUnderKills
{
    @Override
    BrokerUnderTest newBroker(final Path brokerDir)
    {
        return new KafkaBrokerProcess(brokerDir, Map.of());
    }
}
