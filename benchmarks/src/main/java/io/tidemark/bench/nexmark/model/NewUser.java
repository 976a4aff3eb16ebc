package io.tidemark.bench.nexmark.model;

/**
 * A result of query 8: a person who opened an auction in the tumbling window they registered in.
 *
 * @param id          the person's id.
 * @param name        the person's name.
 * @param windowStart the start of the window, in milliseconds since the epoch.
 */
public record NewUser(long id, String name, long windowStart)
{
    /** The window's size, in milliseconds. */
    public static final long WINDOW = 10_000;

    /**
     * @param person a person.
     * @return the person, as a new user of the window of their registration.
     */
    public static NewUser of(final Person person)
    {
        return new NewUser(person.id, person.name, Math.floorDiv(person.dateTime, WINDOW) * WINDOW);
    }
}
