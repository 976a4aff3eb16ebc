/**
 * Event time: watermarks (carried as plain {@code long}s, see {@link
 * io.tidemark.engine.time.Watermark}), the strategies and generators that produce them per
 * source split, idleness, and the {@link io.tidemark.engine.time.WatermarkValve} that turns
 * the watermarks of several inputs into one.
 *
 * <p>Event time is when something happened (a click, a sensor reading); processing time is
 * when the engine sees it ({@link io.tidemark.engine.time.Clock}). Windows on event time
 * give the same answer on every replay, whatever the delays; windows on processing time are
 * cheaper and have no late data, but their contents depend on when records happen to
 * arrive.
 */
package io.tidemark.engine.time;
