package io.tidemark.connector.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.tidemark.connector.txn.PendingTransaction;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKey;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a transaction that another producer instance opened, by transactional id, producer
 * id and epoch, as that producer's own EndTxn would: FindCoordinator (key type transaction) on
 * a bootstrap broker, then EndTxn on the coordinator, each request in kafka-clients' generated
 * classes over a plain socket, its version picked from the broker's ApiVersions.
 *
 * <p>kafka-clients' public API cannot end another instance's transaction, and the prepared
 * transactions that could need a broker setting. The coordinator answers a commit that already
 * completed as a retry (success), so committing twice is harmless. Under {@code transaction.version}
 * 2 (finalized in the ApiVersions answer) the coordinator bumps the epoch at every end and
 * expects EndTxn version 5 or later; under 1, at most version 4: the version is chosen as
 * kafka-clients' producer chooses it.
 */
final class EndTxnClient
{
    private static final Logger LOG = LoggerFactory.getLogger(EndTxnClient.class);
    private static final String CLIENT_ID = "tidemark-kafka-sink-recovery";
    private static final String TRANSACTION_VERSION = "transaction.version";
    private static final int SOCKET_TIMEOUT_MS = 30_000;
    private static final long RETRY_BACKOFF_MS = 100;

    private final List<InetSocketAddress> bootstrap;
    private final Duration timeout;
    private int correlationId;

    /**
     * @param bootstrapServers the cluster's {@code bootstrap.servers}.
     * @param timeout          how long a commit may retry while the coordinator is unavailable
     *                         or still ending the transaction.
     */
    EndTxnClient(final String bootstrapServers, final Duration timeout)
    {
        this.bootstrap = new ArrayList<>();
        for (final String server : bootstrapServers.split(","))
        {
            final String trimmed = server.trim();
            bootstrap.add(InetSocketAddress.createUnresolved(Utils.getHost(trimmed), Utils.getPort(trimmed)));
        }
        this.timeout = timeout;
    }

    /**
     * @param pending the transaction.
     * @return true once it is committed (now or before), false if the coordinator refuses the
     *         commit because it aborted the transaction (or the id moved on): the output is lost.
     * @throws IllegalStateException if the coordinator cannot be reached or answers an
     *         unexpected error within the timeout.
     */
    boolean commit(final PendingTransaction pending)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() - deadline < 0)
        {
            try
            {
                final Errors error = endTxn(pending);
                switch (error)
                {
                    case NONE:
                        return true;
                    case PRODUCER_FENCED:
                    case INVALID_PRODUCER_ID_MAPPING:
                    case INVALID_TXN_STATE:
                        LOG.warn("transactional id '{}': the coordinator refused the commit: {}", pending.transactionalId(), error.message());
                        return false;
                    default:
                        if (!(error.exception() instanceof RetriableException))
                        {
                            throw new IllegalStateException("transactional id '" + pending.transactionalId() + "': committing the output of " +
                                "checkpoint " + pending.checkpointId() + " failed: " + error.name() + ": " + error.message());
                        }
                        last = error.exception();
                }
            }
            catch (final IOException e)
            {
                last = e;
            }
            sleepBeforeRetry();
        }
        throw new IllegalStateException("transactional id '" + pending.transactionalId() + "': could not commit the output of checkpoint " +
            pending.checkpointId() + " within " + timeout.toMillis() + " ms: " + last, last);
    }

    private Errors endTxn(final PendingTransaction pending) throws IOException
    {
        final InetSocketAddress coordinator = findCoordinator(pending.transactionalId());
        try (Connection connection = new Connection(coordinator))
        {
            final ApiVersionsResponse versions = connection.apiVersions();
            final boolean transactionV2 = transactionVersion(versions) >= 2;
            final EndTxnRequestData data = new EndTxnRequestData()
                .setTransactionalId(pending.transactionalId())
                .setProducerId(pending.producerId())
                .setProducerEpoch(pending.epoch())
                .setCommitted(true);
            final short version = version(versions, ApiKeys.END_TXN);
            final EndTxnResponse response = (EndTxnResponse)connection.send(new EndTxnRequest.Builder(data, transactionV2).build(version));
            return response.error();
        }
    }

    private InetSocketAddress findCoordinator(final String transactionalId) throws IOException
    {
        IOException unreachable = null;
        for (final InetSocketAddress broker : bootstrap)
        {
            try (Connection connection = new Connection(broker))
            {
                final short version = version(connection.apiVersions(), ApiKeys.FIND_COORDINATOR);
                final FindCoordinatorRequestData data = new FindCoordinatorRequestData()
                    .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id());
                if (version >= FindCoordinatorRequest.MIN_BATCHED_VERSION)
                {
                    data.setCoordinatorKeys(List.of(transactionalId));
                }
                else
                {
                    data.setKey(transactionalId);
                }
                final FindCoordinatorResponse response = (FindCoordinatorResponse)connection.send(
                    new FindCoordinatorRequest.Builder(data).build(version));
                final Coordinator coordinator = version >= FindCoordinatorRequest.MIN_BATCHED_VERSION ? response.data().coordinators().get(0)
                    : new Coordinator().setErrorCode(response.data().errorCode()).setHost(response.data().host()).setPort(response.data().port());
                final Errors error = Errors.forCode(coordinator.errorCode());
                if (error != Errors.NONE)
                {
                    throw new IOException("no transaction coordinator for '" + transactionalId + "' yet: " + error.name(), error.exception());
                }
                return InetSocketAddress.createUnresolved(coordinator.host(), coordinator.port());
            }
            catch (final IOException e)
            {
                unreachable = e;
            }
        }
        throw unreachable;
    }

    /** The highest version of the API both kafka-clients and the broker speak. */
    private static short version(final ApiVersionsResponse versions, final ApiKeys api) throws IOException
    {
        final ApiVersion range = versions.apiVersion(api.id);
        if (range == null || range.minVersion() > api.latestVersion())
        {
            throw new IOException("the broker does not serve " + api.name + " in a version kafka-clients speaks");
        }
        return (short)Math.min(range.maxVersion(), api.latestVersion());
    }

    private static short transactionVersion(final ApiVersionsResponse versions)
    {
        final FinalizedFeatureKey feature = versions.data().finalizedFeatures().find(TRANSACTION_VERSION);
        return feature == null ? 0 : feature.maxVersionLevel();
    }

    private static void sleepBeforeRetry()
    {
        try
        {
            Thread.sleep(RETRY_BACKOFF_MS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while committing a pending transaction", e);
        }
    }

    /** One socket to one broker, a request at a time. */
    private final class Connection implements AutoCloseable
    {
        private final Socket socket = new Socket();
        private final DataOutputStream out;
        private final DataInputStream in;

        Connection(final InetSocketAddress address) throws IOException
        {
            try
            {
                socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()), SOCKET_TIMEOUT_MS);
                socket.setSoTimeout(SOCKET_TIMEOUT_MS);
                socket.setTcpNoDelay(true);
                out = new DataOutputStream(socket.getOutputStream());
                in = new DataInputStream(socket.getInputStream());
            }
            catch (final IOException e)
            {
                socket.close();
                throw e;
            }
        }

        /** ApiVersions at kafka-clients' latest version, or at the broker's highest if it answers that it speaks only older ones. */
        ApiVersionsResponse apiVersions() throws IOException
        {
            ApiVersionsResponse response = (ApiVersionsResponse)send(new ApiVersionsRequest.Builder().build(ApiKeys.API_VERSIONS.latestVersion()));
            if (response.data().errorCode() == Errors.UNSUPPORTED_VERSION.code())
            {
                final ApiVersion supported = response.apiVersion(ApiKeys.API_VERSIONS.id);
                if (supported == null)
                {
                    throw new IOException("the broker answered ApiVersions with UNSUPPORTED_VERSION and no version of its own");
                }
                response = (ApiVersionsResponse)send(new ApiVersionsRequest.Builder().build(supported.maxVersion()));
            }
            final Errors error = Errors.forCode(response.data().errorCode());
            if (error != Errors.NONE)
            {
                throw new IOException("ApiVersions failed: " + error.name(), error.exception());
            }
            return response;
        }

        AbstractResponse send(final AbstractRequest request) throws IOException
        {
            final RequestHeader header = new RequestHeader(request.apiKey(), request.version(), CLIENT_ID, ++correlationId);
            final ByteBuffer bytes = request.serializeWithHeader(header);
            out.writeInt(bytes.remaining());
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            out.flush();
            final byte[] answer = new byte[in.readInt()];
            in.readFully(answer);
            return AbstractResponse.parseResponse(ByteBuffer.wrap(answer), header);
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }
}
