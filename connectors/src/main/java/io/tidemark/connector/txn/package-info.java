/**
 * What the exactly-once sinks share, whichever broker holds their topic: a subtask's small pool
 * of transactional ids {@code <prefix>-<subtask>-<k>} ({@link io.tidemark.connector.txn.TransactionalSinkWriter}),
 * the pending transactions a checkpoint records ({@link io.tidemark.connector.txn.TransactionalSinkState}),
 * and the recovery that commits them and aborts what a failed run left open
 * ({@link io.tidemark.connector.txn.SinkTransactionRecovery}). A sink brings its producer
 * ({@link io.tidemark.connector.txn.TransactionalProducer}) and its way of ending another
 * instance's transactions ({@link io.tidemark.connector.txn.TransactionEnds}).
 */
package io.tidemark.connector.txn;
