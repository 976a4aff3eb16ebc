package io.tidemark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PluralTest
{
    @Test
    void oneIsSingularAndEveryOtherCountPlural()
    {
        assertEquals("1 window", Plural.of(1, "window"));
        assertEquals("2 windows", Plural.of(2, "window"));
        assertEquals("0 late events", Plural.of(0, "late event"));
        assertEquals("-1 views", Plural.of(-1, "view"));
        assertEquals("1,882 views", Plural.of(1_882, "view"));
        assertEquals("1 strategy", Plural.of(1, "strategy", "strategies"));
        assertEquals("13 strategies", Plural.of(13, "strategy", "strategies"));
    }
}
