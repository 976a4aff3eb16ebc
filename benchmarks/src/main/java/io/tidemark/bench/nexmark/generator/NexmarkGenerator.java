package io.tidemark.bench.nexmark.generator;

import io.tidemark.bench.nexmark.model.Auction;
import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.Person;

/**
 * Nexmark's event generator, written from the benchmark's rules. Every event is a function of
 * the configuration and its event number alone: the number says whether it is a person, an
 * auction or a bid (in each round of 50 numbers, one person, then three auctions, then 46
 * bids), its ids (a person's or an auction's id is how many of its kind came before, from
 * 1000), its event time ({@link NexmarkConfig#timestampOf}), and seeds its random draws. So
 * the events at any set of positions can be made by anyone in any order, which is what lets
 * parallel source subtasks each make their own positions, and a test or the Flink side make
 * exactly the same events.
 *
 * <p>References point back: an auction's seller and a bid's bidder and auction are ids already
 * made (or at most ten ahead, as the rules allow). A bid is for a hot auction (the first of
 * the last hundred auctions) with probability 1/2, else for one of the last 100 auctions in
 * flight; by a hot bidder (the second of the last hundred persons) with probability 3/4, else
 * by one of the last 1,000 active persons; an auction is by a hot seller (the first of the last
 * hundred) with probability 3/4.
 *
 * <p>Not thread-safe: one generator per reader. It allocates the event and its strings and
 * nothing else: the draws come from one reusable {@link EventRandom}, random text is cut from
 * the tables of {@link RandomText} (filled once per generator from the seed), prices come
 * from the tables of {@link Prices}, e-mails and credit cards are written into one reusable
 * buffer, and the names, places, channels and URLs come from tables built once.
 */
public final class NexmarkGenerator
{
    /** The first person's id. */
    public static final long FIRST_PERSON_ID = 1000;
    /** The first auction's id. */
    public static final long FIRST_AUCTION_ID = 1000;
    /** The first category. */
    public static final long FIRST_CATEGORY_ID = 10;

    private static final int SHUFFLE = 953;
    private static final int HOT_AUCTION_RATIO = 2;
    private static final int HOT_SELLERS_RATIO = 4;
    private static final int HOT_BIDDERS_RATIO = 4;
    private static final int HOT_BATCH = 100;
    private static final int NUM_ACTIVE_PEOPLE = 1000;
    private static final int NUM_IN_FLIGHT_AUCTIONS = 100;
    private static final int ID_LEAD = 10;
    private static final int NUM_CATEGORIES = 5;
    private static final int AVG_PERSON_BYTES = 200;
    private static final int AVG_AUCTION_BYTES = 500;
    private static final int AVG_BID_BYTES = 100;
    private static final int HOT_CHANNELS_RATIO = 2;
    private static final int CHANNELS = 10_000;
    private static final long EVENTS_FOR_IN_FLIGHT_AUCTIONS =
        (long)NUM_IN_FLIGHT_AUCTIONS * NexmarkConfig.TOTAL_PROPORTION / NexmarkConfig.AUCTION_PROPORTION;

    private static final String[] FIRST_NAMES = {"Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"};
    private static final String[] LAST_NAMES = {"Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"};
    private static final String[] NAMES = names();
    private static final String[] STATES = {"AZ", "CA", "ID", "OR", "WA", "WY"};
    private static final String[] CITIES = {"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"};
    private static final String[] HOT_CHANNELS = {"Google", "Facebook", "Baidu", "Apple"};
    private static final String[] HOT_URLS = new String[HOT_CHANNELS.length];
    private static final String[] CHANNEL_NAMES = new String[CHANNELS];
    private static final String[] CHANNEL_URLS = new String[CHANNELS];

    static
    {
        // The channels' URLs are random but the same on every run: drawn once from a fixed seed.
        final NexmarkGenerator tables = new NexmarkGenerator(NexmarkConfig.standard(1));
        tables.random.reset(-1, -1);
        for (int i = 0; i < HOT_URLS.length; i++)
        {
            HOT_URLS[i] = tables.baseUrl();
        }
        for (int c = 0; c < CHANNELS; c++)
        {
            CHANNEL_NAMES[c] = "channel-" + c;
            final String url = tables.baseUrl();
            CHANNEL_URLS[c] = tables.random.nextInt(10) > 0 ? url + "&channel_id=" + Math.abs(Integer.reverse(c)) : url;
        }
    }

    private final NexmarkConfig config;
    private final EventRandom random = new EventRandom();
    private final RandomText text;
    private final byte[] buffer = new byte[64];
    private int length;

    /**
     * Fills the tables the stream's random text is cut from (twice 66 KiB, from the seed).
     *
     * @param config the stream to generate.
     */
    public NexmarkGenerator(final NexmarkConfig config)
    {
        this.config = config;
        this.text = new RandomText(config.seed(), random);
    }

    /**
     * The number of the event emitted at a position: positions are taken in groups of
     * {@code outOfOrderGroupSize}, and position {@code base + j} of a group emits event
     * {@code base + (j * 953) % groupSize}, the benchmark's shuffle. A last group cut short by
     * the end of the stream is emitted in order, so every event number below the count is
     * emitted exactly once.
     *
     * @param config   the stream.
     * @param position a position in the emitted stream, {@code 0 <= position < events}.
     * @return the number of the event emitted there.
     */
    public static long eventNumberAt(final NexmarkConfig config, final long position)
    {
        final long group = config.outOfOrderGroupSize();
        if (group == 1)
        {
            // In order (the standard stream): no division per event.
            return position;
        }
        final long base = position / group * group;
        if (base + group > config.events())
        {
            return position;
        }
        return base + (position - base) * SHUFFLE % group;
    }

    /**
     * @param position a position in the emitted stream.
     * @return the event emitted there.
     */
    public Event eventAt(final long position)
    {
        return event(eventNumberAt(config, position));
    }

    /**
     * @param eventNumber an event number.
     * @return that event.
     */
    public Event event(final long eventNumber)
    {
        random.reset(config.seed(), eventNumber);
        final long timestamp = config.timestampOf(eventNumber);
        final long remainder = eventNumber % NexmarkConfig.TOTAL_PROPORTION;
        if (remainder < NexmarkConfig.PERSON_PROPORTION)
        {
            return new Event(person(eventNumber, timestamp));
        }
        if (remainder < NexmarkConfig.PERSON_PROPORTION + NexmarkConfig.AUCTION_PROPORTION)
        {
            return new Event(auction(eventNumber, timestamp));
        }
        return new Event(bid(eventNumber, timestamp));
    }

    private Person person(final long eventNumber, final long timestamp)
    {
        final long id = lastPerson(eventNumber) + FIRST_PERSON_ID;
        final String name = NAMES[random.nextInt(NAMES.length)];
        length = text.appendWord(random, 7, buffer, 0);
        put('@');
        length = text.appendWord(random, 5, buffer, length);
        put('.');
        put('c');
        put('o');
        put('m');
        final String email = bufferText();
        length = 0;
        for (int group = 0; group < 4; group++)
        {
            if (group > 0)
            {
                put(' ');
            }
            final int digits = random.nextInt(10_000);
            put('0' + digits / 1000);
            put('0' + digits / 100 % 10);
            put('0' + digits / 10 % 10);
            put('0' + digits % 10);
        }
        final String creditCard = bufferText();
        final String city = CITIES[random.nextInt(CITIES.length)];
        final String state = STATES[random.nextInt(STATES.length)];
        final int size = 8 + name.length() + email.length() + creditCard.length() + city.length() + state.length();
        return new Person(id, name, email, creditCard, city, state, timestamp, extra(size, AVG_PERSON_BYTES));
    }

    private Auction auction(final long eventNumber, final long timestamp)
    {
        final long id = lastAuction(eventNumber) + FIRST_AUCTION_ID;
        final long seller = (random.nextInt(HOT_SELLERS_RATIO) > 0 ? lastPerson(eventNumber) / HOT_BATCH * HOT_BATCH : somePerson(eventNumber))
            + FIRST_PERSON_ID;
        final long category = FIRST_CATEGORY_ID + random.nextInt(NUM_CATEGORIES);
        final long initialBid = Prices.cents(random);
        // Auctions last twice, on average, the time it takes NUM_IN_FLIGHT_AUCTIONS more to open.
        final long horizon = config.timestampOf(eventNumber + EVENTS_FOR_IN_FLIGHT_AUCTIONS) - timestamp;
        final long expires = timestamp + 1 + random.nextLong(Math.max(horizon * 2, 1));
        final String itemName = text.word(random, 20);
        final String description = text.word(random, 100);
        final long reserve = initialBid + Prices.cents(random);
        final int size = 8 + itemName.length() + description.length() + 8 + 8 + 8 + 8 + 8;
        return new Auction(id, itemName, description, initialBid, reserve, timestamp, expires, seller, category, extra(size, AVG_AUCTION_BYTES));
    }

    private Bid bid(final long eventNumber, final long timestamp)
    {
        final long auction;
        if (random.nextInt(HOT_AUCTION_RATIO) > 0)
        {
            auction = lastAuction(eventNumber) / HOT_BATCH * HOT_BATCH;
        }
        else
        {
            final long last = lastAuction(eventNumber);
            final long first = Math.max(last - NUM_IN_FLIGHT_AUCTIONS, 0);
            auction = first + random.nextLong(last - first + 1 + ID_LEAD);
        }
        // The second of a hundred persons, so that hot bidders and hot sellers differ.
        final long bidder = random.nextInt(HOT_BIDDERS_RATIO) > 0 ? lastPerson(eventNumber) / HOT_BATCH * HOT_BATCH + 1 : somePerson(eventNumber);
        final long price = Prices.cents(random);
        final String channel;
        final String url;
        if (random.nextInt(HOT_CHANNELS_RATIO) > 0)
        {
            final int hot = random.nextInt(HOT_CHANNELS.length);
            channel = HOT_CHANNELS[hot];
            url = HOT_URLS[hot];
        }
        else
        {
            final int number = random.nextInt(CHANNELS);
            channel = CHANNEL_NAMES[number];
            url = CHANNEL_URLS[number];
        }
        return new Bid(auction + FIRST_AUCTION_ID, bidder + FIRST_PERSON_ID, price, channel, url, timestamp, extra(8 + 8 + 8 + 8, AVG_BID_BYTES));
    }

    /** @return the id (from 0) of the last person made at or before this event number. */
    private static long lastPerson(final long eventNumber)
    {
        final long round = eventNumber / NexmarkConfig.TOTAL_PROPORTION;
        final long offset = Math.min(eventNumber % NexmarkConfig.TOTAL_PROPORTION, NexmarkConfig.PERSON_PROPORTION - 1);
        return round * NexmarkConfig.PERSON_PROPORTION + offset;
    }

    /** @return the id (from 0) of the last auction made at or before this event number; -1 before the first. */
    private static long lastAuction(final long eventNumber)
    {
        long round = eventNumber / NexmarkConfig.TOTAL_PROPORTION;
        long offset = eventNumber % NexmarkConfig.TOTAL_PROPORTION;
        if (offset < NexmarkConfig.PERSON_PROPORTION)
        {
            round--;
            offset = NexmarkConfig.AUCTION_PROPORTION - 1;
        }
        else if (offset >= NexmarkConfig.PERSON_PROPORTION + NexmarkConfig.AUCTION_PROPORTION)
        {
            offset = NexmarkConfig.AUCTION_PROPORTION - 1;
        }
        else
        {
            offset -= NexmarkConfig.PERSON_PROPORTION;
        }
        return round * NexmarkConfig.AUCTION_PROPORTION + offset;
    }

    /** @return one of the active persons (from 0), or one of the few about to be made. */
    private long somePerson(final long eventNumber)
    {
        final long people = lastPerson(eventNumber) + 1;
        final long active = Math.min(people, NUM_ACTIVE_PEOPLE);
        return people - active + random.nextLong(active + ID_LEAD);
    }

    /**
     * Pads an event whose fields take {@code size} bytes to about {@code average}: a string of
     * random letters, its length uniform within 20% of the difference (so on average the
     * difference, less half a byte).
     */
    private String extra(final int size, final int average)
    {
        if (size > average)
        {
            return "";
        }
        final int desired = average - size;
        final int delta = paddingSpread(desired);
        final int extraLength = desired - delta + (delta == 0 ? 0 : random.nextInt(2 * delta));
        return text.letters(random, extraLength);
    }

    /**
     * @param desired the padding an event needs on average; not negative.
     * @return how far its length strays either way: 20% of it, rounded half up
     * ({@code Math.round(desired * 0.2)}), in integers: a fifth of an integer is never half way,
     * so rounding is adding 2 before dividing by 5, cheaper than rounding a double.
     */
    static int paddingSpread(final int desired)
    {
        return (desired + 2) / 5;
    }

    /** @return a page on the auction site, three directories of 3 or 4 random letters deep. */
    private String baseUrl()
    {
        final StringBuilder url = new StringBuilder("https://www.nexmark.com/");
        for (int i = 0; i < 3; i++)
        {
            url.append(text.letters(random, 3 + random.nextInt(2))).append('/');
        }
        return url.append("item.htm?query=1").toString();
    }

    private void put(final int c)
    {
        buffer[length++] = (byte)c;
    }

    private String bufferText()
    {
        return RandomText.latin1(buffer, 0, length);
    }

    private static String[] names()
    {
        final String[] names = new String[FIRST_NAMES.length * LAST_NAMES.length];
        for (int i = 0; i < FIRST_NAMES.length; i++)
        {
            for (int j = 0; j < LAST_NAMES.length; j++)
            {
                names[i * LAST_NAMES.length + j] = FIRST_NAMES[i] + " " + LAST_NAMES[j];
            }
        }
        return names;
    }
}
