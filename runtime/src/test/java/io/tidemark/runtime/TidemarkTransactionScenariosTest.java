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

    /**
     * Differs from Kafka by design: Tidemark's transaction coordinator, recovering
     * {@code __transaction_state}, aborts every transaction it finds ONGOING, with an epoch
     * bump, where Kafka reloads it as ongoing until its timeout; so the producer's commit after
     * the restart is fenced and its records are aborted.
     */
    @Override
    boolean ongoingTransactionSurvivesRestart()
    {
        return false;
    }
}
