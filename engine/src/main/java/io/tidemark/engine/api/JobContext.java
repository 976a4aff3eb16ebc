package io.tidemark.engine.api;

import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.txn.TransactionCoordinator;
import java.util.List;

/**
 * What a {@link StreamJob} running in a server is given: an environment the server has set
 * up (checkpoint directory, restart strategy, default parallelism), the server's log and its
 * coordinators, and the job's arguments.
 */
public interface JobContext
{
    /**
     * @return the environment to define the job on. A job may enable checkpointing itself to
     *         choose its interval and guarantee; the server puts the checkpoints in the job's
     *         directory either way.
     */
    StreamExecutionEnvironment env();

    /**
     * @return the server's log: the topics Kafka clients produce to and fetch from.
     */
    LogManager logs();

    /**
     * @return the server's group coordinator.
     */
    GroupCoordinator groups();

    /**
     * @return the server's transaction coordinator, for exactly-once sinks.
     */
    TransactionCoordinator transactions();

    /**
     * @return the arguments the job was submitted with.
     */
    List<String> args();

    /**
     * @return the job's id, unique in the server and the same across its restarts: a good
     *         prefix for its transactional ids.
     */
    String jobId();
}
