package dev.wrenn.guest.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The agent's SLF4J binding, found through the service loader: lines on standard output, level from
 * {@code WRENN_LOG_LEVEL} (default INFO). A logging framework was a quarter of the classes the agent loaded at start-up
 * (logback and the java.time formatting under it: ~340 of ~2,500), resident memory in every sandbox, and its first
 * line after a snapshot restore cost a clone ~100 ms of code for TCG to translate; the agent logs a few lines a day.
 */
public final class AgentLogProvider implements SLF4JServiceProvider {
    private ILoggerFactory loggers;
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public void initialize() {
        loggers = new AgentLoggers(LogLevel.fromEnvironment(System.getenv("WRENN_LOG_LEVEL")), System.out);
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }
}
