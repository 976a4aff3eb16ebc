package io.tidemark.engine.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Built-in {@link TypeSerializer}s. {@link #any()} is the default everywhere a serializer is
 * optional: it writes a one-byte tag and then common types compactly, and falls back to
 * Java serialization for anything else {@link java.io.Serializable}.
 */
public final class Serializers
{
    /** {@code Long}. */
    public static final TypeSerializer<Long> LONG = new TypeSerializer<>()
    {
        @Override
        public void serialize(final Long value, final DataOutput out) throws IOException
        {
            out.writeLong(value);
        }

        @Override
        public Long deserialize(final DataInput in) throws IOException
        {
            return in.readLong();
        }
    };

    /** {@code String}, as modified UTF-8 of any length. */
    public static final TypeSerializer<String> STRING = new TypeSerializer<>()
    {
        @Override
        public void serialize(final String value, final DataOutput out) throws IOException
        {
            final byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        @Override
        public String deserialize(final DataInput in) throws IOException
        {
            final byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    };

    private static final byte TAG_LONG = 1;
    private static final byte TAG_INT = 2;
    private static final byte TAG_STRING = 3;
    private static final byte TAG_DOUBLE = 4;
    private static final byte TAG_BOOLEAN = 5;
    private static final byte TAG_LONG_ARRAY = 6;
    private static final byte TAG_JAVA = 127;

    private static final TypeSerializer<Object> ANY = new TypeSerializer<>()
    {
        @Override
        public void serialize(final Object value, final DataOutput out) throws IOException
        {
            if (value instanceof Long l)
            {
                out.writeByte(TAG_LONG);
                out.writeLong(l);
            }
            else if (value instanceof Integer i)
            {
                out.writeByte(TAG_INT);
                out.writeInt(i);
            }
            else if (value instanceof String s)
            {
                out.writeByte(TAG_STRING);
                STRING.serialize(s, out);
            }
            else if (value instanceof Double d)
            {
                out.writeByte(TAG_DOUBLE);
                out.writeDouble(d);
            }
            else if (value instanceof Boolean b)
            {
                out.writeByte(TAG_BOOLEAN);
                out.writeBoolean(b);
            }
            else if (value instanceof long[] array)
            {
                out.writeByte(TAG_LONG_ARRAY);
                out.writeInt(array.length);
                for (final long element : array)
                {
                    out.writeLong(element);
                }
            }
            else
            {
                out.writeByte(TAG_JAVA);
                final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ObjectOutputStream objects = new ObjectOutputStream(bytes))
                {
                    objects.writeObject(value);
                }
                out.writeInt(bytes.size());
                out.write(bytes.toByteArray());
            }
        }

        @Override
        public Object deserialize(final DataInput in) throws IOException
        {
            final byte tag = in.readByte();
            switch (tag)
            {
                case TAG_LONG:
                    return in.readLong();
                case TAG_INT:
                    return in.readInt();
                case TAG_STRING:
                    return STRING.deserialize(in);
                case TAG_DOUBLE:
                    return in.readDouble();
                case TAG_BOOLEAN:
                    return in.readBoolean();
                case TAG_LONG_ARRAY:
                    final long[] array = new long[in.readInt()];
                    for (int i = 0; i < array.length; i++)
                    {
                        array[i] = in.readLong();
                    }
                    return array;
                case TAG_JAVA:
                    final byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    try (ObjectInputStream objects = new ObjectInputStream(new ByteArrayInputStream(bytes)))
                    {
                        return objects.readObject();
                    }
                    catch (final ClassNotFoundException e)
                    {
                        throw new IOException("cannot restore a value: " + e.getMessage(), e);
                    }
                default:
                    throw new IOException("unknown serializer tag " + tag);
            }
        }
    };

    private Serializers()
    {
    }

    /**
     * @param <T> the value type.
     * @return a serializer for any common type or {@link java.io.Serializable} object.
     */
    @SuppressWarnings("unchecked")
    public static <T> TypeSerializer<T> any()
    {
        return (TypeSerializer<T>)ANY;
    }

    /**
     * @param elements the element serializer.
     * @param <T>      the element type.
     * @return a serializer for lists, read back as {@link ArrayList}s.
     */
    public static <T> TypeSerializer<List<T>> listOf(final TypeSerializer<T> elements)
    {
        return new TypeSerializer<>()
        {
            @Override
            public void serialize(final List<T> value, final DataOutput out) throws IOException
            {
                out.writeInt(value.size());
                for (final T element : value)
                {
                    elements.serialize(element, out);
                }
            }

            @Override
            public List<T> deserialize(final DataInput in) throws IOException
            {
                final int size = in.readInt();
                final List<T> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++)
                {
                    list.add(elements.deserialize(in));
                }
                return list;
            }
        };
    }

    /**
     * @param keys   the key serializer.
     * @param values the value serializer.
     * @param <K>    the key type.
     * @param <V>    the value type.
     * @return a serializer for maps, read back as {@link HashMap}s.
     */
    public static <K, V> TypeSerializer<Map<K, V>> mapOf(final TypeSerializer<K> keys, final TypeSerializer<V> values)
    {
        return new TypeSerializer<>()
        {
            @Override
            public void serialize(final Map<K, V> value, final DataOutput out) throws IOException
            {
                out.writeInt(value.size());
                for (final Map.Entry<K, V> entry : value.entrySet())
                {
                    keys.serialize(entry.getKey(), out);
                    values.serialize(entry.getValue(), out);
                }
            }

            @Override
            public Map<K, V> deserialize(final DataInput in) throws IOException
            {
                final int size = in.readInt();
                final Map<K, V> map = new HashMap<>();
                for (int i = 0; i < size; i++)
                {
                    map.put(keys.deserialize(in), values.deserialize(in));
                }
                return map;
            }
        };
    }
}
