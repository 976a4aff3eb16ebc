package io.tidemark.bench.nexmark.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import io.tidemark.engine.state.KeyGroups;

/**
 * A bid for an item on auction, as Nexmark defines it. A plain object with public fields and a
 * no-argument constructor, so that Apache Flink treats it as a POJO on the benchmark's Flink
 * side too.
 */
public final class Bid
{
    /** The golden ratio's 64 bits, odd: the text digest's multiplier. */
    private static final long MULTIPLIER = 0x9E37_79B9_7F4A_7C15L;
    /** xxHash's second 64-bit prime: spreads a word's bits before they are added. */
    private static final long WORD_MULTIPLIER = 0xC2B2_AE3D_27D4_EB4FL;
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The auction bid on: an {@link Auction#id}. */
    public long auction;
    /** The person bidding: a {@link Person#id}. */
    public long bidder;
    /** The price, in cents. */
    public long price;
    /** The channel the bid came through: one of four hot channels, or {@code channel-N}. */
    public String channel;
    /** The page the bid was made on. */
    public String url;
    /** When the bid was made, in milliseconds since the epoch: its event time. */
    public long dateTime;
    /** Padding that brings the bid to its average size. */
    public String extra;

    /** An empty bid, for serializers. */
    public Bid()
    {
    }

    /**
     * @param auction  the auction bid on.
     * @param bidder   the person bidding.
     * @param price    the price, in cents.
     * @param channel  the channel it came through.
     * @param url      the page it was made on.
     * @param dateTime its event time, in milliseconds since the epoch.
     * @param extra    padding.
     */
    public Bid(final long auction, final long bidder, final long price, final String channel, final String url, final long dateTime, final String extra)
    {
        this.auction = auction;
        this.bidder = bidder;
        this.price = price;
        this.channel = channel;
        this.url = url;
        this.dateTime = dateTime;
        this.extra = extra;
    }

    /**
     * @return this bid priced in euros (query 1): 0.908 per dollar, cents rounded down.
     */
    public Bid inEuros()
    {
        return new Bid(auction, bidder, price * 908 / 1000, channel, url, dateTime, extra);
    }

    /**
     * The last tie-break of the queries that rank bids (18 and 19): after the fields they rank
     * by, the bid with the lower digest of its channel, URL and padding comes first, so that
     * the result does not depend on the order equal-ranked bids arrive in. A number rather than
     * the text itself, so that the queries' state keeps rows of numbers and no bid.
     *
     * <p>The padding, which differs from bid to bid, is hashed to 64 bits
     * ({@link #paddingHash}); the channel and URL, which the generator
     * shares between bids, by their cached {@link String#hashCode}s. The three are mixed so that
     * the order is as good as random. Bids whose text differs but whose digest is the same (a
     * 64-bit collision of the paddings, or of the whole mix, with equal times and prices on the
     * same auction) rank as equal, and the first to arrive keeps its place: the only way the
     * order of arrival can show.
     *
     * @param bid a bid.
     * @return the digest of its text.
     */
    public static long textDigest(final Bid bid)
    {
        long h = bid.channel.hashCode() * MULTIPLIER + bid.url.hashCode();
        h = h * MULTIPLIER + paddingHash(bid.extra);
        return KeyGroups.mix64(h);
    }

    /**
     * @return the padding's UTF-8 bytes folded eight at a time, starting from the length: each
     * word, multiplied by one odd constant, is added to the hash, which is rotated and multiplied
     * by another (xxHash's round). The rotation brings a difference the multiplications carried
     * to the high bits back to the low ones, so that two differing words cannot cancel out (a
     * plain multiply-and-xor lets a difference in a word's top byte be undone by the next word).
     * Words rather than characters, and bytes from {@link String#getBytes} (a copy for ASCII
     * text) rather than {@link String#charAt}: a bid's padding is hashed each time it enters
     * query 19's top 10, millions of times a run.
     */
    static long paddingHash(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long h = bytes.length;
        final int words = bytes.length & ~7;
        for (int i = 0; i < words; i += 8)
        {
            h = round(h, (long)WORDS.get(bytes, i));
        }
        if (words < bytes.length)
        {
            long tail = 0;
            for (int i = bytes.length - 1; i >= words; i--)
            {
                tail = tail << 8 | bytes[i] & 0xFF;
            }
            h = round(h, tail);
        }
        return h;
    }

    private static long round(final long hash, final long word)
    {
        return Long.rotateLeft(hash + word * WORD_MULTIPLIER, 31) * MULTIPLIER;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Bid bid && auction == bid.auction && bidder == bid.bidder && price == bid.price && dateTime == bid.dateTime
            && Objects.equals(channel, bid.channel) && Objects.equals(url, bid.url) && Objects.equals(extra, bid.extra);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(auction, bidder, price, channel, url, dateTime, extra);
    }

    @Override
    public String toString()
    {
        return "Bid{auction=" + auction + ", bidder=" + bidder + ", price=" + price + ", channel=" + channel + ", url=" + url + ", dateTime=" + dateTime
            + ", extra=" + extra + "}";
    }
}
