package io.tidemark.runtime;

import java.nio.file.Path;
import java.util.Map;

/** {@link TransactionScenarios} against {@code tidemark server}. */
class TidemarkTransactionScenariosTest extends TransactionScenarios
{
    @Override
    BrokerUnderTest newBroker(final Path brokerDir, final Map<String, String> config)
    {
        return new TidemarkBrokerProcess(brokerDir, config);
    }
}
