package io.tidemark.connector.kafka;

import io.tidemark.runtime.BrokerUnderTest;
import io.tidemark.runtime.TidemarkBrokerProcess;
import java.nio.file.Path;
import java.util.Map;

/** {@link KafkaSourceScenarios} against {@code tidemark server}. */
class KafkaSourceOnTidemarkTest extends KafkaSourceScenarios
{
    @Override
    BrokerUnderTest newBroker(final Path brokerDir)
    {
        return new TidemarkBrokerProcess(brokerDir, Map.of());
    }

    /** The server does not serve CreatePartitions yet; once it does, this says true. */
    @Override
    boolean addsPartitions()
    {
        return false;
    }
}
