package io.tidemark.log.producer;

/** Told once when a sent record is acknowledged or has failed. Runs on the producer's sender thread: keep it short; what it throws is ignored. */
@FunctionalInterface
public interface Callback
{
    /**
     * @param metadata where the record was written, or null if it failed.
     * @param exception why it failed, or null if it succeeded.
     */
    void onCompletion(RecordMetadata metadata, Exception exception);
}
