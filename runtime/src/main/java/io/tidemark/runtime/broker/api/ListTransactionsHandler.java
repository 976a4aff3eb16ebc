package io.tidemark.runtime.broker.api;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.txn.TransactionListing;
import io.tidemark.log.txn.TransactionState;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * ListTransactions, versions 0 and 1 (Admin's {@code listTransactions}, {@code kafka-transactions
 * list}): the transactional ids, filtered by state (Kafka's names), producer id and, from
 * version 1, by how long their transaction has been open. State names Kafka does not know are
 * reported back and match nothing, as in Kafka; version 2's id pattern is not served.
 */
final class ListTransactionsHandler implements ApiHandler
{
    private final Broker broker;

    ListTransactionsHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final ListTransactionsRequestData data = (ListTransactionsRequestData)request.data();
        final ListTransactionsResponseData response = new ListTransactionsResponseData();
        final Set<TransactionState> states = EnumSet.noneOf(TransactionState.class);
        for (final String name : data.stateFilters())
        {
            final TransactionState state = byKafkaName(name);
            if (state == null)
            {
                response.unknownStateFilters().add(name);
            }
            else
            {
                states.add(state);
            }
        }
        if (!data.stateFilters().isEmpty() && states.isEmpty())
        {
            // Only unknown states asked for: none matches (an empty set would mean every state).
            return CompletableFuture.completedFuture(response);
        }
        final Set<Long> producerIds = new HashSet<>(data.producerIdFilters());
        return broker.blocking(() ->
        {
            for (final TransactionListing listing : broker.transactions().list(states, producerIds, Math.max(-1, data.durationFilter())))
            {
                response.transactionStates().add(new ListTransactionsResponseData.TransactionState()
                    .setTransactionalId(listing.transactionalId())
                    .setProducerId(listing.producerId())
                    .setTransactionState(listing.state().kafkaName()));
            }
            return response;
        });
    }

    private static TransactionState byKafkaName(final String name)
    {
        for (final TransactionState state : TransactionState.values())
        {
            if (state.kafkaName().equals(name))
            {
                return state;
            }
        }
        return null;
    }
}
