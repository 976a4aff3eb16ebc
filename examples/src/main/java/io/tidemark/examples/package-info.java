/**
 * Small runnable jobs, one per concept of the log and the engine.
 */
package io.tidemark.examples;
