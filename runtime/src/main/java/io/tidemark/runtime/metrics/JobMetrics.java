package io.tidemark.runtime.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tidemark.engine.checkpoint.CheckpointStats;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.time.Watermark;

/**
 * The server's jobs, per operator subtask and per job's checkpoints, read at scrape time from
 * the {@link OperatorMetrics} the engine writes (the objects the job's status reads too).
 * Watermarks and event times are in seconds since the epoch, as Prometheus keeps time; a
 * subtask before its first watermark or record has no point for it.
 */
public final class JobMetrics implements MultiCollector
{
    private static final double MILLIS_PER_SECOND = 1e3;
    private static final double NANOS_PER_SECOND = 1e9;

    private final Supplier<Map<String, JobHandle>> runs;
    private final LongSupplier clock;

    /**
     * @param runs  the jobs' current runs by job id.
     * @param clock the wall clock, epoch milliseconds: processing time.
     */
    public JobMetrics(final Supplier<Map<String, JobHandle>> runs, final LongSupplier clock)
    {
        this.runs = runs;
        this.clock = clock;
    }

    @Override
    public MetricSnapshots collect()
    {
        final long now = clock.getAsLong();
        final MetricFamily in = MetricFamily.counter("tidemark_operator_records_in", "Records an operator subtask took in (a source: read)");
        final MetricFamily out = MetricFamily.counter("tidemark_operator_records_out", "Records an operator subtask sent on, main and side outputs");
        final MetricFamily busy = MetricFamily.counter("tidemark_operator_busy_seconds",
            "Time the subtask's task spent processing, waits for room downstream excluded (shared by a chain)");
        final MetricFamily backpressured = MetricFamily.counter("tidemark_operator_backpressured_seconds",
            "Time the subtask's task waited for room in a full channel downstream (shared by a chain)");
        final MetricFamily idle = MetricFamily.gauge("tidemark_operator_idle", "1 if every input of the subtask is idle");
        final MetricFamily watermark = MetricFamily.gauge("tidemark_operator_watermark_seconds", "The subtask's current input watermark");
        final MetricFamily newest = MetricFamily.gauge("tidemark_operator_newest_event_time_seconds", "The largest timestamp the subtask took in");
        final MetricFamily lag = MetricFamily.gauge("tidemark_operator_watermark_lag_seconds", "Processing time minus the subtask's watermark");
        final MetricFamily eventLag = MetricFamily.gauge("tidemark_operator_watermark_event_lag_seconds",
            "The newest event time the subtask took in minus its watermark");
        final MetricFamily late = MetricFamily.counter("tidemark_operator_late_records",
            "Late records by fate: dropped, side_output (dead letters), late_update");
        final MetricFamily missed = MetricFamily.counter("tidemark_operator_late_windows_missed",
            "Windows that had fired before an otherwise on-time record of theirs arrived (hopping windows)");
        final MetricFamily duration = MetricFamily.gauge("tidemark_checkpoint_last_duration_seconds", "The latest completed checkpoint: trigger to completion");
        final MetricFamily size = MetricFamily.gauge("tidemark_checkpoint_last_size_bytes", "The latest completed checkpoint: bytes of state written");
        final MetricFamily alignment = MetricFamily.gauge("tidemark_checkpoint_last_alignment_seconds",
            "The latest completed checkpoint: the longest any task held an input back for its barrier");
        final MetricFamily lastId = MetricFamily.gauge("tidemark_checkpoint_last_id", "The latest completed checkpoint's id");
        for (final Map.Entry<String, JobHandle> run : runs.get().entrySet())
        {
            final String job = run.getKey();
            for (final OperatorMetrics m : run.getValue().metrics())
            {
                final String[] labels = {"job", job, "operator", m.operatorName(), "subtask", Integer.toString(m.subtaskIndex())};
                in.add(m.recordsIn(), labels);
                out.add(m.recordsOut(), labels);
                busy.add(m.busyNanos() / NANOS_PER_SECOND, labels);
                backpressured.add(m.backpressuredNanos() / NANOS_PER_SECOND, labels);
                idle.add(m.idle() ? 1 : 0, labels);
                missed.add(m.lateWindowsMissed(), labels);
                late.add(m.lateRecordsDropped(), with(labels, "fate", "dropped"));
                late.add(m.lateRecordsToSideOutput(), with(labels, "fate", "side_output"));
                late.add(m.lateRecordsUpdated(), with(labels, "fate", "late_update"));
                final long mark = m.watermark();
                final long newestEventTime = m.newestEventTime();
                if (mark != Watermark.NONE && mark != Watermark.END)
                {
                    watermark.add(mark / MILLIS_PER_SECOND, labels);
                    lag.add((now - mark) / MILLIS_PER_SECOND, labels);
                    if (newestEventTime != Watermark.NONE)
                    {
                        eventLag.add((newestEventTime - mark) / MILLIS_PER_SECOND, labels);
                    }
                }
                if (newestEventTime != Watermark.NONE)
                {
                    newest.add(newestEventTime / MILLIS_PER_SECOND, labels);
                }
            }
            final CheckpointStats completed = lastCompleted(run.getValue().checkpointStats());
            if (completed != null)
            {
                duration.add(completed.durationMillis() / MILLIS_PER_SECOND, "job", job);
                size.add(completed.sizeBytes(), "job", job);
                alignment.add(completed.alignmentMillis() / MILLIS_PER_SECOND, "job", job);
                lastId.add(completed.id(), "job", job);
            }
        }
        final List<MetricSnapshot> families = new ArrayList<>();
        for (final MetricFamily family : List.of(in, out, busy, backpressured, idle, watermark, newest, lag, eventLag, late, missed, duration, size,
            alignment, lastId))
        {
            families.add(family.build());
        }
        return new MetricSnapshots(families);
    }

    private static String[] with(final String[] labels, final String name, final String value)
    {
        final String[] more = Arrays.copyOf(labels, labels.length + 2);
        more[labels.length] = name;
        more[labels.length + 1] = value;
        return more;
    }

    /**
     * @param stats a job's checkpoint statistics, oldest first.
     * @return the latest completed one, or null.
     */
    public static CheckpointStats lastCompleted(final List<CheckpointStats> stats)
    {
        for (int i = stats.size() - 1; i >= 0; i--)
        {
            if (stats.get(i).status() == CheckpointStats.Status.COMPLETED)
            {
                return stats.get(i);
            }
        }
        return null;
    }
}
