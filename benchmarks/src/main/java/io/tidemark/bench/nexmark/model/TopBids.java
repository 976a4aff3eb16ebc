package io.tidemark.bench.nexmark.model;

/**
 * Query 19's rules, shared with the Flink side: an auction's highest bids so far, at most
 * {@link #SIZE}, in rank order, kept as one row of numbers ({@link #WIDTH} longs): the count,
 * then for each rank the price, time, bidder and {@link Bid#textDigest} that order it. Not the
 * bids: the query emits the bid that arrives, so it never needs those it keeps, and millions
 * of held bids as rows of numbers cost the collector nothing.
 */
public final class TopBids
{
    /** How many bids an auction ranks. */
    public static final int SIZE = 10;
    private static final int FIELDS = 4;
    /** The longs in an auction's row. */
    public static final int WIDTH = 1 + FIELDS * SIZE;
    private static final int COUNT = 0;
    private static final int PRICE = 0;
    private static final int TIME = 1;
    private static final int BIDDER = 2;
    private static final int DIGEST = 3;

    private TopBids()
    {
    }

    /**
     * Ranks a bid among those held: if it enters, the held bids it ranks above move down one,
     * and the last of a full row leaves.
     *
     * <p>The benchmark's SQL ranks an auction's bids by price, highest first, and leaves ties
     * open; here the earlier bid breaks them, then the lower bidder (as {@link AuctionBid#beats}
     * does for query 9's winner), then the lower {@link Bid#textDigest}, so the top 10 does not
     * depend on the order the bids arrive in.
     *
     * @param row the auction's row, all zeros before its first bid; changed in place.
     * @param bid a bid on the auction.
     * @return its rank, from 1, if it entered; 0 if it ranks below all of a full row.
     */
    public static int offer(final long[] row, final Bid bid)
    {
        final int size = (int)row[COUNT];
        final int end;
        if (size == SIZE)
        {
            // Most bids on an auction with many: turned away by the last entry alone.
            if (!ranksAbove(bid, row, entry(SIZE - 1)))
            {
                return 0;
            }
            end = SIZE - 1;
        }
        else
        {
            end = size;
            row[COUNT] = size + 1;
        }
        int at = end;
        while (at > 0 && ranksAbove(bid, row, entry(at - 1)))
        {
            at--;
        }
        final int entry = entry(at);
        System.arraycopy(row, entry, row, entry + FIELDS, FIELDS * (end - at));
        row[entry + PRICE] = bid.price;
        row[entry + TIME] = bid.dateTime;
        row[entry + BIDDER] = bid.bidder;
        row[entry + DIGEST] = Bid.textDigest(bid);
        return at + 1;
    }

    /**
     * @param row an auction's row.
     * @return how many bids it holds.
     */
    public static int size(final long[] row)
    {
        return (int)row[COUNT];
    }

    /**
     * @param row  an auction's row.
     * @param rank a rank, from 1 to {@link #size}.
     * @return the price of the bid held at that rank.
     */
    public static long price(final long[] row, final int rank)
    {
        return row[entry(rank - 1) + PRICE];
    }

    private static boolean ranksAbove(final Bid bid, final long[] row, final int entry)
    {
        final long price = row[entry + PRICE];
        final long time = row[entry + TIME];
        final long bidder = row[entry + BIDDER];
        if (bid.price != price || bid.dateTime != time || bid.bidder != bidder)
        {
            return AuctionBid.beats(bid.price, bid.dateTime, bid.bidder, price, time, bidder);
        }
        return Bid.textDigest(bid) < row[entry + DIGEST];
    }

    private static int entry(final int index)
    {
        return 1 + FIELDS * index;
    }
}
