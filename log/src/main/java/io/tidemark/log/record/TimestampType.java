package io.tidemark.log.record;

/** Whether a batch's timestamps were set by the producer or by the log when appending. */
public enum TimestampType
{
    /** The producer's timestamp, the default. */
    CREATE_TIME("CreateTime"),
    /** The time the log appended the batch; the records' own timestamps are ignored. */
    LOG_APPEND_TIME("LogAppendTime");

    private final String configName;

    TimestampType(final String configName)
    {
        this.configName = configName;
    }

    /**
     * The name used in the {@code message.timestamp.type} configuration, as Kafka spells it.
     *
     * @return {@code CreateTime} or {@code LogAppendTime}.
     */
    public String configName()
    {
        return configName;
    }

    /**
     * Parses a {@code message.timestamp.type} value.
     *
     * @param name {@code CreateTime} or {@code LogAppendTime}.
     * @return the type.
     * @throws IllegalArgumentException for any other name.
     */
    public static TimestampType fromConfigName(final String name)
    {
        for (final TimestampType type : values())
        {
            if (type.configName.equals(name))
            {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown timestamp type '" + name + "' (CreateTime or LogAppendTime)");
    }
}
