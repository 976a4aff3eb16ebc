package io.tidemark.bench.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import io.tidemark.bench.nexmark.generator.NexmarkConfig;
import io.tidemark.bench.nexmark.generator.NexmarkGenerator;
import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.ChannelBid;
import io.tidemark.bench.nexmark.model.LastBid;
import io.tidemark.bench.nexmark.model.TopBids;
import org.junit.jupiter.api.Test;

/** The rules of queries 18, 19 and 21 alone, against the plain way (a regular expression, a sort). */
class NexmarkBidRulesTest
{
    @Test
    void theChannelIdScanGivesWhatTheExpressionGivesForEveryChannelOfTheGenerator()
    {
        final NexmarkGenerator generator = new NexmarkGenerator(NexmarkConfig.standard(300_000));
        final Map<String, String> urls = new HashMap<>();
        for (long position = 0; position < 300_000; position++)
        {
            final Bid bid = generator.eventAt(position).bid;
            if (bid != null)
            {
                urls.put(bid.channel, bid.url);
            }
        }
        assertTrue(urls.size() > 9_990, "nearly every one of the 10,004 channels: " + urls.size());
        int fromUrl = 0;
        int none = 0;
        for (final Map.Entry<String, String> channel : urls.entrySet())
        {
            final String id = ChannelBid.channelId(channel.getKey(), channel.getValue());
            assertEquals(NexmarkOracle.channelId(channel.getKey(), channel.getValue()), id, channel.toString());
            // A URL's id, and its absence, are the same whatever the channel's name.
            assertEquals(NexmarkOracle.channelId("channel", channel.getValue()), ChannelBid.channelId("channel", channel.getValue()));
            fromUrl += id != null && id.length() > 1 ? 1 : 0;
            none += id == null ? 1 : 0;
        }
        assertTrue(fromUrl > 8_000 && none > 500, "90% of the channels carry an id: " + fromUrl + " with, " + none + " without");
    }

    @Test
    void theChannelIdScanGivesWhatTheExpressionGivesAtItsEdges()
    {
        for (final String url : List.of("", "channel_id", "channel_id=", "channel_id=5", "channel_id=5&x=1", "&channel_id=", "&channel_id=&",
            "a?channel_id=1", "a?channel_id=1&channel_id=2", "xchannel_id=1&channel_id=2", "a&channel_id=1&channel_id=2", "&&channel_id=x&",
            "channel_id=channel_id=1", "a&xchannel_id=1", "a&channel_id==&", "a&channel_id=%26&b", "a&channel_id=line\nbreak", "a&CHANNEL_ID=1",
            "https://www.nexmark.com/abc/defg/hij/item.htm?query=1&channel_id=1234567"))
        {
            assertEquals(NexmarkOracle.channelId("channel-1", url), ChannelBid.channelId("channel-1", url), url);
        }
        assertEquals("", ChannelBid.channelId("channel-1", "a&channel_id=&b=2"), "an empty id is an id, as the expression's group");
        assertNull(ChannelBid.channelId("channel-1", "a?channel_id=1"), "only at the start or after '&'");
        assertEquals("2", ChannelBid.channelId("FaceBook", "a&channel_id=7"), "a named channel's id first");
    }

    @Test
    void aChannelIsNamedWhenItLowerCasesToTheNameWhateverItsCharacters()
    {
        for (final String name : List.of("apple", "google", "facebook", "baidu"))
        {
            final char[] chars = name.toCharArray();
            for (int i = 0; i < chars.length; i++)
            {
                for (int c = Character.MIN_VALUE; c <= Character.MAX_VALUE; c++)
                {
                    final char[] changed = chars.clone();
                    changed[i] = (char)c;
                    final String channel = new String(changed);
                    final int changedTo = c;
                    assertEquals(NexmarkOracle.channelId(channel, ""), ChannelBid.channelId(channel, ""), () -> channel + " (" + Integer.toHexString(changedTo) + ")");
                }
            }
            assertEquals(NexmarkOracle.channelId(name.toUpperCase(Locale.ROOT), ""), ChannelBid.channelId(name.toUpperCase(Locale.ROOT), ""));
        }
        assertEquals("2", ChannelBid.channelId("FACEBOO\u212A", ""), "the Kelvin sign lower-cases to k");
        assertNull(ChannelBid.channelId("Ba\u0130du", ""), "a capital I with a dot lower-cases to two characters");
        assertNull(ChannelBid.channelId("apples", ""));
    }

    @Test
    void query18sKeyHoldsEveryPairApartAndSpreadsTheirHashes()
    {
        final int side = 1_000;
        final long[] keys = new long[side * side];
        final int[] hashes = new int[side * side];
        int i = 0;
        for (long bidder = 100_000; bidder < 100_000 + side; bidder++)
        {
            for (long auction = 300_000; auction < 300_000 + side; auction++)
            {
                keys[i] = LastBid.key(bid(auction, bidder, 1, 1, ""));
                hashes[i++] = Long.hashCode(keys[i - 1]);
            }
        }
        assertEquals(side * side, Arrays.stream(keys).distinct().count(), "one key per pair");
        // bidder << 32 | auction would hash to bidder ^ auction: 2,048 values here at most.
        assertTrue(Arrays.stream(hashes).distinct().count() > side * side * 99L / 100, "the hashes nearly as many as the pairs");
        assertEquals(LastBid.key(bid(0xFFFF_FFFFL, 0xFFFF_FFFFL, 1, 1, "")), LastBid.key(bid(0xFFFF_FFFFL, 0xFFFF_FFFFL, 2, 2, "")), "the key is the pair's");
        assertThrows(IllegalArgumentException.class, () -> LastBid.key(bid(1L << 32, 1, 1, 1, "")));
        assertThrows(IllegalArgumentException.class, () -> LastBid.key(bid(1, 1L << 32, 1, 1, "")));
        assertThrows(IllegalArgumentException.class, () -> LastBid.key(bid(1, -1, 1, 1, "")));
    }

    @Test
    void query18sLastBidIsTheLatestThenTheDearestThenTheLowerTextDigest()
    {
        final Bid latest = bid(1, 1, 10, 2_000, "b");
        final long[] row = new long[LastBid.WIDTH];
        LastBid.toRow(latest, row);
        assertTrue(!LastBid.later(bid(1, 1, 99, 1_999, "a"), row) && LastBid.later(bid(1, 1, 1, 2_001, "a"), row), "the later time first");
        assertTrue(LastBid.later(bid(1, 1, 11, 2_000, "z"), row) && !LastBid.later(bid(1, 1, 9, 2_000, "z"), row), "then the higher price");
        final Bid otherText = bid(1, 1, 10, 2_000, "a");
        assertTrue(Bid.textDigest(otherText) != Bid.textDigest(latest), "distinct texts, distinct digests");
        assertEquals(Bid.textDigest(otherText) < Bid.textDigest(latest), LastBid.later(otherText, row), "then the lower digest");
        assertTrue(!LastBid.later(latest, row) && !LastBid.later(bid(1, 1, 10, 2_000, "b"), row), "an equal bid is not later");
    }

    @Test
    void theTextDigestIsTheTextsAndSpreadsThem()
    {
        final Bid bid = bid(1, 2, 3, 4, "padding");
        assertEquals(Bid.textDigest(bid), Bid.textDigest(new Bid(9, 8, 7, new String(bid.channel), new String(bid.url), 6, new String(bid.extra))),
            "the text's, not the numbers' or the strings' identity");
        // Short paddings of digits and letters: String.hashCode alone would give "an" and "c0" one value.
        final long[] digests = new long[100_000];
        for (int i = 0; i < digests.length; i++)
        {
            digests[i] = Bid.textDigest(bid(1, 1, 1, 1, Integer.toString(i, 36)));
        }
        assertEquals(digests.length, Arrays.stream(digests).distinct().count(), "no two paddings share a digest");
        // Paddings of one length, as long as the generator's, that differ in one or two letters anywhere.
        final Random random = new Random(18);
        final char[] letters = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnop".toCharArray();
        final Map<Long, String> seen = new HashMap<>();
        for (int i = 0; i < 100_000; i++)
        {
            final char[] padding = letters.clone();
            padding[random.nextInt(padding.length)] = (char)('a' + random.nextInt(26));
            padding[random.nextInt(padding.length)] = (char)('A' + random.nextInt(26));
            final String text = new String(padding);
            final String before = seen.put(Bid.textDigest(bid(1, 1, 1, 1, text)), text);
            assertTrue(before == null || before.equals(text), () -> before + " and " + text + " share a digest");
        }
        // The order the digest gives is as good as random: about half of them sort below zero.
        final long below = Arrays.stream(digests).filter(digest -> digest < 0).count();
        assertTrue(below > 48_000 && below < 52_000, () -> "digests below zero: " + below);
    }

    @Test
    void query19sTopTenIsTheSameWhateverOrderTheBidsArriveIn()
    {
        final Random random = new Random(19);
        final List<Bid> bids = new ArrayList<>();
        for (int i = 0; i < 60; i++)
        {
            // Few prices, times, bidders and paddings: ties at every step of the order, and duplicates.
            bids.add(bid(7, 1000 + random.nextInt(3), 100 * (1 + random.nextInt(4)), 1_000 + random.nextInt(3), String.valueOf((char)('a' + random.nextInt(3)))));
        }
        final List<Bid> expected = bids.stream().sorted(NexmarkOracle.TOP_FIRST).limit(TopBids.SIZE).toList();
        for (int round = 0; round < 50; round++)
        {
            Collections.shuffle(bids, random);
            final long[] top = new long[TopBids.WIDTH];
            final List<Bid> replayed = new ArrayList<>();
            for (final Bid bid : bids)
            {
                final int rank = TopBids.offer(top, bid);
                if (rank > 0)
                {
                    replayed.add(rank - 1, bid);
                    replayed.subList(Math.min(replayed.size(), TopBids.SIZE), replayed.size()).clear();
                }
            }
            assertEquals(expected, replayed, "the ranks emitted replay to the top 10");
            assertEquals(TopBids.SIZE, TopBids.size(top));
            for (int rank = 1; rank <= TopBids.SIZE; rank++)
            {
                assertEquals(expected.get(rank - 1).price, TopBids.price(top, rank), "the row holds them in order");
            }
        }
    }

    @Test
    void query19sRowTakesBidsUntilFullThenOnlyThoseAboveItsLast()
    {
        final long[] top = new long[TopBids.WIDTH];
        for (int i = 1; i <= TopBids.SIZE; i++)
        {
            assertEquals(i, TopBids.offer(top, bid(7, 1000, 1_000 - i, 1, "")), "each lower bid enters last");
        }
        assertEquals(0, TopBids.offer(top, bid(7, 1000, 989, 1, "")), "below a full row");
        assertEquals(0, TopBids.offer(top, bid(7, 1000, 990, 2, "")), "at its lowest price, but later");
        assertEquals(TopBids.SIZE, TopBids.offer(top, bid(7, 1000, 990, 0, "")), "at its lowest price, earlier");
        assertEquals(1, TopBids.offer(top, bid(7, 1000, 5_000, 9, "")));
        assertEquals(TopBids.SIZE, TopBids.size(top));
        assertEquals(5_000, TopBids.price(top, 1));
        assertEquals(991, TopBids.price(top, TopBids.SIZE), "the last two left");
    }

    private static Bid bid(final long auction, final long bidder, final long price, final long dateTime, final String extra)
    {
        return new Bid(auction, bidder, price, "channel-1", "url", dateTime, extra);
    }
}
