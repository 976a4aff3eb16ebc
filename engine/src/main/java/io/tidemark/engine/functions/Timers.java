package io.tidemark.engine.functions;

/**
 * Time as seen from inside a keyed function: the current watermark and processing time, and
 * timers for the current key. A timer fires once for each distinct timestamp, however often
 * it was registered; timers fire in timestamp order.
 */
public interface Timers
{
    /**
     * @return the current processing time.
     */
    long currentProcessingTime();

    /**
     * @return the operator's current watermark.
     */
    long currentWatermark();

    /**
     * Asks for {@code onTimer} once the watermark reaches {@code time}.
     *
     * @param time an event time.
     */
    void registerEventTimeTimer(long time);

    /**
     * Asks for {@code onTimer} once processing time reaches {@code time}.
     *
     * @param time a processing time.
     */
    void registerProcessingTimeTimer(long time);

    /**
     * @param time the event time of a timer of the current key to cancel.
     */
    void deleteEventTimeTimer(long time);

    /**
     * @param time the processing time of a timer of the current key to cancel.
     */
    void deleteProcessingTimeTimer(long time);
}
