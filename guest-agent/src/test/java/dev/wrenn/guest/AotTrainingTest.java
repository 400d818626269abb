package dev.wrenn.guest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AotTrainingTest {
    @Test
    void theTrainingRunStartsTheAgentAndFindsItHealthy() throws Exception {
        assertThat(AotTraining.run())
                .as("the agent started and answered /health (reasons on stderr)")
                .isTrue();
    }

    @Test
    void trainIsAnOptionAndOffByDefault() {
        assertThat(GuestAgentOptions.parse(new String[] {"--train"}).train()).isTrue();
        assertThat(GuestAgentOptions.parse(new String[] {"--port", "1234"}).train())
                .isFalse();
    }
}
