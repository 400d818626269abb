package dev.wrenn.guest.process;

import dev.wrenn.connect.ConnectException;
import dev.wrenn.protocol.envd.process.ProcessSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Running processes by pid, plus a bounded history of finished ones so that a Connect arriving after the end still
 * receives the end event. Signals, input and resizes address running processes only: for a finished one they
 * answer not_found, which E2B's SDK reads as "already gone".
 */
final class ProcessTable {
    private final Map<Integer, ManagedProcess> running = new LinkedHashMap<>();
    private final LinkedHashMap<Integer, ManagedProcess> finished = new LinkedHashMap<>();
    private final int historySize;

    ProcessTable(int historySize) {
        this.historySize = historySize;
    }

    synchronized void add(ManagedProcess process) {
        running.put(process.pid(), process);
    }

    synchronized void markFinished(ManagedProcess process) {
        running.remove(process.pid(), process);
        finished.remove(process.pid()); // re-insert so iteration order stays the order of finishing
        finished.put(process.pid(), process);
        while (finished.size() > historySize) {
            finished.remove(finished.firstEntry().getKey());
        }
    }

    synchronized List<ManagedProcess> running() {
        return new ArrayList<>(running.values());
    }

    /** The running process {@code selector} names, else not_found. */
    synchronized ManagedProcess findRunning(ProcessSelector selector) {
        return find(running, selector).orElseThrow(() -> notFound(selector));
    }

    /** The running, else the most recently finished, process {@code selector} names, else not_found. */
    synchronized ManagedProcess findAny(ProcessSelector selector) {
        return find(running, selector)
                .or(() -> find(finished.reversed(), selector))
                .orElseThrow(() -> notFound(selector));
    }

    private static Optional<ManagedProcess> find(Map<Integer, ManagedProcess> processes, ProcessSelector selector) {
        return switch (selector.getSelectorCase()) {
            case PID -> Optional.ofNullable(processes.get(selector.getPid()));
            case TAG ->
                processes.values().stream()
                        .filter(p -> p.tag().filter(selector.getTag()::equals).isPresent())
                        .findFirst();
            case SELECTOR_NOT_SET ->
                throw ConnectException.invalidArgument("the process selector is empty: give a pid or a tag");
        };
    }

    private static ConnectException notFound(ProcessSelector selector) {
        return ConnectException.notFound(
                switch (selector.getSelectorCase()) {
                    case PID -> "process with pid " + selector.getPid() + " not found";
                    case TAG -> "process with tag '" + selector.getTag() + "' not found";
                    case SELECTOR_NOT_SET -> "process not found";
                });
    }
}
