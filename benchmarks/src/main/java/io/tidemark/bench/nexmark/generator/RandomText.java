package io.tidemark.bench.nexmark.generator;

/**
 * The random text of a stream's events, cut from two tables of random characters filled once
 * from the stream's seed: one of letters (the padding), one of letters with a space one time
 * in 13 (e-mails, item names, descriptions, the directories of URLs). A string is a slice of
 * its table at a random offset: one draw for the offset instead of one per letter, and a
 * Latin-1 {@code String} copied straight from the table's bytes. Over the {@value #OFFSETS}
 * offsets and the lengths the events take, slices repeat too rarely for a query to see it
 * (q14 counts letters in the padding, which a slice of uniform letters keeps); the tables
 * (66 KiB each) stay in the core's cache. The same seed fills the same tables, so an event is
 * still a function of the seed and its number.
 */
final class RandomText
{
    /** Where a slice may start. */
    static final int OFFSETS = 1 << 16;
    /** The longest slice: more than the padding of an auction can take (120% of 500 bytes). */
    static final int MAX_LENGTH = 1024;
    /** Not an event number: the table's own draws. */
    private static final long TABLE_STREAM = -2;
    private static final int SPACE_ONE_IN = 13;

    private final byte[] letters = new byte[OFFSETS + MAX_LENGTH];
    private final byte[] words = new byte[OFFSETS + MAX_LENGTH];

    /**
     * @param seed   the stream's seed.
     * @param random draws to fill the tables with; reset here.
     */
    RandomText(final long seed, final EventRandom random)
    {
        random.reset(seed, TABLE_STREAM);
        for (int i = 0; i < letters.length; i++)
        {
            letters[i] = (byte)('a' + random.nextInt(26));
        }
        for (int i = 0; i < words.length; i++)
        {
            // One draw in 26 * 13: 26 values of it are a space, the other 12 * 26 a letter each 12 times.
            final int draw = random.nextInt(26 * SPACE_ONE_IN);
            words[i] = draw < 26 ? (byte)' ' : (byte)('a' + draw % 26);
        }
    }

    /**
     * @param random the event's draws.
     * @param length how many letters, at most {@link #MAX_LENGTH}.
     * @return that many random lowercase letters.
     */
    String letters(final EventRandom random, final int length)
    {
        return latin1(letters, random.nextInt(OFFSETS), length);
    }

    /**
     * @param random    the event's draws.
     * @param maxLength one more than the longest word.
     * @return a word of 3 to {@code maxLength - 1} characters, each a space one time in 13 and
     * otherwise a random letter, trimmed of the spaces at its ends.
     */
    String word(final EventRandom random, final int maxLength)
    {
        final long bounds = wordBounds(random, maxLength);
        final int start = (int)(bounds >>> 32);
        return latin1(words, start, (int)bounds - start);
    }

    /**
     * Appends a {@link #word} to a buffer.
     *
     * @param random    the event's draws.
     * @param maxLength one more than the longest word.
     * @param buffer    where to write.
     * @param at        where in the buffer to start.
     * @return where in the buffer the word ends.
     */
    int appendWord(final EventRandom random, final int maxLength, final byte[] buffer, final int at)
    {
        final long bounds = wordBounds(random, maxLength);
        final int start = (int)(bounds >>> 32);
        final int length = (int)bounds - start;
        System.arraycopy(words, start, buffer, at, length);
        return at + length;
    }

    /**
     * @param bytes  Latin-1 characters.
     * @param offset where the string starts in them.
     * @param length how many characters.
     * @return those characters as a string.
     */
    @SuppressWarnings("deprecation")
    static String latin1(final byte[] bytes, final int offset, final int length)
    {
        // The constructor with a high byte of 0 copies the slice as the string's Latin-1 value,
        // the same string as decoding it as ISO-8859-1; the constructor with a Charset is too
        // large to be inlined and compares the charset with UTF-8 and others first, which cost
        // a few ns on every padding.
        return new String(bytes, 0, offset, length);
    }

    /** @return a word's slice of the table, trimmed: its start in the high half, its end in the low. */
    private long wordBounds(final EventRandom random, final int maxLength)
    {
        final int length = 3 + random.nextInt(maxLength - 3);
        int start = random.nextInt(OFFSETS);
        int end = start + length;
        while (start < end && words[start] == ' ')
        {
            start++;
        }
        while (end > start && words[end - 1] == ' ')
        {
            end--;
        }
        return (long)start << 32 | end;
    }
}
