package io.tidemark.bench.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.UrlDirectories;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Query 22's split of a URL, against {@link String#split} keeping empty parts, for any text. */
class NexmarkUrlDirectoriesTest
{
    @Property(tries = 5_000)
    void theDirectoriesAreTheThirdToFifthPartsOfTheUrl(@ForAll("urls") final String url)
    {
        final String[] parts = url.split("/", -1);
        final UrlDirectories directories = UrlDirectories.of(new Bid(7, 1001, 250, "Google", url, 42, ""));
        assertEquals(new UrlDirectories(7, 1001, 250, "Google", part(parts, 3), part(parts, 4), part(parts, 5)), directories, url);
    }

    @Example
    void aGeneratorUrlSplitsIntoItsDirectories()
    {
        final UrlDirectories directories = UrlDirectories.of(new Bid(1, 2, 3, "Apple", "https://www.nexmark.com/abc/de/item.htm?query=1", 4, ""));
        assertEquals("abc", directories.dir1());
        assertEquals("de", directories.dir2());
        assertEquals("item.htm?query=1", directories.dir3());
    }

    @Provide
    Arbitrary<String> urls()
    {
        // Few letters and many slashes, so that empty parts, trailing slashes and short URLs are common.
        return Arbitraries.strings().withChars("/ab:.").ofMaxLength(24);
    }

    private static String part(final String[] parts, final int index)
    {
        return parts.length > index ? parts[index] : null;
    }
}
