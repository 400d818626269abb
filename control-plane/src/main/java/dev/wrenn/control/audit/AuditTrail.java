package dev.wrenn.control.audit;

import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * Where services record what they did. {@link #entry} writes inside the transaction of the change itself (a
 * repository runs it on its handle), so a change and its audit line commit or roll back together; {@link #record}
 * writes on its own, for actions that change nothing else (a login) or whose change is not one transaction.
 * {@link #NONE} records nothing (services built for tests of other features, the timeout scheduler).
 */
public interface AuditTrail {
    AuditTrail NONE = new AuditTrail() {
        @Override
        public Consumer<Handle> entry(String teamId, String action, String target, Map<String, String> details) {
            return h -> {};
        }

        @Override
        public void record(String teamId, Actor actor, String action, String target, Map<String, String> details) {}
    };

    /** A write of one line by the current actor ({@link AuditContext}), for the change's own transaction. */
    Consumer<Handle> entry(String teamId, String action, String target, Map<String, String> details);

    /** Writes one line now, in a transaction of its own. */
    void record(String teamId, Actor actor, String action, String target, Map<String, String> details);

    /** Writes one line by the current actor now. */
    default void record(String teamId, String action, String target) {
        record(teamId, AuditContext.current(), action, target, Map.of());
    }
}
