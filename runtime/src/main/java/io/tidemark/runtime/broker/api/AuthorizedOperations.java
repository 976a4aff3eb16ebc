package io.tidemark.runtime.broker.api;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.utils.Utils;

/**
 * The operations a client may perform on a resource, as Metadata and DescribeGroups report them
 * when asked: this broker has no authorizer, so everything Kafka allows on the resource type
 * without one, the same bitfields a Kafka broker without an authorizer answers. When the
 * request does not ask, the field keeps Kafka's "not asked" value, {@link Integer#MIN_VALUE}.
 */
final class AuthorizedOperations
{
    /** A topic: read, write, create, delete, alter, describe, describe and alter configs. */
    static final int TOPIC = bits(EnumSet.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DELETE,
        AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS));
    /** The cluster (Metadata 8-10): create, alter, describe, cluster action, describe and alter configs, idempotent write. */
    static final int CLUSTER = bits(EnumSet.of(AclOperation.CREATE, AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.CLUSTER_ACTION,
        AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE));
    /** A group: read, delete, describe, describe and alter configs. */
    static final int GROUP = bits(EnumSet.of(AclOperation.READ, AclOperation.DELETE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS,
        AclOperation.ALTER_CONFIGS));

    private AuthorizedOperations()
    {
    }

    /**
     * @param asked whether the request asked for the operations.
     * @param operations the resource type's bitfield, one of this class's constants.
     * @return what the response carries: the bitfield if asked, else {@link Integer#MIN_VALUE}.
     */
    static int reported(final boolean asked, final int operations)
    {
        return asked ? operations : Integer.MIN_VALUE;
    }

    private static int bits(final Set<AclOperation> operations)
    {
        return Utils.to32BitField(operations.stream().map(AclOperation::code).collect(Collectors.toSet()));
    }
}
