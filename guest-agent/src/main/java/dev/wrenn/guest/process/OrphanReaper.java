package dev.wrenn.guest.process;

import dev.wrenn.guest.process.sys.ErrnoException;
import dev.wrenn.guest.process.sys.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the guest free of zombies. The agent becomes a child subreaper, so processes orphaned by the commands it
 * ran (a shell's background jobs) become its children; when they exit nobody waits for them. This reaper scans the
 * agent's zombie children and reaps those the process service does not own. A zombie must be seen on two scans in a
 * row: children the JDK started itself are reaped by the JDK within moments, and must not lose their status to us.
 */
public final class OrphanReaper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OrphanReaper.class);

    private final SpawnedChildren children;
    private final Duration interval;
    private final long selfPid = ProcessHandle.current().pid();
    private final Thread thread;
    private Set<Integer> seenLastScan = Set.of();

    private OrphanReaper(SpawnedChildren children, Duration interval) {
        this.children = children;
        this.interval = interval;
        this.thread = Thread.ofPlatform().daemon().name("orphan-reaper").unstarted(this::loop);
    }

    /** Makes this JVM a child subreaper and starts reaping every second. */
    public static OrphanReaper start(ProcessService service) {
        return start(service, Duration.ofSeconds(1));
    }

    public static OrphanReaper start(ProcessService service, Duration interval) {
        try {
            Posix.becomeChildSubreaper();
        } catch (ErrnoException e) {
            log.warn("cannot become a child subreaper; orphans go to PID 1 instead: {}", e.getMessage());
        }
        OrphanReaper reaper = new OrphanReaper(service.children(), interval);
        reaper.thread.start();
        return reaper;
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval);
                scanOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("scanning for orphaned zombies failed", e);
            }
        }
    }

    /** Reaps zombies seen on the previous scan too; returns how many it reaped. */
    int scanOnce() {
        Set<Integer> zombies = zombieChildren();
        Set<Integer> stillThere = new HashSet<>();
        int reaped = 0;
        for (int pid : zombies) {
            if (!seenLastScan.contains(pid)) {
                stillThere.add(pid);
            } else if (children.reapIfOrphan(pid)) {
                reaped++;
            } else {
                stillThere.add(pid);
            }
        }
        seenLastScan = stillThere;
        return reaped;
    }

    private Set<Integer> zombieChildren() {
        Set<Integer> zombies = new HashSet<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .forEach(name -> zombieChild(name).ifPresent(zombies::add));
        } catch (IOException e) {
            log.warn("listing /proc failed: {}", e.getMessage());
        }
        return zombies;
    }

    /** The pid if /proc/{pid}/stat says it is a zombie whose parent is this JVM. */
    private Optional<Integer> zombieChild(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
            List<String> fields =
                    List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" ", 3));
            boolean zombie = fields.get(0).equals("Z") && Long.parseLong(fields.get(1)) == selfPid;
            return zombie ? Optional.of(Integer.parseInt(pid)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // the process vanished while we looked
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
