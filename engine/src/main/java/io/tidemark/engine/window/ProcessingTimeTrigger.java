package io.tidemark.engine.window;

/** Fires once processing time passes the end of the window. */
public final class ProcessingTimeTrigger extends Trigger<Object, Window>
{
    private static final ProcessingTimeTrigger INSTANCE = new ProcessingTimeTrigger();

    private ProcessingTimeTrigger()
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
        ctx.registerProcessingTimeTimer(window.maxTimestamp());
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(final long time, final Window window, final TriggerContext ctx)
    {
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(final long time, final Window window, final TriggerContext ctx)
    {
        return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public void clear(final Window window, final TriggerContext ctx)
    {
        ctx.deleteProcessingTimeTimer(window.maxTimestamp());
    }

    @Override
    public boolean canMerge()
    {
        return true;
    }

    @Override
    public void onMerge(final Window window, final OnMergeContext ctx)
    {
        if (window.maxTimestamp() > ctx.currentProcessingTime())
        {
            ctx.registerProcessingTimeTimer(window.maxTimestamp());
        }
    }

    @Override
    public String toString()
    {
        return "ProcessingTimeTrigger";
    }
}
