package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeCluster ({@code kafka-cluster cluster-id}, Admin {@code describeCluster}): the cluster
 * id Metadata reports, this broker as the controller and the one broker, never fenced. The
 * listener is a broker endpoint (version 1 names the kind): asked for the controllers, it
 * answers {@code MISMATCHED_ENDPOINT_TYPE}, and {@code UNSUPPORTED_ENDPOINT_TYPE} for a kind it
 * does not know, as a Kafka broker does. Authorized operations are not reported (no ACLs).
 */
final class DescribeClusterHandler implements ApiHandler
{
    private static final byte BROKERS = 1;
    private static final byte CONTROLLERS = 2;

    private final Broker broker;

    DescribeClusterHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final DescribeClusterRequestData data = (DescribeClusterRequestData)request.data();
        final DescribeClusterResponseData response = new DescribeClusterResponseData().setEndpointType(BROKERS);
        if (data.endpointType() != BROKERS)
        {
            final Errors error = data.endpointType() == CONTROLLERS ? Errors.MISMATCHED_ENDPOINT_TYPE : Errors.UNSUPPORTED_ENDPOINT_TYPE;
            return CompletableFuture.completedFuture(response.setErrorCode(error.code())
                .setErrorMessage("this is a broker endpoint; it describes brokers only"));
        }
        response.setClusterId(broker.clusterId()).setControllerId(Broker.NODE_ID).brokers().add(new DescribeClusterBroker()
            .setBrokerId(Broker.NODE_ID)
            .setHost(broker.advertisedHost())
            .setPort(broker.advertisedPort()));
        return CompletableFuture.completedFuture(response);
    }
}
