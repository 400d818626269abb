package dev.wrenn.launcher.campaigns;

/** One step of a campaign failed: the step's name and what went wrong (an HTTP status and body, a wrong hash). */
final class CampaignFailure extends RuntimeException {
    private final String step;

    CampaignFailure(String step, String message) {
        super(step + ": " + message);
        this.step = step;
    }

    CampaignFailure(String step, String message, Throwable cause) {
        super(step + ": " + message, cause);
        this.step = step;
    }

    String step() {
        return step;
    }
}
