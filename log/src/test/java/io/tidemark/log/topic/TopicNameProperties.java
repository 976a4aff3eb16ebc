package io.tidemark.log.topic;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

import io.tidemark.log.errors.InvalidTopicException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TopicNameProperties
{
    @Property
    void namesOfLegalCharactersAreAccepted(
        @ForAll @StringLength(min = 3, max = 249) @CharRange(from = 'a', to = 'z') @CharRange(from = 'A', to = 'Z')
        @CharRange(from = '0', to = '9') @Chars({'.', '_', '-'}) final String name)
    {
        assertEquals(name, TopicName.validate(name));
    }

    @Property
    void anyOtherCharacterIsRefused(@ForAll @StringLength(min = 1, max = 40) @CharRange(from = 'a', to = 'z') final String prefix,
        @ForAll final char c)
    {
        final boolean legal = Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '_' || c == '-';
        final String name = prefix + c;
        if (legal)
        {
            assertEquals(name, TopicName.validate(name));
        }
        else
        {
            assertThrows(InvalidTopicException.class, () -> TopicName.validate(name));
        }
    }
}
