package io.tidemark.bench.engine;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * What the heap did while a job ran: the collections, their time, and the bytes the whole
 * process allocated. A job's task threads end with the job, and on JDK 17 a thread's
 * allocation counter ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}) goes
 * with it, so the bytes come from the heap instead: what every collection during the run
 * freed (each one's heap use before minus after, from the collectors' notifications) plus
 * how much more of the heap is in use at the end than at the start. G1 counts eden by
 * region, so the figure is exact to a few regions (MiB) per run: against 20 M events, a
 * fraction of a byte per event.
 */
final class HeapActivity implements AutoCloseable
{
    /** How long the collectors' notifications may take to arrive after a collection. */
    private static final long NOTIFICATION_DEADLINE_NANOS = 5_000_000_000L;

    /**
     * @param bytes       bytes allocated.
     * @param collections garbage collections (pauses; G1's concurrent cycles are not counted).
     * @param gcMillis    the collectors' accumulated time, in milliseconds.
     */
    record Figures(long bytes, long collections, long gcMillis)
    {
        /**
         * @param events the events of the run.
         * @return bytes allocated per event.
         */
        double bytesPerEvent(final long events)
        {
            return (double)bytes / events;
        }
    }

    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final AtomicLong freed = new AtomicLong();
    private final AtomicLong notified = new AtomicLong();
    private final NotificationListener listener = this::onNotification;
    private final long freedAtStart;
    private final long collectionsAtStart;
    private final long millisAtStart;
    private final long usedAtStart;

    /** Starts measuring: listens to every collector, once the notifications of earlier collections have arrived. */
    HeapActivity()
    {
        for (final GarbageCollectorMXBean collector : collectors)
        {
            ((NotificationEmitter)collector).addNotificationListener(listener, null, null);
        }
        // Collections before the listener was added never notify it: count from here.
        notified.set(collections());
        collectionsAtStart = awaitNotifications();
        freedAtStart = freed.get();
        millisAtStart = gcMillis();
        usedAtStart = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * @return what the heap did since this meter was made.
     */
    Figures figures()
    {
        final long collections = awaitNotifications();
        final long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Figures(freed.get() - freedAtStart + used - usedAtStart, collections - collectionsAtStart, gcMillis() - millisAtStart);
    }

    @Override
    public void close()
    {
        for (final GarbageCollectorMXBean collector : collectors)
        {
            try
            {
                ((NotificationEmitter)collector).removeNotificationListener(listener);
            }
            catch (final ListenerNotFoundException e)
            {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * @return the collections so far, once each has notified this meter; the notifications
     * come from a thread of their own, a little after each collection.
     */
    private long awaitNotifications()
    {
        final long deadline = System.nanoTime() + NOTIFICATION_DEADLINE_NANOS;
        long collections = collections();
        while (notified.get() < collections)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("the collectors notified " + notified.get() + " of " + collections + " collections");
            }
            Thread.yield();
            collections = collections();
        }
        return collections;
    }

    private long collections()
    {
        long sum = 0;
        for (final GarbageCollectorMXBean collector : collectors)
        {
            sum += Math.max(0, collector.getCollectionCount());
        }
        return sum;
    }

    private long gcMillis()
    {
        long sum = 0;
        for (final GarbageCollectorMXBean collector : collectors)
        {
            sum += Math.max(0, collector.getCollectionTime());
        }
        return sum;
    }

    private void onNotification(final Notification notification, final Object handback)
    {
        if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION))
        {
            return;
        }
        final var info = GarbageCollectionNotificationInfo.from((CompositeData)notification.getUserData()).getGcInfo();
        freed.addAndGet(used(info.getMemoryUsageBeforeGc()) - used(info.getMemoryUsageAfterGc()));
        notified.incrementAndGet();
    }

    private static long used(final Map<String, MemoryUsage> pools)
    {
        long sum = 0;
        for (final MemoryUsage usage : pools.values())
        {
            sum += usage.getUsed();
        }
        return sum;
    }
}
