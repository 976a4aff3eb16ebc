package io.tidemark.runtime;

import java.nio.file.Path;
import java.util.Map;

/** {@link TransactionScenarios} against Apache Kafka 4.3.1, the oracle. */
class KafkaTransactionScenariosTest extends TransactionScenarios
{
    @Override
    BrokerUnderTest newBroker(final Path brokerDir, final Map<String, String> config)
    {
        return new KafkaBrokerProcess(brokerDir, config);
    }
}
