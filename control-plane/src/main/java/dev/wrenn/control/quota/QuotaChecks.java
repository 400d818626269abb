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
        public void checkPause(String teamId) {}

        @Override
        public void checkTemplate(String teamId) {}
    };

    /** Before a sandbox starts running (a create or a resume). */
    void checkRun(String teamId, int vcpus, int memoryMb);

    /**
     * Inside the transaction that has just inserted a pending sandbox of the team: checks the team's usage, the new
     * sandbox included, against its quota after making concurrent reservations of the same team wait; throwing rolls
     * the insert back. {@link #NONE} reserves nothing.
     */
    default void reserveRun(Handle h, String teamId, int vcpus, int memoryMb) {}

    /** Before a user pauses a sandbox. */
    void checkPause(String teamId);

    /** Before a snapshot template is made. */
    void checkTemplate(String teamId);
}
