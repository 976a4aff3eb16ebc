package io.tidemark.engine.functions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;

/**
 * A user function frozen as bytes when the job is defined, from which every parallel subtask
 * (or source split) thaws a copy of its own. This is Flink's rule: a function's fields are
 * per subtask, never shared between threads, so a function may keep a counter or a buffer
 * in a field without locks. The price is Flink's too: the function and everything it
 * captures must be {@link Serializable}, and what it captures is copied, not shared (a
 * lambda that captures a latch gets a copy of the latch in each subtask; share through a
 * sink, or a static field, instead).
 *
 * <p>Freezing at definition time makes a function that cannot be copied fail where it is
 * written, naming the class that is in the way.
 *
 * @param <T> the function's type.
 */
public final class SerializedCopy<T>
{
    private final byte[] bytes;
    private final String what;
    private final ClassLoader classLoader;

    private SerializedCopy(final byte[] bytes, final String what, final ClassLoader classLoader)
    {
        this.bytes = bytes;
        this.what = what;
        this.classLoader = classLoader;
    }

    /**
     * Freezes a function.
     *
     * @param function the function.
     * @param what     what it is, for errors: "map function", "log deserializer".
     * @param <T>      its type.
     * @return the frozen function.
     * @throws IllegalArgumentException if the function, or something it captures, is not
     *                                  serializable.
     */
    public static <T> SerializedCopy<T> of(final T function, final String what)
    {
        if (function == null)
        {
            throw new NullPointerException(what);
        }
        if (!(function instanceof Serializable))
        {
            throw new IllegalArgumentException("the " + what + " " + function.getClass().getName() + " is not Serializable: each parallel subtask gets its "
                + "own copy of it, made by serialization");
        }
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(buffer))
        {
            out.writeObject(function);
        }
        catch (final NotSerializableException e)
        {
            throw new IllegalArgumentException("the " + what + " " + function.getClass().getName() + " cannot be copied for each parallel subtask: it holds a "
                + e.getMessage() + ", which is not Serializable (a lambda or an inner class holds what it captures, an inner class also its enclosing "
                + "instance; use a static nested class, or capture only serializable values)", e);
        }
        catch (final IOException e)
        {
            throw new IllegalArgumentException("the " + what + " " + function.getClass().getName() + " cannot be serialized: " + e, e);
        }
        return new SerializedCopy<>(buffer.toByteArray(), what, function.getClass().getClassLoader());
    }

    /**
     * @return a new copy of the function, sharing no mutable field with any other copy.
     */
    @SuppressWarnings("unchecked")
    public T newCopy()
    {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), classLoader))
        {
            return (T)in.readObject();
        }
        catch (final IOException | ClassNotFoundException e)
        {
            // The bytes came from a successful serialization in this JVM: only a broken
            // readObject of the user's class gets here.
            throw new IllegalStateException("cannot copy the " + what + ": " + e, e);
        }
    }

    /** Resolves classes with the function's own class loader, not the caller's. */
    private static final class LoaderObjectInputStream extends ObjectInputStream
    {
        private final ClassLoader classLoader;

        LoaderObjectInputStream(final InputStream in, final ClassLoader classLoader) throws IOException
        {
            super(in);
            this.classLoader = classLoader;
        }

        @Override
        protected Class<?> resolveClass(final ObjectStreamClass descriptor) throws IOException, ClassNotFoundException
        {
            try
            {
                return Class.forName(descriptor.getName(), false, classLoader);
            }
            catch (final ClassNotFoundException e)
            {
                return super.resolveClass(descriptor);
            }
        }
    }
}
