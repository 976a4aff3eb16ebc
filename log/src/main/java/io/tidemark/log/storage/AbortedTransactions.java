package io.tidemark.log.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.tidemark.log.AbortedTransaction;

/**
 * The aborted transactions of a whole partition, in marker order, for read-committed fetches.
 * Changed under the log's lock; read without one: readers take the published {@link View}, an
 * array range that no later change writes into (an append writes past every published range,
 * and anything else copies the array).
 */
final class AbortedTransactions
{
    private volatile View view = new View(new TransactionIndex.Entry[16], 0, 0);

    /** The entries {@code [from, to)} of {@code entries}. */
    private record View(TransactionIndex.Entry[] entries, int from, int to)
    {
    }

    /** Adds the entry of the newest abort marker. */
    void add(final TransactionIndex.Entry entry)
    {
        final View current = view;
        TransactionIndex.Entry[] entries = current.entries;
        int from = current.from;
        int to = current.to;
        if (to == entries.length)
        {
            final int live = to - from;
            entries = Arrays.copyOfRange(entries, from, from + Math.max(16, live * 2));
            from = 0;
            to = live;
        }
        entries[to] = entry;
        view = new View(entries, from, to + 1);
    }

    /** Forgets the entries whose marker lies below {@code logStartOffset}, deleted by retention. */
    void removeBefore(final long logStartOffset)
    {
        final View current = view;
        int from = current.from;
        while (from < current.to && current.entries[from].lastOffset() < logStartOffset)
        {
            from++;
        }
        if (from != current.from)
        {
            view = new View(current.entries, from, current.to);
        }
    }

    /** Replaces every entry (while the log opens, before any reader). */
    void replace(final List<TransactionIndex.Entry> entries)
    {
        final TransactionIndex.Entry[] array = entries.toArray(new TransactionIndex.Entry[Math.max(16, entries.size() * 2)]);
        view = new View(array, 0, entries.size());
    }

    /**
     * @return the aborted transactions whose marker is at or after {@code fromOffset} and whose
     *         first offset is below {@code toOffset}, ordered by first offset.
     */
    List<AbortedTransaction> collect(final long fromOffset, final long toOffset)
    {
        final View current = view;
        final TransactionIndex.Entry[] entries = current.entries;
        int low = current.from;
        int high = current.to;
        while (low < high)
        {
            final int middle = (low + high) >>> 1;
            if (entries[middle].lastOffset() < fromOffset)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        List<AbortedTransaction> found = List.of();
        for (int i = low; i < current.to; i++)
        {
            final TransactionIndex.Entry entry = entries[i];
            if (entry.firstOffset() < toOffset)
            {
                if (found.isEmpty())
                {
                    found = new ArrayList<>();
                }
                found.add(new AbortedTransaction(entry.producerId(), entry.firstOffset(), entry.lastOffset()));
            }
            if (entry.lastStableOffset() >= toOffset)
            {
                break;
            }
        }
        if (found.size() > 1)
        {
            found.sort(Comparator.comparingLong(AbortedTransaction::firstOffset));
        }
        return found;
    }
}
