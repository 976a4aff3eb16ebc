package io.tidemark.engine.time;

/**
 * Turns the timestamps seen on one input (one source split, or one subtask) into
 * watermarks. Called from a single thread, so implementations need no synchronisation.
 *
 * @param <T> the record type.
 */
public interface WatermarkGenerator<T>
{
    /**
     * Observes one record. Punctuated generators emit from here; periodic ones only remember.
     *
     * @param event          the record.
     * @param eventTimestamp its event timestamp, already assigned.
     * @param output         where to emit a watermark, if this record justifies one.
     */
    void onEvent(T event, long eventTimestamp, WatermarkOutput output);

    /**
     * Called every auto-watermark interval of processing time: the place to emit the
     * watermark that the records seen so far justify.
     *
     * @param output where to emit.
     */
    void onPeriodicEmit(WatermarkOutput output);
}
