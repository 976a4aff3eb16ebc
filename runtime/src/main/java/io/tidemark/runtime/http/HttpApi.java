package io.tidemark.runtime.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.topic.LogManager;
import io.tidemark.runtime.jobs.JobManager;
import io.tidemark.runtime.metrics.FetchSessionMetrics;
import io.tidemark.runtime.metrics.KafkaRequestMetrics;

/**
 * The HTTP API's routes: which method and path is answered by what, and how large a body each
 * takes. Unknown paths are answered 404, a known path with another method 405 with an
 * {@code Allow} header. Every answer under {@code /api} is JSON; see {@code docs/HTTP-API.md}.
 * Beside it, {@code GET /metrics} answers the metrics in Prometheus's text format (the same
 * registry's scrape is {@code GET /api/metrics} in JSON), and {@code GET /} the live dashboard, whose page listens to {@code GET /events}.
 */
public final class HttpApi
{
    /** The largest JSON body accepted; a submission is a few hundred bytes. */
    public static final int MAX_JSON_BYTES = 1 << 20;
    /** The largest jar accepted. */
    public static final long MAX_JAR_BYTES = 256L << 20;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String PREFIX = "/api";
    private static final String METRICS = "/metrics";
    private static final String EVENTS = "/events";
    private static final String ANY = "*";

    private final List<Route> routes = new ArrayList<>();
    private final TopicsResource topics;
    private final GroupsResource groups;
    private final JobsResource jobs;
    private final MetricsResource metrics;
    private final DashboardFiles dashboard = new DashboardFiles();
    private final DashboardEvents events;
    private final GroupCoordinator groupCoordinator;
    private final LogManager logs;
    private final String version;
    private final String kafkaAddress;
    private final LongSupplier clock;
    private final long startedAtMs;

    /**
     * @param logs         the server's log.
     * @param groups       its group coordinator.
     * @param jobs         its jobs, or null if it runs none (the job calls are then answered 503).
     * @param version      the server's version, for the overview.
     * @param kafkaAddress the Kafka listener's {@code host:port}, for the overview.
     * @param requests     the Kafka listener's request counters, for the metrics.
     * @param fetchSessions the broker's fetch session counters, for the metrics.
     * @param clock        the wall clock, epoch milliseconds.
     */
    public HttpApi(final LogManager logs, final GroupCoordinator groups, final JobManager jobs, final String version, final String kafkaAddress,
        final KafkaRequestMetrics requests, final FetchSessionMetrics fetchSessions, final LongSupplier clock)
    {
        this.logs = logs;
        this.groupCoordinator = groups;
        this.topics = new TopicsResource(logs);
        this.groups = new GroupsResource(groups, logs);
        this.jobs = new JobsResource(jobs);
        this.metrics = new MetricsResource(logs, this.groups, jobs, requests, fetchSessions, clock);
        this.events = new DashboardEvents(new DashboardSnapshot(jobs, this.jobs, topics, this.groups, requests, clock));
        this.version = version;
        this.kafkaAddress = kafkaAddress;
        this.clock = clock;
        this.startedAtMs = clock.getAsLong();

        route(HttpMethod.GET, "", r -> ok(overview()));
        route(HttpMethod.GET, "topics", r -> ok(topics.list()));
        route(HttpMethod.GET, "topics/*", r -> ok(topics.describe(r.segments().get(1))));
        route(HttpMethod.GET, "groups", r -> ok(this.groups.list()));
        route(HttpMethod.GET, "groups/*", r -> ok(this.groups.describe(r.segments().get(1))));
        route(HttpMethod.GET, "metrics", r -> ok(metrics.json()));
        route(HttpMethod.GET, "jobs", r -> ok(this.jobs.list()));
        route(HttpMethod.POST, "jobs", r -> created(this.jobs.submit(r.json())));
        route(HttpMethod.GET, "jobs/builtins", r -> ok(this.jobs.builtins()));
        route(HttpMethod.POST, "jars", r -> created(this.jobs.storeJar(r.body())));
        route(HttpMethod.GET, "jobs/*", r -> ok(this.jobs.detail(r.segments().get(1))));
        route(HttpMethod.POST, "jobs/*/savepoints", r -> this.jobs.savepoint(r.segments().get(1), r.json()).thenApply(ApiResponse::ok));
        route(HttpMethod.POST, "jobs/*/cancel", r -> this.jobs.cancel(r.segments().get(1), r.json()).thenApply(ApiResponse::ok));
        route(HttpMethod.POST, "jobs/*/resume", r -> ok(this.jobs.resume(r.segments().get(1), r.json())));
    }

    private void route(final HttpMethod method, final String pattern, final Function<ApiRequest, CompletableFuture<ApiResponse>> handler)
    {
        final List<String> segments = pattern.isEmpty() ? List.of() : List.of(pattern.split("/"));
        final Route route = routes.stream().filter(r -> r.pattern().equals(segments)).findFirst().orElseGet(() ->
        {
            final Route added = new Route(segments, new LinkedHashMap<>());
            routes.add(added);
            return added;
        });
        route.handlers().put(method, handler);
    }

    private static CompletableFuture<ApiResponse> ok(final ObjectNode body)
    {
        return CompletableFuture.completedFuture(ApiResponse.ok(body));
    }

    private static CompletableFuture<ApiResponse> created(final ObjectNode body)
    {
        return CompletableFuture.completedFuture(ApiResponse.created(body));
    }

    private ObjectNode overview()
    {
        final ObjectNode answer = JSON.objectNode().put("name", "tidemark").put("version", version).put("kafka", kafkaAddress)
            .put("serverTimeMs", clock.getAsLong()).put("startedAtMs", startedAtMs)
            .put("topics", logs.listTopics().size()).put("groups", groupCoordinator.listGroups().size());
        answer.set("jobs", jobs.counts());
        return answer;
    }

    /**
     * @param method a request's method.
     * @param uri    its URI.
     * @return the most bytes its body may have: {@link #MAX_JAR_BYTES} for a jar upload, else {@link #MAX_JSON_BYTES}.
     */
    long bodyLimit(final HttpMethod method, final String uri)
    {
        return isUpload(method, uri) ? MAX_JAR_BYTES : MAX_JSON_BYTES;
    }

    /**
     * @param method a request's method.
     * @param uri    its URI.
     * @return whether its body is a jar, to be stored in a file as it arrives.
     */
    boolean isUpload(final HttpMethod method, final String uri)
    {
        return HttpMethod.POST.equals(method) && List.of("jars").equals(segments(uri));
    }

    /**
     * @param method a request's method.
     * @param uri    its URI.
     * @return whether it asks for the dashboard's event stream, which {@link #events()} answers.
     */
    boolean isEventStream(final HttpMethod method, final String uri)
    {
        return HttpMethod.GET.equals(method) && new QueryStringDecoder(uri).path().equals(EVENTS);
    }

    /**
     * @return the dashboard's event streams.
     */
    DashboardEvents events()
    {
        return events;
    }

    /**
     * Stops pushing the dashboard's events and ends their streams.
     */
    void close()
    {
        events.close();
    }

    /**
     * Answers a request whose body has arrived.
     *
     * @param method the method.
     * @param uri    the URI.
     * @param body   the body.
     * @return completes with the answer; fails with an {@link ApiException} for a refusal, with
     *         anything else for a failure (500).
     */
    CompletableFuture<ApiResponse> handle(final HttpMethod method, final String uri, final RequestBody body)
    {
        final String path = new QueryStringDecoder(uri).path();
        final ApiResponse file = dashboard.get(path);
        if (path.equals(METRICS) || file != null)
        {
            if (!HttpMethod.GET.equals(method))
            {
                return CompletableFuture.completedFuture(ApiResponse.methodNotAllowed(method + " is not allowed on " + path + "; use GET", "GET"));
            }
            return CompletableFuture.completedFuture(file != null ? file : ApiResponse.content(MetricsResource.CONTENT_TYPE, metrics.scrape()));
        }
        final List<String> segments = segments(uri);
        if (segments == null)
        {
            throw ApiException.notFound("no such path: " + new QueryStringDecoder(uri).path() + " (the API is under " + PREFIX + ")");
        }
        for (final Route route : routes)
        {
            if (route.matches(segments))
            {
                final Function<ApiRequest, CompletableFuture<ApiResponse>> handler = route.handlers().get(method);
                if (handler == null)
                {
                    final String allow = route.handlers().keySet().stream().map(HttpMethod::name).collect(Collectors.joining(", "));
                    return CompletableFuture.completedFuture(ApiResponse.methodNotAllowed(method + " is not allowed on " + PREFIX + "/" +
                        String.join("/", segments) + "; use " + allow, allow));
                }
                return handler.apply(new ApiRequest(method, segments, body));
            }
        }
        throw ApiException.notFound("no such path: " + PREFIX + "/" + String.join("/", segments));
    }

    /** The path's segments below {@code /api}, decoded; null if the path is not under it. */
    private static List<String> segments(final String uri)
    {
        final String path = new QueryStringDecoder(uri).path();
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/"))
        {
            return null;
        }
        final String rest = path.substring(PREFIX.length());
        return Arrays.stream(rest.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * @param pattern  the path's segments below {@code /api}, {@code *} for any one segment.
     * @param handlers what answers each method.
     */
    private record Route(List<String> pattern, Map<HttpMethod, Function<ApiRequest, CompletableFuture<ApiResponse>>> handlers)
    {
        boolean matches(final List<String> segments)
        {
            if (segments.size() != pattern.size())
            {
                return false;
            }
            for (int i = 0; i < segments.size(); i++)
            {
                if (!pattern.get(i).equals(ANY) && !pattern.get(i).equals(segments.get(i)))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
