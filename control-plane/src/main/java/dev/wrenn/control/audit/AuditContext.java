package dev.wrenn.control.audit;

/**
 * The actor of the request being served, bound by the authenticator for the length of a handler, so that services
 * deep below a route record who acted without every method taking the caller along.
 */
public final class AuditContext {
    private static final ScopedValue<Actor> ACTOR = ScopedValue.newInstance();

    private AuditContext() {}

    /** The action that runs {@link #as} an actor. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action} with {@code actor} as the current actor. */
    public static void as(Actor actor, Action action) throws Exception {
        ScopedValue.where(ACTOR, actor).call(() -> {
            action.run();
            return null;
        });
    }

    /** The current request's actor; anonymous outside a request (the reconciler, a timer). */
    public static Actor current() {
        return ACTOR.isBound() ? ACTOR.get() : Actor.anonymous(null);
    }
}
