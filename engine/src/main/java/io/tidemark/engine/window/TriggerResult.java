package io.tidemark.engine.window;

/**
 * What a trigger decides for a window: emit its result now or not, and whether to drop its
 * contents afterwards.
 */
public enum TriggerResult
{
    /** Nothing happens. */
    CONTINUE(false, false),
    /** Emit the window's result and keep its contents, which may grow and be emitted again. */
    FIRE(true, false),
    /** Drop the window's contents without emitting them. */
    PURGE(false, true),
    /** Emit the window's result, then drop its contents. */
    FIRE_AND_PURGE(true, true);

    private final boolean fire;
    private final boolean purge;

    TriggerResult(final boolean fire, final boolean purge)
    {
        this.fire = fire;
        this.purge = purge;
    }

    /**
     * @return whether the window emits its result.
     */
    public boolean isFire()
    {
        return fire;
    }

    /**
     * @return whether the window's contents are dropped.
     */
    public boolean isPurge()
    {
        return purge;
    }
}
