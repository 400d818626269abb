package dev.wrenn.guest.http.files;

import java.util.Optional;

/**
 * One satisfiable byte range of a file ({@code first..last} inclusive). Only single ranges are served; a request
 * for several ranges gets the whole file, which HTTP allows.
 */
record ByteRange(long first, long last) {

    /** Thrown for a range that cannot be served from a file of this size (answered with 416). */
    static final class Unsatisfiable extends RuntimeException {
        Unsatisfiable(String header, long size) {
            super("range '" + header + "' cannot be satisfied by a file of " + size + " bytes");
        }
    }

    long length() {
        return last - first + 1;
    }

    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /** The range a Range header asks for; empty means "send the whole file". */
    static Optional<ByteRange> parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
            return Optional.empty();
        }
        String spec = header.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            throw new Unsatisfiable(header, size);
        }
        try {
            return Optional.of(dash == 0 ? suffix(spec, header, size) : span(spec, dash, header, size));
        } catch (NumberFormatException e) {
            throw new Unsatisfiable(header, size);
        }
    }

    private static ByteRange suffix(String spec, String header, long size) {
        long count = Long.parseLong(spec.substring(1));
        if (count <= 0 || size == 0) {
            throw new Unsatisfiable(header, size);
        }
        return new ByteRange(Math.max(0, size - count), size - 1);
    }

    private static ByteRange span(String spec, int dash, String header, long size) {
        long first = Long.parseLong(spec.substring(0, dash));
        String end = spec.substring(dash + 1);
        long last = end.isEmpty() ? size - 1 : Math.min(Long.parseLong(end), size - 1);
        if (first < 0 || first >= size || (!end.isEmpty() && Long.parseLong(end) < first)) {
            throw new Unsatisfiable(header, size);
        }
        return new ByteRange(first, last);
    }
}
