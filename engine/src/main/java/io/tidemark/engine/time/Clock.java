package io.tidemark.engine.time;

/**
 * The source of processing time. The engine never calls {@code System.currentTimeMillis()}
 * directly, so that tests and the watermark trade-off harness can drive time by hand
 * ({@link ManualClock}) and get the same result on every run.
 */
@FunctionalInterface
public interface Clock
{
    /** The wall clock. */
    Clock SYSTEM = System::currentTimeMillis;

    /**
     * @return the current processing time in milliseconds.
     */
    long millis();
}
