package io.tidemark.log.topic;

import io.tidemark.log.errors.InvalidTopicException;

/**
 * Kafka's rules for topic names, which Tidemark keeps so that a topic can move between the two
 * systems: 1 to 249 characters from ASCII letters, digits, '.', '_' and '-', and not "." or
 * "..". Names that differ only by '.' against '_' collide, because metric names cannot tell
 * them apart.
 */
public final class TopicName
{
    /** The longest name allowed. */
    public static final int MAX_LENGTH = 249;

    private TopicName()
    {
    }

    /**
     * Checks a name.
     *
     * @param name the proposed topic name.
     * @return the name.
     * @throws InvalidTopicException saying which rule it breaks.
     */
    public static String validate(final String name)
    {
        if (name == null || name.isEmpty())
        {
            throw new InvalidTopicException("topic name is empty");
        }
        if (name.equals(".") || name.equals(".."))
        {
            throw new InvalidTopicException("topic name cannot be \".\" or \"..\"");
        }
        if (name.length() > MAX_LENGTH)
        {
            throw new InvalidTopicException("topic name is " + name.length() + " characters long; the limit is " + MAX_LENGTH);
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            final boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-';
            if (!valid)
            {
                throw new InvalidTopicException("topic name '" + name + "' has the character '" + c +
                    "' at " + i + "; only ASCII letters, digits, '.', '_' and '-' are allowed");
            }
        }
        return name;
    }

    /**
     * @param name a valid topic name.
     * @return the name with '.' replaced by '_': two topics with the same form collide.
     */
    public static String collisionForm(final String name)
    {
        return name.replace('.', '_');
    }
}
