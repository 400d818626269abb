package dev.wrenn.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Pages of a listing, fetched one call at a time as E2B's SDKs do: {@link #hasNext()} and {@link #nextItems()}, or
 * {@link #all()} for every page.
 *
 * @param <T> the item type
 */
public final class Paginator<T> {
    /** One page and the token of the next one (null at the end). */
    record Page<T>(List<T> items, String nextToken) {}

    private final Function<String, Page<T>> fetch;
    private String nextToken;
    private boolean hasNext = true;

    Paginator(Function<String, Page<T>> fetch) {
        this.fetch = fetch;
    }

    /** Whether another page may be fetched. */
    public boolean hasNext() {
        return hasNext;
    }

    /** The token the next page is fetched with, or null. */
    public String nextToken() {
        return nextToken;
    }

    /** Fetches the next page; an empty list once there is none. */
    public List<T> nextItems() {
        if (!hasNext) {
            return List.of();
        }
        Page<T> page = fetch.apply(nextToken);
        nextToken = page.nextToken();
        hasNext = nextToken != null && !nextToken.isEmpty();
        return page.items();
    }

    /** Every remaining page's items. */
    public List<T> all() {
        List<T> out = new ArrayList<>();
        while (hasNext()) {
            out.addAll(nextItems());
        }
        return out;
    }
}
