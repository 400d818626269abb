package dev.wrenn.control.testing;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The PostgreSQL cluster shared by every test in the run: started on first use, stopped and deleted when the run
 * ends (JUnit closes it with the root context's store). A failed start is remembered so that every PostgreSQL test
 * fails with the same reason instead of trying again.
 */
final class SharedPostgres {
    private SharedPostgres() {}

    static PostgresCluster cluster(ExtensionContext context) {
        Holder holder = context.getRoot()
                .getStore(BothDatabases.NAMESPACE)
                .computeIfAbsent(Holder.class, k -> Holder.start(), Holder.class);
        if (holder.failure() != null) {
            throw new IllegalStateException(holder.failure().getMessage(), holder.failure());
        }
        return holder.cluster();
    }

    private record Holder(PostgresCluster cluster, RuntimeException failure) implements AutoCloseable {
        static Holder start() {
            try {
                return new Holder(PostgresCluster.start(), null);
            } catch (RuntimeException e) {
                return new Holder(null, e);
            }
        }

        @Override
        public void close() {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
