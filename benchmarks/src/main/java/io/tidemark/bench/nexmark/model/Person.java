package io.tidemark.bench.nexmark.model;

import java.util.Objects;

/** A person who sells or bids, as Nexmark defines one; a plain object Flink takes as a POJO. */
public final class Person
{
    /** The person's id, from 1000 up. */
    public long id;
    /** First and last name. */
    public String name;
    /** An e-mail address. */
    public String emailAddress;
    /** Four groups of four digits. */
    public String creditCard;
    /** A US city. */
    public String city;
    /** A US state's two letters. */
    public String state;
    /** When the person registered, in milliseconds since the epoch: its event time. */
    public long dateTime;
    /** Padding that brings the person to its average size. */
    public String extra;

    /** An empty person, for serializers. */
    public Person()
    {
    }

    /**
     * @param id           the id.
     * @param name         the name.
     * @param emailAddress the e-mail address.
     * @param creditCard   the credit card number.
     * @param city         the city.
     * @param state        the state.
     * @param dateTime     the event time, in milliseconds since the epoch.
     * @param extra        padding.
     */
    public Person(final long id, final String name, final String emailAddress, final String creditCard, final String city, final String state,
        final long dateTime, final String extra)
    {
        this.id = id;
        this.name = name;
        this.emailAddress = emailAddress;
        this.creditCard = creditCard;
        this.city = city;
        this.state = state;
        this.dateTime = dateTime;
        this.extra = extra;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Person person && id == person.id && dateTime == person.dateTime && Objects.equals(name, person.name)
            && Objects.equals(emailAddress, person.emailAddress) && Objects.equals(creditCard, person.creditCard) && Objects.equals(city, person.city)
            && Objects.equals(state, person.state) && Objects.equals(extra, person.extra);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(id, name, emailAddress, creditCard, city, state, dateTime, extra);
    }

    @Override
    public String toString()
    {
        return "Person{id=" + id + ", name=" + name + ", emailAddress=" + emailAddress + ", creditCard=" + creditCard + ", city=" + city + ", state=" + state
            + ", dateTime=" + dateTime + ", extra=" + extra + "}";
    }
}
