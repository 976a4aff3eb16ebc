package io.tidemark.runtime.broker.api;

import org.apache.kafka.common.errors.CoordinatorNotAvailableException;

/**
 * The group APIs until the group coordinator is wired in: {@code COORDINATOR_NOT_AVAILABLE},
 * which clients treat as "retry later", as they would while a Kafka cluster elects one.
 */
final class CoordinatorNotAvailableHandler
{
    static final ErrorHandler INSTANCE = new ErrorHandler(
        () -> new CoordinatorNotAvailableException("the group coordinator is not available on this Tidemark server yet"));

    private CoordinatorNotAvailableHandler()
    {
    }
}
