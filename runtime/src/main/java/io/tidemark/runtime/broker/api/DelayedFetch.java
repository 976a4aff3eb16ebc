package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tidemark.log.TopicPartition;
import io.tidemark.runtime.broker.PartitionWatchers;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * A fetch that found fewer than {@code minBytes} and waits: it watches its partitions, reads
 * again on the connection's event loop whenever one grows, and answers when it has enough or
 * when {@code maxWaitMs} is up, with whatever there is then.
 *
 * <p>Between the read that found too little and the registration an append may slip through
 * unseen; so after registering, the end offsets are compared with those the read saw, and a
 * difference wakes the fetch at once. All state changes run on the event loop; only
 * {@link #dataArrived} is called from the appending thread, and it only schedules, unless
 * the append ran on this fetch's own event loop: then the fetch is answered at once, before
 * the producer's acknowledgement, so the consumer waiting for the record is woken first.
 */
final class DelayedFetch implements PartitionWatchers.Waiter
{
    private final FetchHandler handler;
    private final PartitionWatchers watchers;
    private final Request request;
    private final FetchRequestData data;
    private final CompletableFuture<ApiMessage> result = new CompletableFuture<>();
    private final AtomicBoolean armed = new AtomicBoolean();
    private final ScheduledFuture<?> timeout;
    private FetchHandler.Pass last;

    DelayedFetch(final FetchHandler handler, final PartitionWatchers watchers, final Request request, final FetchRequestData data,
        final FetchHandler.Pass first)
    {
        this.handler = handler;
        this.watchers = watchers;
        this.request = request;
        this.data = data;
        this.timeout = request.eventLoop().schedule(this::expire, data.maxWaitMs(), TimeUnit.MILLISECONDS);
        arm(first);
    }

    CompletableFuture<ApiMessage> result()
    {
        return result;
    }

    private void arm(final FetchHandler.Pass pass)
    {
        last = pass;
        armed.set(true);
        for (final TopicPartition partition : pass.partitions())
        {
            watchers.watch(partition, this);
        }
        if (pass.grewSince())
        {
            dataArrived();
        }
    }

    @Override
    public void dataArrived()
    {
        if (armed.compareAndSet(true, false))
        {
            if (request.eventLoop().inEventLoop())
            {
                retry();
            }
            else
            {
                request.eventLoop().execute(this::retry);
            }
        }
    }

    private void retry()
    {
        unwatch();
        if (result.isDone())
        {
            return;
        }
        try
        {
            final FetchHandler.Pass pass = handler.read(data);
            if (pass.bytes() >= data.minBytes() || pass.failed())
            {
                timeout.cancel(false);
                result.complete(pass.response());
            }
            else
            {
                arm(pass);
            }
        }
        catch (final RuntimeException e)
        {
            timeout.cancel(false);
            result.completeExceptionally(e);
        }
    }

    private void expire()
    {
        armed.set(false);
        unwatch();
        if (!result.isDone())
        {
            try
            {
                result.complete(handler.read(data).response());
            }
            catch (final RuntimeException e)
            {
                result.completeExceptionally(e);
            }
        }
    }

    private void unwatch()
    {
        for (final TopicPartition partition : last.partitions())
        {
            watchers.unwatch(partition, this);
        }
    }
}
