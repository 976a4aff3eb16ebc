package io.tidemark.engine.window;

/** Never fires: the default of {@link GlobalWindows}, which has no end to fire at. */
public final class NeverTrigger extends Trigger<Object, Window>
{
    private static final NeverTrigger INSTANCE = new NeverTrigger();

    private NeverTrigger()
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
        return TriggerResult.CONTINUE;
    }

    @Override
    public void clear(final Window window, final TriggerContext ctx)
    {
    }

    @Override
    public boolean canMerge()
    {
        return true;
    }

    @Override
    public void onMerge(final Window window, final OnMergeContext ctx)
    {
    }

    @Override
    public String toString()
    {
        return "NeverTrigger";
    }
}
