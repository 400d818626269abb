package dev.wrenn.guest.logging;

import java.io.PrintStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/** One {@link AgentLogger} per name, all writing to one stream at one threshold. */
final class AgentLoggers implements ILoggerFactory {
    private final ConcurrentMap<String, Logger> byName = new ConcurrentHashMap<>();
    private final Level threshold;
    private final PrintStream out;

    AgentLoggers(Level threshold, PrintStream out) {
        this.threshold = threshold;
        this.out = out;
    }

    @Override
    public Logger getLogger(String name) {
        return byName.computeIfAbsent(name, n -> new AgentLogger(n, threshold, out));
    }
}
