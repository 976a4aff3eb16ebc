package io.tidemark.engine.window;

/**
 * Fires once the watermark passes the end of the window. A record that arrives after that,
 * within the allowed lateness, makes the window fire again at once with the revised result.
 */
public final class EventTimeTrigger extends Trigger<Object, Window>
{
    private static final EventTimeTrigger INSTANCE = new EventTimeTrigger();

    private EventTimeTrigger()
    {
    }

    /**
     * @param <W> the window type.
     * @return the trigger.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <W extends Window> Trigger<Object, W> create()
    {
        return (Trigger)INSTANCE;
    }

    @Override
    public TriggerResult onElement(final Object element, final long timestamp, final Window window, final TriggerContext ctx)
    {
        if (window.maxTimestamp() <= ctx.currentWatermark())
        {
            return TriggerResult.FIRE;
        }
        ctx.registerEventTimeTimer(window.maxTimestamp());
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(final long time, final Window window, final TriggerContext ctx)
    {
        return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(final long time, final Window window, final TriggerContext ctx)
    {
        return TriggerResult.CONTINUE;
    }

    @Override
    public void clear(final Window window, final TriggerContext ctx)
    {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
    }

    @Override
    public boolean canMerge()
    {
        return true;
    }

    @Override
    public void onMerge(final Window window, final OnMergeContext ctx)
    {
        if (window.maxTimestamp() > ctx.currentWatermark())
        {
            ctx.registerEventTimeTimer(window.maxTimestamp());
        }
    }

    @Override
    public String toString()
    {
        return "EventTimeTrigger";
    }
}
