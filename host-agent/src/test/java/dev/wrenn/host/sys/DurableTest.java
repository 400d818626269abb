package dev.wrenn.host.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableTest {
    @TempDir
    Path dir;

    @Test
    void exchangeSwapsTwoDirectoriesInOneStep() throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        Files.writeString(a.resolve("f"), "new");
        Files.writeString(b.resolve("f"), "old");

        Durable.exchange(a, b);

        assertThat(b.resolve("f")).hasContent("new");
        assertThat(a.resolve("f")).hasContent("old");
    }

    @Test
    void renameNoReplaceRefusesATakenNameAndLeavesBothAlone() throws Exception {
        Path staged = Files.createDirectory(dir.resolve("staged"));
        Path taken = Files.createDirectory(dir.resolve("taken"));
        Files.writeString(taken.resolve("f"), "kept");

        assertThatThrownBy(() -> Durable.renameNoReplace(staged, taken)).isInstanceOf(FileAlreadyExistsException.class);

        assertThat(taken.resolve("f")).hasContent("kept");
        assertThat(staged).isDirectory();
        Durable.renameNoReplace(staged, dir.resolve("free"));
        assertThat(dir.resolve("free")).isDirectory();
        assertThat(staged).doesNotExist();
    }

    @Test
    void writeReplacesTheTargetWholeAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("meta.json");
        Files.writeString(target, "old");

        Durable.write(target, "new".getBytes());

        assertThat(target).hasContent("new");
        assertThat(dir.resolve("meta.json.partial")).doesNotExist();
    }

    @Test
    void aLinkIsTheSameFileUnderASecondName() throws Exception {
        Path file = Files.writeString(dir.resolve("ram"), "memory");
        Path vmDir = Files.createDirectory(dir.resolve("vm"));

        Durable.link(vmDir.resolve("memory.ram"), file);

        assertThat(Files.isSameFile(file, vmDir.resolve("memory.ram"))).isTrue();
    }
}
