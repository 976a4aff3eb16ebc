package io.tidemark.bench.server;

import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * L2T, and the log L3C reads. L2T: L2's producer with a transactional id sends the records,
 * unkeyed, as fast as it takes them, committing a transaction every
 * {@value #COMMIT_INTERVAL_MS} ms; timed from the first send to the end of the last commit,
 * when every record is acknowledged and committed. L3C's log: a committing and an aborting
 * producer write interleaved, so that each committed transaction has an aborted one open
 * beside it and a read_committed reader skips aborted records between committed ones.
 */
final class TransactionalProduceWorkload
{
    /** L2T commits this often. */
    static final long COMMIT_INTERVAL_MS = 100;
    /** L3C: records of one committed transaction. */
    private static final int COMMITTED_PER_TRANSACTION = 9_000;
    /** L3C: records of the aborted transaction open beside each committed one (10% of the log). */
    private static final int ABORTED_PER_TRANSACTION = 1_000;
    /** L3C: an aborted record's size, so that a reader that got one is found out by its byte count. */
    private static final int ABORTED_RECORD_BYTES = ClientSettings.RECORD_BYTES / 2;

    private TransactionalProduceWorkload()
    {
    }

    /**
     * L2T: produces {@code records} records of 100 bytes to a topic in transactions.
     *
     * @param settings L2T's producer settings, with a transactional id.
     * @param topic the topic, already created.
     * @param records how many.
     * @return the throughput.
     * @throws org.apache.kafka.common.KafkaException if a send or commit fails (the commit
     *         throws what a send met).
     */
    static Throughput run(final Properties settings, final String topic, final long records)
    {
        final byte[] value = ClientSettings.recordValue();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings))
        {
            producer.initTransactions();
            producer.partitionsFor(topic);
            final long interval = COMMIT_INTERVAL_MS * 1_000_000;
            final long start = System.nanoTime();
            long nextCommit = start + interval;
            producer.beginTransaction();
            for (long i = 0; i < records; i++)
            {
                producer.send(new ProducerRecord<>(topic, value));
                // The clock is read every 256 records: well within 100 ms at any rate here.
                if ((i & 0xFF) == 0xFF && System.nanoTime() - nextCommit >= 0)
                {
                    producer.commitTransaction();
                    producer.beginTransaction();
                    nextCommit = System.nanoTime() + interval;
                }
            }
            producer.commitTransaction();
            return new Throughput(records, records * value.length, System.nanoTime() - start);
        }
    }

    /**
     * L3C's log, not timed: {@code records} committed records of 100 bytes in transactions of
     * 9,000, and beside each an aborted transaction of 1,000 records of 50 bytes of another
     * producer, spread over every partition and sent between the two halves of the committed
     * one's.
     *
     * @param committing settings of the producer whose transactions commit.
     * @param aborting settings of the producer whose transactions abort (another transactional id).
     * @param topic the topic, already created.
     * @param records committed records; the log holds a ninth more, aborted.
     */
    static void writeInterleaved(final Properties committing, final Properties aborting, final String topic, final long records)
    {
        final byte[] value = ClientSettings.recordValue();
        final byte[] abortedValue = new byte[ABORTED_RECORD_BYTES];
        try (KafkaProducer<byte[], byte[]> committer = new KafkaProducer<>(committing);
             KafkaProducer<byte[], byte[]> aborter = new KafkaProducer<>(aborting))
        {
            committer.initTransactions();
            aborter.initTransactions();
            long written = 0;
            while (written < records)
            {
                final long committed = Math.min(COMMITTED_PER_TRANSACTION, records - written);
                committer.beginTransaction();
                aborter.beginTransaction();
                final long half = committed / 2;
                for (long i = 0; i < half; i++)
                {
                    committer.send(new ProducerRecord<>(topic, value));
                }
                committer.flush();
                for (int i = 0; i < ABORTED_PER_TRANSACTION; i++)
                {
                    aborter.send(new ProducerRecord<>(topic, i % ClientSettings.PARTITIONS, null, abortedValue));
                }
                aborter.flush();
                for (long i = half; i < committed; i++)
                {
                    committer.send(new ProducerRecord<>(topic, value));
                }
                committer.commitTransaction();
                aborter.abortTransaction();
                written += committed;
            }
        }
    }

    /**
     * Checks that an L3C read got the committed records and nothing else.
     *
     * @param read what the read_committed consumer counted.
     * @param records the committed records in the log.
     * @return {@code read}.
     * @throws IllegalStateException if an aborted record was among them.
     */
    static Throughput committedOnly(final Throughput read, final long records)
    {
        if (read.records() != records || read.bytes() != records * ClientSettings.RECORD_BYTES)
        {
            throw new IllegalStateException("read_committed read " + read.records() + " records of " + read.bytes() + " bytes; the log holds "
                + records + " committed records of " + ClientSettings.RECORD_BYTES + " bytes (aborted ones have " + ABORTED_RECORD_BYTES + ")");
        }
        return read;
    }
}
