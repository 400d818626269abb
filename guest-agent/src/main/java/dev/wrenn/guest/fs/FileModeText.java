package dev.wrenn.guest.fs;

/**
 * Renders a stat mode the way Go's {@code FileMode.String()} does, because E2B clients show and compare that text:
 * type and special-bit letters in Go's order ({@code d L D p S u g c t}), {@code -} when there are none, then
 * {@code rwxrwxrwx} with {@code -} for each missing permission.
 */
final class FileModeText {
    static final int S_IFMT = 0xF000;
    static final int S_IFSOCK = 0xC000;
    static final int S_IFLNK = 0xA000;
    static final int S_IFREG = 0x8000;
    static final int S_IFBLK = 0x6000;
    static final int S_IFDIR = 0x4000;
    static final int S_IFCHR = 0x2000;
    static final int S_IFIFO = 0x1000;
    private static final int S_ISUID = 0x800;
    private static final int S_ISGID = 0x400;
    private static final int S_ISVTX = 0x200;
    private static final String RWX = "rwxrwxrwx";

    private FileModeText() {}

    static String of(int stMode) {
        int type = stMode & S_IFMT;
        StringBuilder text = new StringBuilder(12);
        appendIf(text, type == S_IFDIR, 'd');
        appendIf(text, type == S_IFLNK, 'L');
        appendIf(text, type == S_IFBLK || type == S_IFCHR, 'D');
        appendIf(text, type == S_IFIFO, 'p');
        appendIf(text, type == S_IFSOCK, 'S');
        appendIf(text, (stMode & S_ISUID) != 0, 'u');
        appendIf(text, (stMode & S_ISGID) != 0, 'g');
        appendIf(text, type == S_IFCHR, 'c');
        appendIf(text, (stMode & S_ISVTX) != 0, 't');
        if (text.isEmpty()) {
            text.append('-');
        }
        for (int bit = 0; bit < 9; bit++) {
            text.append((stMode & (1 << (8 - bit))) != 0 ? RWX.charAt(bit) : '-');
        }
        return text.toString();
    }

    private static void appendIf(StringBuilder text, boolean condition, char letter) {
        if (condition) {
            text.append(letter);
        }
    }
}
