package io.tidemark.engine.api;

/** A test event: who clicked, when. */
record Click(String user, long time)
{
}
