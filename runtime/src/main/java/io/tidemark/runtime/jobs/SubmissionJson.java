package io.tidemark.runtime.jobs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;

/**
 * A {@link JobSubmission} in JSON, as the HTTP API takes and shows it and as {@code job.json}
 * stores it: camelCase, durations in milliseconds in fields ending {@code Ms}, the guarantee as
 * {@code exactly-once}, {@code at-least-once} or {@code at-most-once}. Reading refuses an
 * unknown field (a misspelt option would otherwise be ignored silently) and a value of the
 * wrong type or range, naming the field. A restart policy needs its attempts; its other fields
 * left out are null (a multiplier 0), which {@link RestartPolicy} fills from its defaults.
 */
public final class SubmissionJson
{
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> FIELDS = Set.of("name", "builtin", "jar", "className", "args", "parallelism", "guarantee",
        "checkpointIntervalMs", "restart", "fromSavepoint");
    private static final Set<String> RESTART_FIELDS = Set.of("attempts", "delayMs", "multiplier", "maxDelayMs", "resetAfterMs");

    private SubmissionJson()
    {
    }

    /**
     * @param json a submission's JSON.
     * @return the submission.
     * @throws JobSubmissionException naming the first wrong field.
     */
    public static JobSubmission read(final JsonNode json)
    {
        checkFields(json, FIELDS, "");
        final String builtin = text(json, "builtin");
        final String jar = text(json, "jar");
        final String className = text(json, "className");
        if ((builtin == null) == (jar == null) || (jar == null) != (className == null))
        {
            throw invalid("give either 'builtin', or 'jar' and 'className'");
        }
        final List<String> args = new ArrayList<>();
        final JsonNode argsNode = json.get("args");
        if (argsNode != null && !argsNode.isNull())
        {
            if (!argsNode.isArray())
            {
                throw invalid("'args' must be an array of strings");
            }
            for (final JsonNode arg : argsNode)
            {
                if (!arg.isTextual())
                {
                    throw invalid("'args' must be an array of strings");
                }
                args.add(arg.textValue());
            }
        }
        final Long parallelism = integer(json, "parallelism", 1, 1024);
        final Long interval = integer(json, "checkpointIntervalMs", 1, Long.MAX_VALUE);
        final String from = text(json, "fromSavepoint");
        return new JobSubmission(text(json, "name"), builtin, jar, className, List.copyOf(args), parallelism == null ? null : parallelism.intValue(),
            guarantee(text(json, "guarantee")), interval == null ? null : Duration.ofMillis(interval), restart(json.get("restart")),
            from == null ? null : Path.of(from));
    }

    private static RestartPolicy restart(final JsonNode json)
    {
        if (json == null || json.isNull())
        {
            return null;
        }
        if (!json.isObject())
        {
            throw invalid("'restart' must be an object");
        }
        checkFields(json, RESTART_FIELDS, "restart.");
        final Long attempts = integer(json, "attempts", 0, Integer.MAX_VALUE);
        if (attempts == null)
        {
            throw invalid("'restart.attempts' is required: the restarts allowed in a row");
        }
        final JsonNode multiplier = json.get("multiplier");
        if (multiplier != null && !multiplier.isNull() && (!multiplier.isNumber() || multiplier.doubleValue() < 1))
        {
            throw invalid("'restart.multiplier' must be a number of at least 1");
        }
        final Long delay = integer(json, "delayMs", 0, Long.MAX_VALUE);
        final Long maxDelay = integer(json, "maxDelayMs", 0, Long.MAX_VALUE);
        final Long resetAfter = integer(json, "resetAfterMs", 0, Long.MAX_VALUE);
        if (delay != null && maxDelay != null && maxDelay < delay)
        {
            throw invalid("'restart.maxDelayMs' must be at least 'restart.delayMs'");
        }
        return new RestartPolicy(attempts.intValue(), millis(delay), multiplier == null || multiplier.isNull() ? 0 : multiplier.doubleValue(),
            millis(maxDelay), millis(resetAfter));
    }

    private static Duration millis(final Long ms)
    {
        return ms == null ? null : Duration.ofMillis(ms);
    }

    /**
     * @param submission a submission.
     * @return its JSON, every field present (null where the server's default applies, a
     *         multiplier below 1 included), so that {@link #read} takes it back.
     */
    public static ObjectNode write(final JobSubmission submission)
    {
        final ObjectNode json = JSON.objectNode().put("name", submission.name()).put("builtin", submission.builtin()).put("jar", submission.jar())
            .put("className", submission.className());
        json.putArray("args").addAll(submission.args().stream().map(JSON::textNode).toList());
        json.put("parallelism", submission.parallelism());
        json.put("guarantee", submission.guarantee() == null ? null : name(submission.guarantee()));
        json.put("checkpointIntervalMs", toMillis(submission.checkpointInterval()));
        final RestartPolicy restart = submission.restart();
        if (restart == null)
        {
            json.putNull("restart");
        }
        else
        {
            json.putObject("restart").put("attempts", restart.attempts()).put("delayMs", toMillis(restart.delay()))
                .put("multiplier", restart.multiplier() < 1 ? null : restart.multiplier()).put("maxDelayMs", toMillis(restart.maxDelay())).put("resetAfterMs", toMillis(restart.resetAfter()));
        }
        json.put("fromSavepoint", submission.fromSavepoint() == null ? null : submission.fromSavepoint().toString());
        return json;
    }

    private static Long toMillis(final Duration duration)
    {
        return duration == null ? null : duration.toMillis();
    }

    /**
     * @param guarantee a guarantee.
     * @return its name in JSON and on the command line: {@code exactly-once},
     *         {@code at-least-once} or {@code at-most-once}.
     */
    public static String name(final DeliveryGuarantee guarantee)
    {
        return guarantee.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static DeliveryGuarantee guarantee(final String text)
    {
        if (text == null)
        {
            return null;
        }
        for (final DeliveryGuarantee guarantee : DeliveryGuarantee.values())
        {
            if (name(guarantee).equals(text))
            {
                return guarantee;
            }
        }
        throw invalid("'guarantee' must be exactly-once, at-least-once or at-most-once, not '" + text + "'");
    }

    private static JobSubmissionException invalid(final String message)
    {
        return new JobSubmissionException(message);
    }

    private static void checkFields(final JsonNode json, final Set<String> known, final String prefix)
    {
        json.fieldNames().forEachRemaining(field ->
        {
            if (!known.contains(field))
            {
                throw invalid("unknown field '" + prefix + field + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        });
    }

    /**
     * @param json  an object.
     * @param field one of its fields.
     * @return the field's text, or null if it is absent or null.
     * @throws JobSubmissionException if it is not a string.
     */
    public static String text(final JsonNode json, final String field)
    {
        final JsonNode value = json.get(field);
        if (value == null || value.isNull())
        {
            return null;
        }
        if (!value.isTextual())
        {
            throw invalid("'" + field + "' must be a string");
        }
        return value.textValue();
    }

    private static Long integer(final JsonNode json, final String field, final long min, final long max)
    {
        final JsonNode value = json.get(field);
        if (value == null || value.isNull())
        {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min || value.longValue() > max)
        {
            throw invalid("'" + field + "' must be a whole number from " + min + (max == Long.MAX_VALUE ? " up" : " to " + max));
        }
        return value.longValue();
    }
}
