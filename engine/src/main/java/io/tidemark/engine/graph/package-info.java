/**
 * The job graph: the stream graph the API builds (nodes and edges) and the chained job graph
 * that runs (vertices, one task per subtask, and the edges that become channels).
 */
package io.tidemark.engine.graph;
