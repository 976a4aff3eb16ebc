package io.tidemark.runtime;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code tidemark job describe}'s text: a job's detail ({@code GET /api/jobs/{id}}) as a
 * header, its submission, its operators, its graph and its latest few checkpoints.
 */
final class JobDetailText
{
    /** The checkpoints shown, the latest; the API has more. */
    private static final int LATEST_CHECKPOINTS = 5;

    private JobDetailText()
    {
    }

    /**
     * @param detail the job's detail, as the API answers it.
     * @param nowMs  the time now, epoch milliseconds, for how long ago the checkpoints were.
     * @param out    where to print.
     */
    static void print(final JsonNode detail, final long nowMs, final PrintWriter out)
    {
        final JsonNode status = detail.path("status");
        final long uptime = status.path("uptimeMs").asLong();
        out.println("job " + status.path("id").asText() + " (" + status.path("name").asText() + "): " + status.path("state").asText() +
            (uptime > 0 ? " for " + JobText.duration(uptime) : "") + ", " + Plural.of(status.path("restarts").asInt(), "restart"));
        out.println("  submitted:       " + submission(status.path("submission")));
        out.println("  records:         " + JobText.count(status.path("recordsIn").asLong()) + " in, " +
            JobText.count(status.path("recordsOut").asLong()) + " out");
        final JsonNode last = status.get("lastCheckpoint");
        out.println("  last checkpoint: " + JobText.checkpoint(last, nowMs) +
            (last != null && last.isObject() ? " " + JobText.size(last.path("sizeBytes").asLong()) + " in " + last.path("path").asText() : ""));
        if (status.hasNonNull("failure"))
        {
            out.println("  failure:         " + status.path("failure").asText());
        }

        out.println();
        final JobText.Table operators = new JobText.Table().row("OPERATOR", "PARALLELISM", "RECORDS-IN", "WATERMARK-LAG", "LATE-DROPPED");
        for (final JsonNode operator : status.path("operators"))
        {
            final JsonNode lag = operator.get("watermarkLagMs");
            operators.row(operator.path("name").asText(), Integer.toString(operator.path("parallelism").asInt()),
                JobText.count(operator.path("recordsIn").asLong()), lag == null || lag.isNull() ? "-" : JobText.duration(lag.asLong()),
                JobText.count(operator.path("lateRecordsDropped").asLong()));
        }
        operators.lines(2).forEach(out::println);

        out.println();
        final JobText.Table graph = new JobText.Table().row("VERTEX", "NAME", "PARALLELISM", "TO");
        for (final JsonNode vertex : detail.path("vertices"))
        {
            final List<String> targets = new ArrayList<>();
            for (final JsonNode edge : detail.path("edges"))
            {
                if (edge.path("source").asInt() == vertex.path("id").asInt())
                {
                    targets.add(edge.path("target").asInt() + " (" + edge.path("partitioning").asText() + ")");
                }
            }
            graph.row(Integer.toString(vertex.path("id").asInt()), vertex.path("name").asText(), Integer.toString(vertex.path("parallelism").asInt()),
                targets.isEmpty() ? "-" : String.join(", ", targets));
        }
        graph.lines(2).forEach(out::println);

        final JsonNode attempts = detail.path("checkpoints");
        if (!attempts.isEmpty())
        {
            out.println();
            final JobText.Table checkpoints = new JobText.Table().row("CHECKPOINT", "STATUS", "TRIGGERED", "DURATION", "SIZE");
            for (int i = Math.max(0, attempts.size() - LATEST_CHECKPOINTS); i < attempts.size(); i++)
            {
                final JsonNode checkpoint = attempts.get(i);
                final long duration = checkpoint.path("durationMs").asLong();
                checkpoints.row("#" + checkpoint.path("id").asLong(), checkpoint.path("status").asText(),
                    JobText.duration(Math.max(0, nowMs - checkpoint.path("triggeredAtMs").asLong())) + " ago",
                    duration < 0 ? "-" : JobText.duration(duration), JobText.size(checkpoint.path("sizeBytes").asLong()));
            }
            checkpoints.lines(2).forEach(out::println);
        }
    }

    private static String submission(final JsonNode submission)
    {
        final StringBuilder text = new StringBuilder(submission.hasNonNull("builtin") ? "built-in " + submission.path("builtin").asText()
            : submission.path("className").asText() + " of jar " + submission.path("jar").asText());
        final List<String> args = new ArrayList<>();
        submission.path("args").forEach(a -> args.add(a.asText()));
        if (!args.isEmpty())
        {
            text.append(' ').append(String.join(" ", args));
        }
        text.append(", parallelism ").append(submission.hasNonNull("parallelism") ? submission.path("parallelism").asInt() : 1);
        if (submission.hasNonNull("guarantee"))
        {
            text.append(", ").append(submission.path("guarantee").asText());
        }
        if (submission.hasNonNull("checkpointIntervalMs"))
        {
            text.append(", checkpoints every ").append(JobText.duration(submission.path("checkpointIntervalMs").asLong()));
        }
        if (submission.hasNonNull("fromSavepoint"))
        {
            text.append(", from ").append(submission.path("fromSavepoint").asText());
        }
        return text.toString();
    }
}
