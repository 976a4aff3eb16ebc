package io.tidemark.runtime.broker;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Which handler serves which API key, and for which versions. ApiVersions advertises
 * these entries; a request for a key that has no entry, or for a version outside its
 * served range, is refused the way Kafka refuses it (see {@link ConnectionHandler}).
 * Adding an API is one handler class and one line where the table is built.
 *
 * <p>An entry advertises exactly the versions it serves, with one deliberate exception, made
 * with {@link #serveAdvertisingOlder}: versions below the served ones that Kafka itself still
 * advertises but refuses when they come (Produce 0-2 from Kafka 4.0 on), because some clients
 * read the advertised minimum as a statement of what the broker can do.
 */
public final class ApiTable
{
    /**
     * One API's entry.
     *
     * @param apiKey the API.
     * @param advertisedMinVersion the oldest version advertised: {@code minVersion}, or below it
     *        for versions advertised and refused as Kafka does.
     * @param minVersion the oldest version served.
     * @param maxVersion the newest version served.
     * @param handler what serves it.
     */
    public record Entry(ApiKeys apiKey, short advertisedMinVersion, short minVersion, short maxVersion, ApiHandler handler)
    {
        /**
         * @param version an API version.
         * @return whether this entry serves it.
         */
        public boolean supports(final short version)
        {
            return version >= minVersion && version <= maxVersion;
        }
    }

    private final Entry[] entries = new Entry[Short.MAX_VALUE + 1];

    /**
     * Serves and advertises an API.
     *
     * @param apiKey the API.
     * @param minVersion the oldest version served.
     * @param maxVersion the newest version served; versions with fields the server cannot
     *        fill (topic ids, for one) are left out so clients never choose them.
     * @param handler what serves it.
     * @return this table.
     */
    public ApiTable serve(final ApiKeys apiKey, final int minVersion, final int maxVersion, final ApiHandler handler)
    {
        return add(new Entry(apiKey, (short)minVersion, (short)minVersion, (short)maxVersion, handler));
    }

    /**
     * Serves an API and advertises it from an older version than it serves, as Kafka does: the
     * versions below {@code minVersion} are refused when they come (the connection is closed).
     * Kafka 4 advertises Produce from version 0 though it refuses 0-2, because older librdkafka
     * releases (Debian's kcat among their users) turn compression off against a broker whose
     * oldest Produce version is above 0.
     *
     * @param apiKey the API.
     * @param advertisedMinVersion the oldest version advertised; at most {@code minVersion}.
     * @param minVersion the oldest version served.
     * @param maxVersion the newest version served.
     * @param handler what serves it.
     * @return this table.
     */
    public ApiTable serveAdvertisingOlder(final ApiKeys apiKey, final int advertisedMinVersion, final int minVersion, final int maxVersion,
        final ApiHandler handler)
    {
        if (advertisedMinVersion < 0 || advertisedMinVersion > minVersion)
        {
            throw new IllegalArgumentException(apiKey + ": advertised from version " + advertisedMinVersion + ", served from " + minVersion);
        }
        return add(new Entry(apiKey, (short)advertisedMinVersion, (short)minVersion, (short)maxVersion, handler));
    }

    private ApiTable add(final Entry entry)
    {
        if (entry.minVersion() < entry.apiKey().oldestVersion() || entry.maxVersion() > entry.apiKey().latestVersion() ||
            entry.minVersion() > entry.maxVersion())
        {
            throw new IllegalArgumentException(entry.apiKey() + " versions " + entry.minVersion() + ".." + entry.maxVersion() +
                " are outside what the protocol classes know: " + entry.apiKey().oldestVersion() + ".." + entry.apiKey().latestVersion());
        }
        entries[entry.apiKey().id] = entry;
        return this;
    }

    /**
     * @param apiKey an API key id as it came off the wire.
     * @return its entry, or null if it has none.
     */
    public Entry entry(final short apiKey)
    {
        return apiKey >= 0 ? entries[apiKey] : null;
    }

    /**
     * @return the served APIs with their advertised version ranges, as ApiVersions answers.
     */
    public ApiVersionCollection advertised()
    {
        final List<Entry> advertised = new ArrayList<>();
        for (final Entry entry : entries)
        {
            if (entry != null)
            {
                advertised.add(entry);
            }
        }
        final ApiVersionCollection versions = new ApiVersionCollection(advertised.size());
        for (final Entry entry : advertised)
        {
            versions.add(new ApiVersion().setApiKey(entry.apiKey().id).setMinVersion(entry.advertisedMinVersion()).setMaxVersion(entry.maxVersion()));
        }
        return versions;
    }
}
