package dev.wrenn.guest.fs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileModeTextTest {
    @Test
    void regularFilesAndDirectoriesReadLikeLs() {
        assertThat(FileModeText.of(FileModeText.S_IFREG | 0644)).isEqualTo("-rw-r--r--");
        assertThat(FileModeText.of(FileModeText.S_IFDIR | 0755)).isEqualTo("drwxr-xr-x");
        assertThat(FileModeText.of(FileModeText.S_IFREG)).isEqualTo("----------");
        assertThat(FileModeText.of(FileModeText.S_IFREG | 0200)).isEqualTo("--w-------");
    }

    @Test
    void specialBitsAreLettersBeforeThePermissionsAsGoPrintsThem() {
        assertThat(FileModeText.of(FileModeText.S_IFREG | 04755)).isEqualTo("urwxr-xr-x");
        assertThat(FileModeText.of(FileModeText.S_IFDIR | 02755)).isEqualTo("dgrwxr-xr-x");
        assertThat(FileModeText.of(FileModeText.S_IFDIR | 01777)).isEqualTo("dtrwxrwxrwx");
    }

    @Test
    void otherFileTypesUseGosTypeLetters() {
        assertThat(FileModeText.of(FileModeText.S_IFLNK | 0777)).isEqualTo("Lrwxrwxrwx");
        assertThat(FileModeText.of(FileModeText.S_IFCHR | 0666)).isEqualTo("Dcrw-rw-rw-");
        assertThat(FileModeText.of(FileModeText.S_IFBLK | 0660)).isEqualTo("Drw-rw----");
        assertThat(FileModeText.of(FileModeText.S_IFIFO | 0644)).isEqualTo("prw-r--r--");
        assertThat(FileModeText.of(FileModeText.S_IFSOCK | 0755)).isEqualTo("Srwxr-xr-x");
    }
}
