package dev.wrenn.host.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.RetryLaterException;
import dev.wrenn.host.net.Ipv4;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The admission of process starts into a guest: bounded in flight, bounded waiting, deadlines that scale. */
class StartGatesTest {
    private static final Ipv4 GUEST = Ipv4.parse("10.11.0.2");
    private static final Duration BASE = Duration.ofSeconds(10);

    @Test
    void theAllowanceIsTheBaseScaledByTheHostsLoadPerCoreAndNeverBelowIt() {
        AtomicReference<Double> load = new AtomicReference<>(0.3);
        StartGates gates = new StartGates(StartGates.Config.DEFAULT, new GuestPace(load::get), BASE);
        assertThat(gates.forAddress(GUEST).allowance()).isEqualTo(BASE);

        load.set(11.0); // a load of 22 on 2 cores: where a fixed 10 s failed healthy guests
        StartGates loaded = new StartGates(StartGates.Config.DEFAULT, new GuestPace(load::get), BASE);
        assertThat(loaded.forAddress(GUEST).allowance()).isEqualTo(Duration.ofSeconds(110));

        load.set(1e9); // capped: a hostile guest cannot hold a call forever
        StartGates absurd = new StartGates(StartGates.Config.DEFAULT, new GuestPace(load::get), BASE);
        assertThat(absurd.forAddress(GUEST).allowance()).isEqualTo(StartGates.Config.DEFAULT.maxAllowance());

        load.set(Double.NaN);
        StartGates unknown = new StartGates(StartGates.Config.DEFAULT, new GuestPace(load::get), BASE);
        assertThat(unknown.forAddress(GUEST).allowance()).isEqualTo(BASE);
    }

    @Test
    void theAllowanceFollowsAGuestWhoseRecentStartsWereSlow() {
        StartGates gates = new StartGates(StartGates.Config.DEFAULT, GuestPace.fixed(), Duration.ofMillis(100));
        StartGates.Gate gate = gates.forAddress(GUEST);
        gate.enter("sb-1"); // its permit is returned by finished(): a start the guest answered in 3 s
        gate.finished(Duration.ofSeconds(3).toNanos(), true);
        assertThat(gate.freeSlots()).isEqualTo(StartGates.Config.DEFAULT.inFlightPerGuest());
        assertThat(gate.allowance()).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aWaitersDeadlineGrowsWithTheRoundsOfStartsAheadOfIt() {
        StartGates gates = new StartGates(StartGates.Config.DEFAULT, GuestPace.fixed(), BASE);
        StartGates.Gate gate = gates.forAddress(GUEST);
        assertThat(gate.waitFor(1, BASE)).isEqualTo(Duration.ofSeconds(20));
        assertThat(gate.waitFor(4, BASE)).isEqualTo(Duration.ofSeconds(20));
        assertThat(gate.waitFor(5, BASE)).isEqualTo(Duration.ofSeconds(30));
        assertThat(gate.waitFor(250, BASE)).isEqualTo(Duration.ofSeconds(640));
        assertThat(gate.waitFor(1000, BASE)).isEqualTo(StartGates.Config.DEFAULT.maxWait());
    }

    @Test
    void atMostInFlightStartsProceedAndTheRestWaitTheirTurnInOrder() throws Exception {
        StartGates.Config config = new StartGates.Config(2, 100, 100, Duration.ofMinutes(1), Duration.ofMinutes(1));
        StartGates gates = new StartGates(config, GuestPace.fixed(), BASE);
        StartGates.Gate gate = gates.forAddress(GUEST);
        StartGates.Admission first = gate.enter("sb-1");
        StartGates.Admission second = gate.enter("sb-1");
        List<Integer> order = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 3; i++) {
                int n = i;
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gate.waitingNow() == n);
                threads.submit(() -> {
                    try (StartGates.Admission turn = gate.enter("sb-1")) {
                        synchronized (order) {
                            order.add(n);
                        }
                    }
                    done.countDown();
                    return null;
                });
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gate.waitingNow() == 3);
            assertThat(gates.waiting()).isEqualTo(3);
            assertThat(order).isEmpty();
            // One turn freed while `second` still holds the other: the waiters pass through that one turn strictly
            // one after another, so the order they record is the order they were admitted in (with two turns free,
            // two admitted waiters would race to record).
            first.close();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            second.close();
            second.close(); // closing twice releases once
        }
        assertThat(order).containsExactly(0, 1, 2);
        assertThat(gate.freeSlots()).isEqualTo(2);
        assertThat(gates.waiting()).isZero();
    }

    @Test
    void aFullQueueOfOneGuestIsRefusedAtOnceAsRetryableResourceExhausted() throws Exception {
        StartGates.Config config = new StartGates.Config(1, 2, 100, Duration.ofMinutes(1), Duration.ofMinutes(1));
        StartGates gates = new StartGates(config, GuestPace.fixed(), BASE);
        StartGates.Gate gate = gates.forAddress(GUEST);
        StartGates.Admission holder = gate.enter("sb-1");
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> waiters = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                waiters.add(threads.submit(() -> {
                    gate.enter("sb-1").close();
                    return null;
                }));
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gate.waitingNow() == 2);
            assertThatThrownBy(() -> gate.enter("sb-1"))
                    .isInstanceOfSatisfying(RetryLaterException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
                        assertThat(e.retryAfterSeconds()).isBetween(1L, 60L);
                    })
                    .hasMessageContaining("sandbox sb-1 already has 2 commands waiting to start");
            holder.close();
            for (Future<?> waiter : waiters) {
                waiter.get(10, TimeUnit.SECONDS); // the refusal took nobody's place
            }
        }
    }

    @Test
    void aFullHostIsRefusedAsRetryableUnavailable() throws Exception {
        StartGates.Config config = new StartGates.Config(1, 100, 1, Duration.ofMinutes(1), Duration.ofMinutes(1));
        StartGates gates = new StartGates(config, GuestPace.fixed(), BASE);
        StartGates.Gate one = gates.forAddress(GUEST);
        StartGates.Gate other = gates.forAddress(Ipv4.parse("10.11.0.6"));
        StartGates.Admission a = one.enter("sb-1");
        StartGates.Admission b = other.enter("sb-2");
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> waiter = threads.submit(() -> {
                one.enter("sb-1").close();
                return null;
            });
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gates.waiting() == 1);
            assertThatThrownBy(() -> other.enter("sb-2"))
                    .isInstanceOfSatisfying(
                            RetryLaterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                    .hasMessageContaining("this host already has 1 commands waiting to start");
            a.close();
            waiter.get(10, TimeUnit.SECONDS);
        }
        b.close();
        assertThat(gates.waiting()).isZero();
    }

    @Test
    void aQueueThatDoesNotMoveWithinTheScaledWaitIsRefusedAsRetryableUnavailable() {
        // An allowance of 100 ms: one waiter gets two rounds (200 ms) before giving up.
        StartGates.Config config = new StartGates.Config(1, 10, 10, Duration.ofMinutes(1), Duration.ofMinutes(1));
        StartGates gates = new StartGates(config, GuestPace.fixed(), Duration.ofMillis(100));
        StartGates.Gate gate = gates.forAddress(GUEST);
        try (StartGates.Admission stuck = gate.enter("sb-1")) {
            assertThatThrownBy(() -> gate.enter("sb-1"))
                    .isInstanceOfSatisfying(
                            RetryLaterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                    .hasMessageContaining(
                            "sandbox sb-1 did not get a turn to start this command within PT0.2S (0 waiting ahead of it");
        }
        assertThat(gate.freeSlots()).isEqualTo(1);
        assertThat(gates.waiting()).isZero();
    }
}
