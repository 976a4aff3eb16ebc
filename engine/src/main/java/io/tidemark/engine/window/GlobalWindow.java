package io.tidemark.engine.window;

import io.tidemark.engine.state.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;

/**
 * The one window that holds everything a key ever receives. It never ends, so only its
 * trigger (a count, say) makes it emit.
 */
public final class GlobalWindow extends Window
{
    /** The only instance. */
    public static final GlobalWindow INSTANCE = new GlobalWindow();

    /** Writes nothing: there is only one value. */
    public static final TypeSerializer<GlobalWindow> SERIALIZER = new TypeSerializer<>()
    {
        @Override
        public void serialize(final GlobalWindow value, final DataOutput out)
        {
        }

        @Override
        public GlobalWindow deserialize(final DataInput in)
        {
            return INSTANCE;
        }
    };

    private GlobalWindow()
    {
    }

    @Override
    public long maxTimestamp()
    {
        return Long.MAX_VALUE;
    }

    @Override
    public String toString()
    {
        return "GlobalWindow";
    }
}
