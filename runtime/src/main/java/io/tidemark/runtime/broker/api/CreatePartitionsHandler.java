package io.tidemark.runtime.broker.api;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.errors.LogException;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreatePartitions: raises each topic's partition count ({@code LogManager.addPartitions}).
 * A count not above the current one or above the log's limit is {@code INVALID_PARTITIONS}, an
 * unknown topic {@code UNKNOWN_TOPIC_OR_PARTITION}, a topic named twice {@code INVALID_REQUEST}
 * (for every mention), as from Kafka. Manual assignments are checked as a one-broker Kafka
 * checks them: one per new partition, each naming this broker alone, else
 * {@code INVALID_REPLICA_ASSIGNMENT}. With {@code validateOnly} the checks run and nothing
 * changes. Adding partitions syncs directories: I/O threads.
 */
final class CreatePartitionsHandler implements ApiHandler
{
    private final Broker broker;

    CreatePartitionsHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final CreatePartitionsRequestData data = (CreatePartitionsRequestData)request.data();
        return broker.blocking(() ->
        {
            final Set<String> duplicates = CreateTopicsHandler.namedTwice(data.topics(), CreatePartitionsTopic::name);
            final CreatePartitionsResponseData response = new CreatePartitionsResponseData();
            for (final CreatePartitionsTopic topic : data.topics())
            {
                response.results().add(duplicates.contains(topic.name()) ?
                    result(topic.name(), Errors.INVALID_REQUEST, "the request names topic '" + topic.name() + "' more than once") :
                    add(topic, data.validateOnly()));
            }
            return response;
        });
    }

    private CreatePartitionsTopicResult add(final CreatePartitionsTopic topic, final boolean validateOnly)
    {
        try
        {
            final int current = broker.logs().checkAddPartitions(topic.name(), topic.count());
            final String misassigned = misassignment(topic, current);
            if (misassigned != null)
            {
                return result(topic.name(), Errors.INVALID_REPLICA_ASSIGNMENT, misassigned);
            }
            if (!validateOnly)
            {
                broker.logs().addPartitions(topic.name(), topic.count());
            }
            return result(topic.name(), Errors.NONE, null);
        }
        catch (final LogException e)
        {
            return result(topic.name(), KafkaErrors.forException(e), e.getMessage());
        }
    }

    /** @return why the manual assignment cannot be followed, or null if there is none or it names this broker alone. */
    private static String misassignment(final CreatePartitionsTopic topic, final int current)
    {
        if (topic.assignments() == null)
        {
            return null;
        }
        final int added = topic.count() - current;
        if (topic.assignments().size() != added)
        {
            return "adding " + added + " partitions needs as many assignments, not " + topic.assignments().size();
        }
        for (final CreatePartitionsAssignment assignment : topic.assignments())
        {
            if (!assignment.brokerIds().equals(List.of(Broker.NODE_ID)))
            {
                return "a new partition is assigned to brokers " + assignment.brokerIds() + "; the only broker is " + Broker.NODE_ID +
                    ", holding one replica of each partition";
            }
        }
        return null;
    }

    private static CreatePartitionsTopicResult result(final String name, final Errors error, final String message)
    {
        return new CreatePartitionsTopicResult().setName(name).setErrorCode(error.code()).setErrorMessage(message);
    }
}
