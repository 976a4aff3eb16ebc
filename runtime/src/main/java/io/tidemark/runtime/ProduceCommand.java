package io.tidemark.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark produce}: one record per line of the input, as
 * {@code kafka-console-producer.sh} sends them, with its {@code parse.key} and
 * {@code parse.headers} line format. The count sent goes to stderr, every few seconds for a
 * long input and once at the end. A line that cannot be parsed, or a record the broker refuses,
 * stops the command with one line naming the input line; the records before it were sent (or,
 * in a transaction, none was).
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
    description = {"Send each line of stdin (or a file) as a record to a topic.",
        "Line format: [HEADERS<headers-delimiter>][KEY<key-separator>]VALUE, where HEADERS is h1:v1,h2:v2 (with --headers) and the key part is read"
            + " only with --key-separator; e.g. with --headers --key-separator : the line 'source:web,trace:7<TAB>user-1:clicked' sends key"
            + " 'user-1', value 'clicked' and headers source=web, trace=7."},
    footerHeading = "%nExample:%n", footer = {"  printf 'user-1:clicked\\nuser-2:paid\\n' | \\", "      tidemark produce --topic events --key-separator :"})
final class ProduceCommand implements Callable<Integer>
{
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(5);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClientOptions client;

    @Option(names = "--topic", paramLabel = "TOPIC", required = true, description = "The topic.")
    private String topic;

    @Option(names = "--input", paramLabel = "FILE", description = "Read the lines from this file (default: stdin).")
    private Path input;

    @Option(names = "--key-separator", paramLabel = "SEP",
        description = "Read a key before SEP on each line (\\t for a tab); a line without it is an error (default: no key).")
    private String keySeparator;

    @Option(names = "--headers", description = "Read headers at the start of each line, before the headers delimiter.")
    private boolean headers;

    @Option(names = "--headers-delimiter", paramLabel = "SEP", defaultValue = "\\t",
        description = "Ends the headers on a line (default: ${DEFAULT-VALUE}, a tab).")
    private String headersDelimiter;

    @Option(names = "--header-separator", paramLabel = "SEP", defaultValue = ",", description = "Between two headers (default: ${DEFAULT-VALUE}).")
    private String headerSeparator;

    @Option(names = "--header-key-separator", paramLabel = "SEP", defaultValue = ":",
        description = "Between a header's key and its value (default: ${DEFAULT-VALUE}).")
    private String headerKeySeparator;

    @Option(names = "--partition", paramLabel = "P", description = "Send every record to this partition (default: by key, or spread).")
    private Integer partition;

    @Option(names = "--acks", paramLabel = "ACKS", defaultValue = "all",
        description = "all (or -1): every in-sync replica has it; 1: the leader has it; 0: do not wait (default: ${DEFAULT-VALUE}).")
    private String acks;

    @Option(names = "--transactional-id", paramLabel = "ID",
        description = "Send every record in one transaction under this id, committed at the end of the input and aborted on an error.")
    private String transactionalId;

    /** The separators as the input spells them (escapes such as {@code \t} read), worked out once for every line. */
    private String keyText;
    private String delimiterText;
    private Pattern headerSplit;
    private String headerKeyText;

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        CommandErrors.check(spec, List.of("all", "-1", "0", "1").contains(acks), "--acks", acks, "use all, -1, 0 or 1");
        CommandErrors.check(spec, partition == null || partition >= 0, "--partition", partition, "0 or more");
        checkNotEmpty(keySeparator, "--key-separator");
        checkNotEmpty(headersDelimiter, "--headers-delimiter");
        checkNotEmpty(headerSeparator, "--header-separator");
        checkNotEmpty(headerKeySeparator, "--header-key-separator");
        keyText = keySeparator == null ? null : ClientOptions.unescape(keySeparator);
        delimiterText = ClientOptions.unescape(headersDelimiter);
        headerSplit = Pattern.compile(Pattern.quote(ClientOptions.unescape(headerSeparator)));
        headerKeyText = ClientOptions.unescape(headerKeySeparator);
        CommandErrors.check(spec, input == null || Files.isRegularFile(input), "--input", input, "no such file");
        final Properties properties = client.properties(spec);
        checkTopic();
        final BufferedReader in = reader();
        properties.setProperty(ProducerConfig.ACKS_CONFIG, acks);
        properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(client.requestTimeout().toMillis()));
        // Kafka requires at least the request timeout plus linger.ms; twice the request timeout allows one retry.
        properties.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(2 * client.requestTimeout().toMillis()));
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tidemark-produce");
        if (transactionalId != null)
        {
            properties.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        final PrintWriter err = spec.commandLine().getErr();
        final AtomicLong sent = new AtomicLong();
        try (in; KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer()))
        {
            // Ctrl-C: what was read is delivered (or, in a transaction, left to the coordinator's timeout) and counted.
            final Thread onInterrupt = new Thread(() ->
            {
                producer.flush();
                CommandErrors.print(err, "Sent a total of " + sent.get() + " messages before the interruption");
            }, "tidemark-produce-stop");
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            try
            {
                send(producer, in, sent);
            }
            finally
            {
                try
                {
                    Runtime.getRuntime().removeShutdownHook(onInterrupt);
                }
                catch (final IllegalStateException e)
                {
                    // Already shutting down: the hook flushes.
                }
            }
        }
        catch (final KafkaException e)
        {
            throw client.failure(e);
        }
        CommandErrors.print(err, "Sent a total of " + sent.get() + " messages");
        return ExitCode.OK;
    }

    /**
     * Sends a record per line until the input ends, a line cannot be read or the producer
     * refuses a record; then waits for every acknowledgement.
     *
     * @throws IllegalStateException naming the line that stopped it, and what was sent.
     */
    private void send(final KafkaProducer<String, String> producer, final BufferedReader in, final AtomicLong sent) throws IOException
    {
        final PrintWriter err = spec.commandLine().getErr();
        final AtomicReference<String> refused = new AtomicReference<>();
        if (transactionalId != null)
        {
            producer.initTransactions();
            producer.beginTransaction();
        }
        String failure = null;
        long lineNumber = 0;
        long nextProgress = System.nanoTime() + PROGRESS_NANOS;
        String line;
        while (refused.get() == null && failure == null && (line = in.readLine()) != null)
        {
            lineNumber++;
            final long number = lineNumber;
            try
            {
                producer.send(record(line), (metadata, e) ->
                {
                    if (e == null)
                    {
                        sent.incrementAndGet();
                    }
                    else
                    {
                        refused.compareAndSet(null, "line " + number + ": " + client.failure(e).getMessage());
                    }
                });
            }
            catch (final IllegalArgumentException | KafkaException e)
            {
                failure = "line " + number + ": " + client.failure(e).getMessage();
            }
            if (System.nanoTime() - nextProgress > 0)
            {
                nextProgress = System.nanoTime() + PROGRESS_NANOS;
                err.println(sent.get() + " messages sent so far");
                err.flush();
            }
        }
        producer.flush();
        if (failure == null)
        {
            failure = refused.get();
        }
        if (failure != null)
        {
            if (transactionalId != null)
            {
                producer.abortTransaction();
                throw new IllegalStateException(failure + "; the transaction was aborted: no message of this input was written");
            }
            throw new IllegalStateException(failure + "; " + sent.get() + " messages were sent");
        }
        if (transactionalId != null)
        {
            producer.commitTransaction();
        }
    }

    private void checkNotEmpty(final String separator, final String option)
    {
        CommandErrors.check(spec, separator == null || !separator.isEmpty(), option, separator, "at least one character");
    }

    private BufferedReader reader() throws IOException
    {
        return input == null ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
            : Files.newBufferedReader(input, StandardCharsets.UTF_8);
    }

    /**
     * Fails early and clearly where the producer would wait out its timeout: for a topic that
     * does not exist on a broker that does not create topics, or a partition it does not have.
     */
    private void checkTopic() throws InterruptedException
    {
        try (Admin admin = client.admin(spec))
        {
            final TopicDescription description;
            try
            {
                description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            }
            catch (final ExecutionException e)
            {
                if (e.getCause() instanceof UnknownTopicOrPartitionException && !createsTopics(admin))
                {
                    throw new IllegalStateException("no such topic: " + topic + " (and the broker does not create topics automatically)", e);
                }
                if (e.getCause() instanceof UnknownTopicOrPartitionException)
                {
                    return;
                }
                throw client.failure(e);
            }
            if (partition != null && partition >= description.partitions().size())
            {
                throw new IllegalStateException("topic " + topic + " has " + description.partitions().size() + " partitions: there is no partition " + partition);
            }
        }
    }

    private boolean createsTopics(final Admin admin) throws InterruptedException
    {
        try
        {
            final ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER,
                admin.describeCluster().nodes().get().iterator().next().idString());
            final Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
            final ConfigEntry entry = config.get("auto.create.topics.enable");
            return entry == null || Boolean.parseBoolean(entry.value());
        }
        catch (final ExecutionException e)
        {
            throw client.failure(e);
        }
    }

    private ProducerRecord<String, String> record(final String line)
    {
        String rest = line;
        final List<Header> parsed = new ArrayList<>();
        if (headers)
        {
            final int end = rest.indexOf(delimiterText);
            if (end < 0)
            {
                throw new IllegalArgumentException("no headers delimiter '" + headersDelimiter + "'");
            }
            final String text = rest.substring(0, end);
            rest = rest.substring(end + delimiterText.length());
            if (!text.isEmpty())
            {
                for (final String header : headerSplit.split(text, -1))
                {
                    final int split = header.indexOf(headerKeyText);
                    if (split <= 0)
                    {
                        throw new IllegalArgumentException("header '" + header + "' is not KEY" + headerKeySeparator + "VALUE");
                    }
                    parsed.add(new RecordHeader(header.substring(0, split),
                        header.substring(split + headerKeyText.length()).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        String key = null;
        if (keySeparator != null)
        {
            final int split = rest.indexOf(keyText);
            if (split < 0)
            {
                throw new IllegalArgumentException("no key separator '" + keySeparator + "'");
            }
            key = rest.substring(0, split);
            rest = rest.substring(split + keyText.length());
        }
        return new ProducerRecord<>(topic, partition, key, rest, parsed);
    }
}
