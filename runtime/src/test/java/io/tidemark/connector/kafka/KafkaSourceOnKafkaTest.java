package io.tidemark.connector.kafka;

import io.tidemark.runtime.BrokerUnderTest;
import io.tidemark.runtime.KafkaBrokerProcess;
import java.nio.file.Path;
import java.util.Map;

/** {@link KafkaSourceScenarios} against Apache Kafka 4.3.1, one node. */
class KafkaSourceOnKafkaTest extends KafkaSourceScenarios
{
    @Override
    BrokerUnderTest newBroker(final Path brokerDir)
    {
        return new KafkaBrokerProcess(brokerDir, Map.of());
    }

    @Override
    boolean addsPartitions()
    {
        return true;
    }
}
