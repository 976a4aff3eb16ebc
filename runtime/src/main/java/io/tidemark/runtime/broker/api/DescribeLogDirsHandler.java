package io.tidemark.runtime.broker.api;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.PartitionLog;
import io.tidemark.log.errors.LogException;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeLogDirs ({@code kafka-log-dirs}, Admin {@code describeLogDirs}): the one data
 * directory, with the size in bytes of each partition asked for (every partition when the
 * request names no topics; unknown ones are left out, as Kafka leaves them), an offset lag of
 * 0 (there is no future log being copied), and from version 4 the total and usable bytes of
 * its file system. Measuring asks the file system, so it runs on the I/O threads.
 */
final class DescribeLogDirsHandler implements ApiHandler
{
    private final Broker broker;

    DescribeLogDirsHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final DescribeLogDirsRequestData data = (DescribeLogDirsRequestData)request.data();
        return broker.blocking(() ->
        {
            final DescribeLogDirsResult dir = new DescribeLogDirsResult().setLogDir(broker.logs().dataDir().toAbsolutePath().toString());
            try
            {
                final FileStore store = Files.getFileStore(broker.logs().dataDir());
                dir.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
            }
            catch (final IOException e)
            {
                dir.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
            }
            if (data.topics() == null)
            {
                broker.logs().listTopics().forEach(topic -> describe(dir, topic, null));
            }
            else
            {
                for (final DescribableLogDirTopic topic : data.topics())
                {
                    describe(dir, topic.topic(), topic.partitions());
                }
            }
            return new DescribeLogDirsResponseData().setResults(List.of(dir));
        });
    }

    /** Adds the partitions of a topic (those named, or all), leaving out a topic or partition that does not exist. */
    private void describe(final DescribeLogDirsResult dir, final String topic, final List<Integer> partitions)
    {
        final List<PartitionLog> logs;
        try
        {
            logs = broker.logs().partitions(topic);
        }
        catch (final LogException e)
        {
            return;
        }
        final DescribeLogDirsTopic described = new DescribeLogDirsTopic().setName(topic);
        for (final PartitionLog log : logs)
        {
            final int partition = log.topicPartition().partition();
            if (partitions == null || partitions.contains(partition))
            {
                described.partitions().add(new DescribeLogDirsPartition().setPartitionIndex(partition).setPartitionSize(log.sizeInBytes())
                    .setOffsetLag(0));
            }
        }
        if (!described.partitions().isEmpty())
        {
            dir.topics().add(described);
        }
    }
}
