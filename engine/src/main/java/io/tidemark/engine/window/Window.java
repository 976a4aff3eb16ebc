package io.tidemark.engine.window;

/**
 * A finite or infinite bucket of a keyed stream that results are computed over. Windows
 * are values: equal windows are the same window, and they serve as the namespace of the
 * window's state and timers.
 */
public abstract class Window
{
    /**
     * @return the largest timestamp that belongs to the window: once the watermark reaches
     * it, the window is complete.
     */
    public abstract long maxTimestamp();
}
