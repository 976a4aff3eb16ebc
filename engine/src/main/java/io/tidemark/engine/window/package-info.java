/**
 * Windows: assigners (tumbling, sliding, session, global), triggers (event time, processing
 * time, count, continuous, purging, custom), allowed lateness, the late-data policy, and the
 * {@link io.tidemark.engine.window.WindowOperator} that puts them together over keyed state
 * and timers.
 */
package io.tidemark.engine.window;
