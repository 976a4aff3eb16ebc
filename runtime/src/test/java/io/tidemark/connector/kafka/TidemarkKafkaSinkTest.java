package io.tidemark.connector.kafka;

import java.nio.file.Path;

import io.tidemark.runtime.BrokerUnderTest;
import io.tidemark.runtime.TidemarkBrokerProcess;

/** {@link KafkaSinkScenarios} against {@code tidemark server} (transaction version 1). */
class TidemarkKafkaSinkTest extends KafkaSinkScenarios
{
    @Override
    BrokerUnderTest newBroker(final Path brokerDir)
    {
        return new TidemarkBrokerProcess(brokerDir, BROKER_CONFIG);
    }
}
