package dev.wrenn.control.templates;

/** A build that ends in status {@code error}: the reason E2B's SDK shows and the step it names. */
final class BuildFailure extends RuntimeException {
    private final String step;

    BuildFailure(String step, String message) {
        super(message);
        this.step = step;
    }

    String step() {
        return step;
    }
}
