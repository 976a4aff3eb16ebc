package io.tidemark.connector.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.engine.state.TypeSerializer;
import io.tidemark.log.TopicPartition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSplitSerializerTest
{
    @TempDir
    Path dir;

    private Topics topics;

    @BeforeEach
    void createTopic()
    {
        topics = new Topics(dir).create("clicks", 3);
    }

    @AfterEach
    void close()
    {
        topics.close();
    }

    @Test
    void aCheckpointStoresLogSplitsThoughTheirPartitionIsNotSerializable() throws IOException
    {
        final TypeSerializer<LogSplit> serializer = LogSource.unbounded(topics.logs, "clicks", Click.DESERIALIZER).splitSerializer();
        final List<LogSplit> splits = List.of(new LogSplit(new TopicPartition("clicks", 2), 17, LogSplit.UNBOUNDED),
            new LogSplit(new TopicPartition("clicks-ü", 0), 0, 5));
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (final LogSplit split : splits)
        {
            serializer.serialize(split, new DataOutputStream(bytes));
        }
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(splits, List.of(serializer.deserialize(in), serializer.deserialize(in)));
    }
}
