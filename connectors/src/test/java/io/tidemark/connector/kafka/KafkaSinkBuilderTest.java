package io.tidemark.connector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.tidemark.connector.log.LogSerializer;
import io.tidemark.connector.txn.PendingTransaction;
import io.tidemark.connector.txn.TransactionalSinkState;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

/**
 * What the Kafka sink refuses before it talks to a broker: settings it owns, a timeout without
 * transactions, an empty prefix, and a checkpoint written by another sink.
 */
class KafkaSinkBuilderTest
{
    private static final LogSerializer<String> UTF8 = value -> value.getBytes(StandardCharsets.UTF_8);

    private static KafkaSink.Builder<String> builder()
    {
        return KafkaSink.builder("127.0.0.1:1", "out", UTF8);
    }

    @Test
    void theGuaranteeFollowsTheBuilder()
    {
        assertEquals(DeliveryGuarantee.AT_LEAST_ONCE, builder().build().guarantee());
        assertEquals(DeliveryGuarantee.EXACTLY_ONCE, builder().exactlyOnce("job").build().guarantee());
        assertEquals(DeliveryGuarantee.AT_LEAST_ONCE, builder().exactlyOnce("job").atLeastOnce().build().guarantee());
    }

    @Test
    void producerPropertiesTheSinkSetsItselfAreRefused()
    {
        for (final String key : List.of("acks", "enable.idempotence", "transactional.id", "transaction.timeout.ms", "bootstrap.servers",
            "key.serializer", "value.serializer"))
        {
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> builder().property(key, "x"));
            assertTrue(refused.getMessage().contains("'" + key + "'"), refused.getMessage());
        }
        builder().property("linger.ms", "5").property("compression.type", "lz4").build();
    }

    @Test
    void aTransactionTimeoutNeedsAnExactlyOnceSinkAndAPositiveValue()
    {
        final IllegalStateException atLeastOnce = assertThrows(IllegalStateException.class,
            () -> builder().transactionTimeout(Duration.ofMinutes(1)).build());
        assertTrue(atLeastOnce.getMessage().contains("exactlyOnce"), atLeastOnce.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder().exactlyOnce("job").transactionTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> builder().exactlyOnce("job").transactionTimeout(Duration.ofDays(30)));
    }

    @Test
    void anEmptyPrefixTopicOrBootstrapIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> builder().exactlyOnce(""));
        assertThrows(IllegalArgumentException.class, () -> KafkaSink.builder("", "out", UTF8));
        assertThrows(IllegalArgumentException.class, () -> KafkaSink.builder("127.0.0.1:1", " ", UTF8));
    }

    @Test
    void aCheckpointOfTheLogSinkIsRefusedByTheKafkaSinkNamingBoth() throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new TransactionalSinkState(3, 0, 1, 1, List.of(new PendingTransaction("job-0-0", 7, (short)0, 3)))
            .write(new DataOutputStream(bytes), new TransactionalSinkState.Kind(0x544C5331, "exactly-once log sink"));
        final KafkaSink<String> sink = builder().exactlyOnce("job").build();
        final IOException refused = assertThrows(IOException.class,
            () -> sink.restoreWriter(0, 1, List.of(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())))));
        assertTrue(refused.getMessage().contains("exactly-once Kafka sink") && refused.getMessage().contains("544c5331"), refused.getMessage());
    }
}
