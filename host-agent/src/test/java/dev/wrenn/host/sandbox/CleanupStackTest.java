package dev.wrenn.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CleanupStackTest {
    private final List<String> ran = new ArrayList<>();
    private final CleanupStack stack = new CleanupStack("sb-test");

    @Test
    void undoesRunNewestFirst() {
        stack.push("network", () -> ran.add("network"));
        stack.push("disk", () -> ran.add("disk"));
        stack.push("vmm", () -> ran.add("vmm"));

        assertThat(stack.unwind()).isEmpty();
        assertThat(ran).containsExactly("vmm", "disk", "network");
    }

    @Test
    void aFailingUndoIsRecordedAndTheOthersStillRun() {
        stack.push("network", () -> ran.add("network"));
        stack.push("disk", () -> {
            throw new IllegalStateException("overlay busy");
        });
        stack.push("vmm", () -> ran.add("vmm"));

        List<CleanupStack.Failure> failures = stack.unwind();

        assertThat(ran).containsExactly("vmm", "network");
        assertThat(failures).singleElement().satisfies(failure -> {
            assertThat(failure.description()).isEqualTo("disk");
            assertThat(failure.error()).hasMessage("overlay busy");
        });
    }

    @Test
    void unwindingTwiceRunsEachUndoOnce() {
        stack.push("network", () -> ran.add("network"));

        stack.unwind();
        assertThat(stack.unwind()).isEmpty();

        assertThat(ran).containsExactly("network");
    }

    @Test
    void afterAPartialFailureOnlyTheAcquiredStepsAreUndone() {
        try {
            stack.push("network", () -> ran.add("network"));
            throw new IllegalStateException("disk creation failed");
        } catch (IllegalStateException e) {
            stack.unwind();
        }

        assertThat(ran).containsExactly("network");
    }

    @Test
    void nothingCanBePushedAfterUnwinding() {
        stack.unwind();

        assertThatThrownBy(() -> stack.push("late", () -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sb-test");
    }
}
