package io.tidemark.runtime.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every version of every API the server advertises, the oldest included: for each (API,
 * version) of the server's own ApiVersions answer, a minimal valid request (kafka-clients'
 * message class, empty unless {@link #REQUESTS} says what the API needs) sent on a connection
 * of its own must get a response of that version that decodes to its last byte, without
 * {@code UNKNOWN_SERVER_ERROR}, and without {@code UNSUPPORTED_VERSION} unless
 * {@link #REFUSED_VERSIONS} lists the version as advertised but refused. Driven by the answer,
 * it covers any API added to the table without a change here.
 */
class ApiVersionsWalkTest
{
    /** The requests an empty message class does not make valid: the fields they need. */
    private static final Map<ApiKeys, Supplier<ApiMessage>> REQUESTS = Map.of(
        ApiKeys.API_VERSIONS, () -> new ApiVersionsRequestData().setClientSoftwareName("walker").setClientSoftwareVersion("1"),
        // acks=0 would get no response at all.
        ApiKeys.PRODUCE, () -> new ProduceRequestData().setAcks((short)1).setTimeoutMs(1000),
        ApiKeys.FETCH, () -> new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1024),
        ApiKeys.LIST_OFFSETS, () -> new ListOffsetsRequestData().setReplicaId(-1));

    /**
     * Versions advertised only so that old clients choose their features (old librdkafka turns
     * compression off unless Produce is advertised from 0) and refused when sent, as Kafka 4 does:
     * the connection is closed.
     */
    private static final Map<ApiKeys, Set<Short>> REFUSED_VERSIONS = Map.of(ApiKeys.PRODUCE, Set.of((short)0, (short)1, (short)2));

    @TempDir
    Path dataDir;

    @Test
    void everyAdvertisedVersionOfEveryApiAnswersAMinimalRequest() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of()))
        {
            final ApiVersionsResponseData advertised;
            try (WireClient client = new WireClient(server.port()))
            {
                advertised = (ApiVersionsResponseData)client.send(REQUESTS.get(ApiKeys.API_VERSIONS).get(), (short)3);
            }
            assertEquals(Errors.NONE.code(), advertised.errorCode());
            final List<String> walked = new ArrayList<>();
            for (final ApiVersion api : advertised.apiKeys())
            {
                final ApiKeys key = ApiKeys.forId(api.apiKey());
                for (short version = api.minVersion(); version <= api.maxVersion(); version++)
                {
                    walk(server.port(), key, version);
                    walked.add(key + " v" + version);
                }
            }
            assertTrue(walked.contains("API_VERSIONS v0") && walked.contains("METADATA v0"), walked.toString());
        }
    }

    private static void walk(final int port, final ApiKeys key, final short version) throws IOException
    {
        final String what = key + " v" + version;
        final ApiMessage request = REQUESTS.getOrDefault(key, () -> ApiMessageType.fromApiKey(key.id).newRequest()).get();
        try (WireClient client = new WireClient(port))
        {
            client.sendRaw(WireClient.frame(request, version, 7));
            if (REFUSED_VERSIONS.getOrDefault(key, Set.of()).contains(version))
            {
                assertTrue(client.closedByServer(), what + " is refused by closing the connection");
                return;
            }
            final ByteBuffer frame;
            try
            {
                frame = client.readFrame();
            }
            catch (final IOException e)
            {
                fail(what + ": the connection closed or no answer came: " + e);
                return;
            }
            assertEquals(7, ResponseHeader.parse(frame, key.responseHeaderVersion(version)).correlationId(), what);
            final AbstractResponse response = AbstractResponse.parseResponse(key, new ByteBufferAccessor(frame), version);
            assertFalse(frame.hasRemaining(), what + ": " + frame.remaining() + " bytes left after the response of that version");
            final Map<Errors, Integer> errors = response.errorCounts();
            assertFalse(errors.containsKey(Errors.UNKNOWN_SERVER_ERROR), what + ": " + response);
            assertFalse(errors.containsKey(Errors.UNSUPPORTED_VERSION), what + " is advertised but refused: " + response);
        }
    }
}
