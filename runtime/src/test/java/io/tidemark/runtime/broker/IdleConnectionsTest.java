package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.tidemark.log.errors.InvalidConfigurationException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code connections.max.idle.ms}: a silent connection, or one that sent half a frame and went
 * quiet, is closed; one that keeps sending requests is not.
 */
class IdleConnectionsTest
{
    private static final int IDLE_MS = 1500;

    @TempDir
    Path dataDir;

    @Test
    void theKeyIsKafkasWithItsDefault()
    {
        assertEquals(600_000, BrokerConfig.parse(new Properties(), dataDir, "127.0.0.1", 0).connectionsMaxIdleMs(), "Kafka's 10 minutes");
        final Properties properties = new Properties();
        properties.setProperty(BrokerConfig.CONNECTIONS_MAX_IDLE_MS, "5000");
        assertEquals(5000, BrokerConfig.parse(properties, dataDir, "127.0.0.1", 0).connectionsMaxIdleMs());
        properties.setProperty(BrokerConfig.CONNECTIONS_MAX_IDLE_MS, "0");
        assertThrows(InvalidConfigurationException.class, () -> BrokerConfig.parse(properties, dataDir, "127.0.0.1", 0));
    }

    @Test
    void silentAndHalfSentConnectionsAreClosedBusyOnesAreNot() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of(BrokerConfig.CONNECTIONS_MAX_IDLE_MS, Integer.toString(IDLE_MS)));
            WireClient silent = new WireClient(server.port());
            WireClient halfSent = new WireClient(server.port());
            WireClient busy = new WireClient(server.port()))
        {
            // A size that promises 100 bytes, then 10 of them, then nothing.
            halfSent.sendRaw(ByteBuffer.allocate(14).putInt(100).put(new byte[10]).array());

            final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_MS * 3L);
            while (System.nanoTime() < end)
            {
                final ApiVersionsResponseData versions = (ApiVersionsResponseData)busy.send(new ApiVersionsRequestData(), (short)3);
                assertFalse(versions.apiKeys().isEmpty(), "a connection that keeps sending requests is served");
                Thread.sleep(IDLE_MS / 15);
            }
            assertTrue(silent.closedByServer(), "a connection that never sent anything is closed");
            assertTrue(halfSent.closedByServer(), "a connection with a half-sent frame is closed");
            assertFalse(((ApiVersionsResponseData)busy.send(new ApiVersionsRequestData(), (short)3)).apiKeys().isEmpty(), "still served");
        }
    }
}
