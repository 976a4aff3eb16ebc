package io.tidemark.bench.nexmark.model;

/**
 * A result of query 15: the bidding of one day.
 *
 * @param day    the day, {@code yyyy-MM-dd} (UTC).
 * @param counts its counts.
 */
public record DayStats(String day, BidCounts counts)
{
}
