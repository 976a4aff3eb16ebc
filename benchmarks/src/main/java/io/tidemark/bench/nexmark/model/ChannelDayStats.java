package io.tidemark.bench.nexmark.model;

/**
 * A result of query 16: the bidding of one channel on one day.
 *
 * @param channel the channel.
 * @param day     the day, {@code yyyy-MM-dd} (UTC).
 * @param minute  the latest minute of the day with a bid, {@code HH:mm}.
 * @param counts  its counts.
 */
public record ChannelDayStats(String channel, String day, String minute, BidCounts counts)
{
}
