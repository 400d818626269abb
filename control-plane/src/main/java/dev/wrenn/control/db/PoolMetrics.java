package dev.wrenn.control.db;

import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * The connection pool's state as gauges. Read from the pool on each scrape, so any number of registries can bind it
 * (Hikari's own tracker can be installed only once per pool).
 */
record PoolMetrics(String poolName, HikariPoolMXBean pool) implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "wrenn.db.pool.active", "connections in use", HikariPoolMXBean::getActiveConnections);
        gauge(registry, "wrenn.db.pool.idle", "idle connections", HikariPoolMXBean::getIdleConnections);
        gauge(registry, "wrenn.db.pool.open", "open connections", HikariPoolMXBean::getTotalConnections);
        gauge(
                registry,
                "wrenn.db.pool.pending",
                "threads waiting for a connection",
                HikariPoolMXBean::getThreadsAwaitingConnection);
    }

    private void gauge(
            MeterRegistry registry, String name, String description, ToDoubleFunction<HikariPoolMXBean> value) {
        Gauge.builder(name, pool, value)
                .description(description)
                .tag("pool", poolName)
                .register(registry);
    }
}
