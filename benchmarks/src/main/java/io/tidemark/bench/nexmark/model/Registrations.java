package io.tidemark.bench.nexmark.model;

import java.util.Arrays;

/**
 * One person id's tumbling window in query 8: the names of the persons registered under that
 * id in the window (one, in generated data: ids are unique) and whether the person, as a
 * seller, opened an auction in it. The benchmark's SQL groups persons and auctions by id and
 * window before it joins the two; this accumulator does both groupings at once, so an auction
 * leaves a flag in the window's state rather than itself. Plain Java, shared with the Flink
 * side; not thread-safe, as window state is not.
 */
public final class Registrations
{
    private static final String[] NONE = new String[0];

    private String[] names = NONE;
    private int count;
    private boolean opened;

    /**
     * @param event a new person or a new auction, keyed by the person's id or the seller.
     * @return this accumulator, with the event in it.
     */
    public Registrations add(final Event event)
    {
        if (event.person != null)
        {
            addName(event.person.name);
        }
        else
        {
            opened = true;
        }
        return this;
    }

    /**
     * @param other the same id's window as seen elsewhere (another subtask's pre-aggregate).
     * @return this accumulator, holding both.
     */
    public Registrations merge(final Registrations other)
    {
        for (int i = 0; i < other.count; i++)
        {
            addName(other.names[i]);
        }
        opened |= other.opened;
        return this;
    }

    /**
     * @return how many new users the window names: its persons if they opened an auction, else none.
     */
    public int newUsers()
    {
        return opened ? count : 0;
    }

    /**
     * @param i a new user's index, below {@link #newUsers()}.
     * @return that new user's name.
     */
    public String name(final int i)
    {
        return names[i];
    }

    private void addName(final String name)
    {
        if (count == names.length)
        {
            names = Arrays.copyOf(names, Math.max(1, count * 2));
        }
        names[count++] = name;
    }
}
