package io.tidemark.engine.operator;

import io.tidemark.engine.functions.OutputTag;

/**
 * Where an operator sends what it produces: records on its main output or a side output,
 * and the watermark and idleness it forwards. Implemented by the next operator in a chain
 * (a direct call), by channel writers to other tasks, and by test harnesses.
 *
 * @param <T> the main output's record type.
 */
public interface Output<T>
{
    /**
     * @param value     a record.
     * @param timestamp its event timestamp.
     */
    void collect(T value, long timestamp);

    /**
     * @param tag       the side output.
     * @param value     a record.
     * @param timestamp its event timestamp.
     * @param <X>       the side output's record type.
     */
    <X> void collect(OutputTag<X> tag, X value, long timestamp);

    /**
     * @param watermark the operator's new watermark, larger than any before.
     */
    void emitWatermark(long watermark);

    /**
     * @param idle whether the operator's input has gone idle ({@code true}) or come back.
     */
    void emitIdle(boolean idle);
}
