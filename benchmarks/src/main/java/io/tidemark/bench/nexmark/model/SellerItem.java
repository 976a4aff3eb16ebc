package io.tidemark.bench.nexmark.model;

/**
 * A result of query 3: a seller from Oregon, Idaho or California and an auction of theirs in
 * category 10.
 *
 * @param name    the seller's name.
 * @param city    the seller's city.
 * @param state   the seller's state.
 * @param auction the auction's id.
 */
public record SellerItem(String name, String city, String state, long auction)
{
    /** The category query 3 suggests items from. */
    public static final long CATEGORY = 10;

    /**
     * @param person a person.
     * @return whether the person lives in one of the states query 3 looks at.
     */
    public static boolean local(final Person person)
    {
        return "OR".equals(person.state) || "ID".equals(person.state) || "CA".equals(person.state);
    }

    /**
     * @param seller  the seller.
     * @param auction the auction's id.
     * @return the result naming both.
     */
    public static SellerItem of(final Person seller, final long auction)
    {
        return new SellerItem(seller.name, seller.city, seller.state, auction);
    }
}
