package io.tidemark.examples;

/**
 * An event of the examples: who, when (event time, ms) and how much.
 *
 * @param user   the user.
 * @param time   the event time, epoch ms.
 * @param amount a value to sum or average.
 */
public record Click(String user, long time, long amount)
{
}
