package dev.wrenn.control.quota;

import org.jdbi.v3.core.Handle;

/**
 * The checks a sandbox or snapshot operation makes before anything is made; each throws 429 {@code quota_exceeded}
 * when the team is at its limit. {@link #NONE} is for services that run without quotas (the E2B timeout scheduler's
 * pauses, tests of other features).
 */
public interface QuotaChecks {
    QuotaChecks NONE = new QuotaChecks() {
        @Override
        public void checkRun(String teamId, int vcpus, int memoryMb) {}

        @Override
        public Reservation reserveResume(String teamId, int vcpus, int memoryMb) {
            return Reservation.NONE;
        }

        @Override
        public Reservation reservePause(String teamId) {
            return Reservation.NONE;
        }

        @Override
        public Reservation reserveTemplate(String teamId) {
            return Reservation.NONE;
        }
    };

    /**
     * Quota held for an operation in flight, counted in the team's usage until closed. Close it once the sandbox or
     * template row shows the result (success or not); until then the operation counts twice, which only refuses more.
     */
    interface Reservation extends AutoCloseable {
        Reservation NONE = () -> {};

        @Override
        void close();
    }

    /** Before a create does any work (it is checked again by {@link #reserveRun}). */
    void checkRun(String teamId, int vcpus, int memoryMb);

    /**
     * Inside the transaction that has just inserted a pending sandbox of the team: checks the team's usage, the new
     * sandbox included, against its quota after making concurrent reservations of the same team wait; throwing rolls
     * the insert back. {@link #NONE} reserves nothing.
     */
    default void reserveRun(Handle h, String teamId, int vcpus, int memoryMb) {}

    /**
     * Before a paused sandbox is resumed: checks and holds one running sandbox of these sizes in one transaction under
     * the team's lock, so resumes and creates racing at the limit cannot together exceed it.
     */
    Reservation reserveResume(String teamId, int vcpus, int memoryMb);

    /** Before a user pauses a sandbox: checks and holds one paused sandbox, as {@link #reserveResume} does. */
    Reservation reservePause(String teamId);

    /** Before a snapshot template is made: checks and holds one template, as {@link #reserveResume} does. */
    Reservation reserveTemplate(String teamId);
}
