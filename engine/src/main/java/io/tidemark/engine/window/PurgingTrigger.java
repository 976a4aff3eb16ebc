package io.tidemark.engine.window;

/**
 * Wraps a trigger so that every firing also purges the window: each result covers only the
 * records since the previous one (deltas rather than running totals).
 *
 * @param <T> the record type.
 * @param <W> the window type.
 */
public final class PurgingTrigger<T, W extends Window> extends Trigger<T, W>
{
    private final Trigger<T, W> nested;

    private PurgingTrigger(final Trigger<T, W> nested)
    {
        this.nested = nested;
    }

    /**
     * @param nested the trigger that decides when to fire.
     * @param <T>    the record type.
     * @param <W>    the window type.
     * @return the purging trigger.
     */
    public static <T, W extends Window> PurgingTrigger<T, W> of(final Trigger<T, W> nested)
    {
        return new PurgingTrigger<>(nested);
    }

    @Override
    public TriggerResult onElement(final T element, final long timestamp, final W window, final TriggerContext ctx) throws Exception
    {
        return purgeOnFire(nested.onElement(element, timestamp, window, ctx));
    }

    @Override
    public TriggerResult onEventTime(final long time, final W window, final TriggerContext ctx) throws Exception
    {
        return purgeOnFire(nested.onEventTime(time, window, ctx));
    }

    @Override
    public TriggerResult onProcessingTime(final long time, final W window, final TriggerContext ctx) throws Exception
    {
        return purgeOnFire(nested.onProcessingTime(time, window, ctx));
    }

    @Override
    public void clear(final W window, final TriggerContext ctx) throws Exception
    {
        nested.clear(window, ctx);
    }

    @Override
    public boolean canMerge()
    {
        return nested.canMerge();
    }

    @Override
    public void onMerge(final W window, final OnMergeContext ctx) throws Exception
    {
        nested.onMerge(window, ctx);
    }

    private static TriggerResult purgeOnFire(final TriggerResult result)
    {
        return result.isFire() ? TriggerResult.FIRE_AND_PURGE : result;
    }

    @Override
    public String toString()
    {
        return "PurgingTrigger(" + nested + ")";
    }
}
