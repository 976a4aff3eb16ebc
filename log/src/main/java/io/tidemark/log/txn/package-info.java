/**
 * Transactions: the coordinator that gives transactional producers their ids and epochs,
 * records which partitions and groups each transaction touches in the internal topic
 * {@code __transaction_state}, and ends transactions by writing markers into every partition
 * they touched.
 */
package io.tidemark.log.txn;
