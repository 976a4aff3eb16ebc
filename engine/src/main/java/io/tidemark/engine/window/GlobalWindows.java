package io.tidemark.engine.window;

import io.tidemark.engine.state.TypeSerializer;
import java.util.List;

/**
 * Puts every record of a key into the one {@link GlobalWindow}. Needs a trigger, such as
 * {@link CountTrigger}; the default never fires.
 */
public final class GlobalWindows extends WindowAssigner<Object, GlobalWindow>
{
    private static final List<GlobalWindow> ONLY = List.of(GlobalWindow.INSTANCE);

    private GlobalWindows()
    {
    }

    /**
     * @return the assigner.
     */
    public static GlobalWindows create()
    {
        return new GlobalWindows();
    }

    @Override
    public List<GlobalWindow> assignWindows(final Object element, final long timestamp, final Context context)
    {
        return ONLY;
    }

    @Override
    public Trigger<Object, GlobalWindow> defaultTrigger()
    {
        return NeverTrigger.create();
    }

    @Override
    public boolean isEventTime()
    {
        return false;
    }

    @Override
    public TypeSerializer<GlobalWindow> windowSerializer()
    {
        return GlobalWindow.SERIALIZER;
    }

    @Override
    public String toString()
    {
        return "GlobalWindows";
    }
}
