package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * A call of the transaction coordinator for one request: it may write {@code __transaction_state}
 * and markers, so it runs on the I/O threads, and its failure becomes the error code of the
 * request's API and version.
 */
final class CoordinatorCall
{
    /** AddPartitionsToTxn, AddOffsetsToTxn and EndTxn answer {@code PRODUCER_FENCED} from this version on. */
    private static final int FENCED_SINCE = 2;

    /**
     * The coordinator's work for one request.
     */
    @FunctionalInterface
    interface Work
    {
        /**
         * @throws RuntimeException the coordinator's refusal.
         */
        void run();
    }

    private CoordinatorCall()
    {
    }

    /**
     * @param broker the broker, for its I/O threads.
     * @param request the request, for its version.
     * @param transactionalId the request's transactional id, which must not be empty.
     * @param work the coordinator's work.
     * @param answer the response for the work's outcome, {@link Errors#NONE} if it succeeded.
     * @return the response, later.
     */
    static CompletableFuture<ApiMessage> run(final Broker broker, final Request request, final String transactionalId, final Work work,
        final Function<Errors, ApiMessage> answer)
    {
        if (transactionalId == null || transactionalId.isEmpty())
        {
            // Kafka's answer to a transactional API without a transactional id.
            return CompletableFuture.completedFuture(answer.apply(Errors.INVALID_REQUEST));
        }
        return broker.blocking(() ->
        {
            try
            {
                work.run();
                return answer.apply(Errors.NONE);
            }
            catch (final RuntimeException e)
            {
                return answer.apply(KafkaErrors.forCoordinatorException(e, request.version(), FENCED_SINCE));
            }
        });
    }
}
