package io.tidemark.runtime.broker;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Message;

/**
 * Whether a Kafka answer carries an error, as a client sees one: an error code other than
 * {@code NONE} at its top or for any topic, partition, group or other entry in it (Kafka's own
 * broker counts these per request type too). Produce and Fetch, the busy APIs, are read
 * directly; any other answer by walking its fields, found once per message class.
 */
final class ResponseErrors
{
    /** How to walk each message class: its error code, if it has one, and the fields holding more messages. */
    private static final ClassValue<Walk> WALKS = new ClassValue<>()
    {
        @Override
        protected Walk computeValue(final Class<?> type)
        {
            return Walk.of(type);
        }
    };

    private ResponseErrors()
    {
    }

    /**
     * @param answer an answer about to be written, or null (a produce with acks=0 gets none).
     * @return whether an error code other than {@code NONE} is in it.
     */
    static boolean any(final ApiMessage answer)
    {
        if (answer instanceof ProduceResponseData produce)
        {
            for (final ProduceResponseData.TopicProduceResponse topic : produce.responses())
            {
                for (final ProduceResponseData.PartitionProduceResponse partition : topic.partitionResponses())
                {
                    if (partition.errorCode() != 0)
                    {
                        return true;
                    }
                }
            }
            return false;
        }
        if (answer instanceof FetchResponseData fetch)
        {
            if (fetch.errorCode() != 0)
            {
                return true;
            }
            for (final FetchResponseData.FetchableTopicResponse topic : fetch.responses())
            {
                for (final FetchResponseData.PartitionData partition : topic.partitions())
                {
                    if (partition.errorCode() != 0)
                    {
                        return true;
                    }
                }
            }
            return false;
        }
        return answer != null && walk(answer);
    }

    private static boolean walk(final Object message)
    {
        return WALKS.get(message.getClass()).hasError(message);
    }

    /**
     * @param errorCode   the message's {@code errorCode()}, or null.
     * @param messages    its getters of one nested message.
     * @param collections its getters of a collection that may hold messages.
     */
    private record Walk(Method errorCode, List<Method> messages, List<Method> collections)
    {
        static Walk of(final Class<?> type)
        {
            Method errorCode = null;
            final List<Method> messages = new ArrayList<>();
            final List<Method> collections = new ArrayList<>();
            for (final Method method : type.getMethods())
            {
                if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers()) || method.getName().equals("duplicate")
                    || method.getName().equals("unknownTaggedFields"))
                {
                    continue;
                }
                if (method.getName().equals("errorCode") && method.getReturnType() == short.class)
                {
                    errorCode = method;
                }
                else if (Message.class.isAssignableFrom(method.getReturnType()))
                {
                    messages.add(method);
                }
                else if (Collection.class.isAssignableFrom(method.getReturnType()))
                {
                    collections.add(method);
                }
            }
            return new Walk(errorCode, List.copyOf(messages), List.copyOf(collections));
        }

        boolean hasError(final Object message)
        {
            if (errorCode != null && (short)get(errorCode, message) != 0)
            {
                return true;
            }
            for (final Method getter : messages)
            {
                final Object nested = get(getter, message);
                if (nested != null && walk(nested))
                {
                    return true;
                }
            }
            for (final Method getter : collections)
            {
                final Object elements = get(getter, message);
                if (elements != null)
                {
                    for (final Object element : (Collection<?>)elements)
                    {
                        if (element instanceof Message && walk(element))
                        {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private static Object get(final Method getter, final Object message)
        {
            try
            {
                return getter.invoke(message);
            }
            catch (final IllegalAccessException | InvocationTargetException e)
            {
                throw new IllegalStateException("cannot read " + getter + " of a Kafka message", e);
            }
        }
    }
}
