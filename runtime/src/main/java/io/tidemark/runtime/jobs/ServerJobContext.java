package io.tidemark.runtime.jobs;

import io.tidemark.engine.api.JobContext;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.txn.TransactionCoordinator;
import java.util.List;

/**
 * What the server gives a job's {@code define}: a fresh environment and the server's own log
 * and coordinators.
 *
 * @param env          the environment the job defines its pipeline on.
 * @param logs         the server's log.
 * @param groups       its group coordinator.
 * @param transactions its transaction coordinator.
 * @param args         the job's arguments.
 * @param jobId        the job's id.
 */
record ServerJobContext(StreamExecutionEnvironment env, LogManager logs, GroupCoordinator groups, TransactionCoordinator transactions, List<String> args,
                        String jobId) implements JobContext
{
}
