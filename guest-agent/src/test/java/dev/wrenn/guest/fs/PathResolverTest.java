package dev.wrenn.guest.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.guest.state.AgentState;
import dev.wrenn.guest.user.GuestUser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PathResolverTest {
    private final GuestUser alice = new GuestUser("alice", 1234, 1234, Path.of("/home/alice"), "/bin/bash", List.of());
    private final AgentState state = new AgentState("root");
    private final PathResolver resolver = new PathResolver(state);

    @Test
    void absolutePathsStayAbsoluteAndAreNormalized() {
        assertThat(resolver.resolve("/etc/../tmp/./x", alice)).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void tildeNamesTheCallersHome() {
        assertThat(resolver.resolve("~", alice)).isEqualTo(Path.of("/home/alice"));
        assertThat(resolver.resolve("~/notes/a.txt", alice)).isEqualTo(Path.of("/home/alice/notes/a.txt"));
    }

    @Test
    void relativePathsAreRelativeToTheCallersHome() {
        assertThat(resolver.resolve("project/src", alice)).isEqualTo(Path.of("/home/alice/project/src"));
        assertThat(resolver.resolve("../bob", alice)).isEqualTo(Path.of("/home/bob"));
    }

    @Test
    void emptyPathIsTheHomeWhenNoDefaultWorkdirIsSet() {
        assertThat(resolver.resolve("", alice)).isEqualTo(Path.of("/home/alice"));
    }

    @Test
    void emptyPathIsTheDefaultWorkdirOnceInitSetsOne() {
        state.apply(new AgentState.InitUpdate(Map.of(), null, null, "/code"));

        assertThat(resolver.resolve("", alice)).isEqualTo(Path.of("/code"));
        assertThat(resolver.resolve("x", alice)).isEqualTo(Path.of("/home/alice/x"));
    }

    @Test
    void aPathWithANulByteIsAnInvalidArgument() {
        assertThatThrownBy(() -> resolver.resolve("a\0b", alice))
                .isInstanceOfSatisfying(
                        ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
    }
}
