package io.tidemark.runtime.broker;

import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * Puts the reason of a refusal into the error responses kafka-clients' request classes build
 * without it: their {@code getErrorResponse} leaves the error message empty (DeleteTopics,
 * DescribeProducers) or writes the error code's generic text (DescribeConfigs, FindCoordinator),
 * so a client would read "the request is invalid" where the broker knew which value was wrong.
 * The other served APIs with an error message field (CreateTopics, CreatePartitions, Produce)
 * keep the reason themselves; the rest have no such field.
 */
final class ErrorReasons
{
    private ErrorReasons()
    {
    }

    /**
     * @param response an error response built by the request's {@code getErrorResponse}.
     * @param reason the refusal's message, or null if it has none (the response is left as built).
     * @return the response, its entries that carry an error now carrying the reason.
     */
    static ApiMessage fill(final ApiMessage response, final String reason)
    {
        if (reason == null)
        {
            return response;
        }
        if (response instanceof DeleteTopicsResponseData deleted)
        {
            deleted.responses().forEach(topic -> topic.setErrorMessage(failed(topic.errorCode()) ? reason : topic.errorMessage()));
        }
        else if (response instanceof DescribeConfigsResponseData described)
        {
            described.results().forEach(result -> result.setErrorMessage(failed(result.errorCode()) ? reason : result.errorMessage()));
        }
        else if (response instanceof DescribeProducersResponseData producers)
        {
            producers.topics().forEach(topic -> topic.partitions()
                .forEach(partition -> partition.setErrorMessage(failed(partition.errorCode()) ? reason : partition.errorMessage())));
        }
        else if (response instanceof FindCoordinatorResponseData coordinator)
        {
            coordinator.setErrorMessage(failed(coordinator.errorCode()) ? reason : coordinator.errorMessage());
            coordinator.coordinators().forEach(key -> key.setErrorMessage(failed(key.errorCode()) ? reason : key.errorMessage()));
        }
        return response;
    }

    private static boolean failed(final short errorCode)
    {
        return errorCode != Errors.NONE.code();
    }
}
