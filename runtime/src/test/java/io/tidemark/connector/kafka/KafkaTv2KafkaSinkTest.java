package io.tidemark.connector.kafka;

import java.nio.file.Path;

import io.tidemark.runtime.BrokerUnderTest;
import io.tidemark.runtime.KafkaBrokerProcess;

/** {@link KafkaSinkScenarios} against Apache Kafka 4.3.1 formatted with {@code transaction.version} 2. */
class KafkaTv2KafkaSinkTest extends KafkaSinkScenarios
{
    @Override
    BrokerUnderTest newBroker(final Path brokerDir)
    {
        return new KafkaBrokerProcess(brokerDir, BROKER_CONFIG, 2);
    }
}
