package io.tidemark.engine.state;

import java.io.DataInput;
import java.io.DataOutput;

/**
 * The namespace of state that belongs to a key and nothing narrower, such as the state of a
 * keyed process function. Window operators use the window as namespace instead, so one
 * state holds the contents of every window of a key.
 */
public final class VoidNamespace
{
    /** The only instance. */
    public static final VoidNamespace INSTANCE = new VoidNamespace();

    /** Writes nothing: there is only one value. */
    public static final TypeSerializer<VoidNamespace> SERIALIZER = new TypeSerializer<>()
    {
        @Override
        public void serialize(final VoidNamespace value, final DataOutput out)
        {
        }

        @Override
        public VoidNamespace deserialize(final DataInput in)
        {
            return INSTANCE;
        }
    };

    private VoidNamespace()
    {
    }

    @Override
    public String toString()
    {
        return "VoidNamespace";
    }
}
