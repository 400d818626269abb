package dev.wrenn.guest.http.files;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.wrenn.guest.fs.PathResolver;
import dev.wrenn.guest.http.auth.FileAccessGuard;
import dev.wrenn.guest.http.auth.FileSignatures;
import dev.wrenn.guest.http.server.FileResponses;
import dev.wrenn.guest.http.transport.HttpError;
import dev.wrenn.guest.http.transport.QueryParams;
import dev.wrenn.guest.http.transport.Route;
import dev.wrenn.guest.user.CallerResolver;
import dev.wrenn.guest.user.GuestUser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * GET /files: streams one file from disk (never whole in memory), optionally one byte range or gzip-compressed.
 * Range requests are served uncompressed so that offsets refer to the file's bytes.
 */
public final class FileDownloadRoute implements Route {
    private final FileAccessGuard guard;
    private final CallerResolver callers;
    private final PathResolver paths;

    public FileDownloadRoute(FileAccessGuard guard, CallerResolver callers, PathResolver paths) {
        this.guard = guard;
        this.callers = callers;
        this.paths = paths;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        QueryParams query = QueryParams.of(exchange);
        guard.check(exchange, query, FileSignatures.READ);
        GuestUser user = callers.fromName(query.get("username"));
        Path path = paths.resolve(query.get("path").orElse(""), user);
        BasicFileAttributes attrs = regularFile(path);
        String rangeHeader = exchange.getRequestHeaders().getFirst("Range");
        ContentCoding coding =
                ContentCoding.negotiate(exchange.getRequestHeaders().getFirst("Accept-Encoding"));
        setEntityHeaders(exchange.getResponseHeaders(), path, attrs);
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = file.size();
            if (rangeHeader != null) {
                sendRange(exchange, file, rangeHeader, size);
            } else if (coding == ContentCoding.GZIP) {
                sendGzip(exchange, file);
            } else {
                send(exchange, file, 200, 0, size);
            }
        }
    }

    private static BasicFileAttributes regularFile(Path path) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw HttpError.notFound("file '" + path + "' does not exist");
        }
        if (attrs.isDirectory()) {
            throw HttpError.badRequest("path '" + path + "' is a directory, not a file");
        }
        if (!attrs.isRegularFile()) {
            throw HttpError.badRequest("path '" + path + "' is not a regular file");
        }
        return attrs;
    }

    private static void setEntityHeaders(Headers headers, Path path, BasicFileAttributes attrs) {
        headers.set("Content-Type", "application/octet-stream");
        headers.set(
                "Content-Disposition",
                ContentDisposition.inline(path.getFileName().toString()));
        headers.set("Accept-Ranges", "bytes");
        headers.set("Vary", "Accept-Encoding");
        headers.set(
                "Last-Modified",
                DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        attrs.lastModifiedTime().toInstant().atOffset(ZoneOffset.UTC)));
    }

    private static void sendRange(HttpExchange exchange, FileChannel file, String header, long size)
            throws IOException {
        Optional<ByteRange> range;
        try {
            range = ByteRange.parse(header, size);
        } catch (ByteRange.Unsatisfiable e) {
            exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
            throw new HttpError(416, e.getMessage());
        }
        if (range.isEmpty()) {
            send(exchange, file, 200, 0, size);
            return;
        }
        exchange.getResponseHeaders().set("Content-Range", range.get().contentRange(size));
        send(exchange, file, 206, range.get().first(), range.get().length());
    }

    private static void send(HttpExchange exchange, FileChannel file, int status, long offset, long length)
            throws IOException {
        // -1 means "no body" and yields Content-Length: 0, which the SDK reads as an empty file.
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length == 0) {
            return;
        }
        // By sendfile(2) from the page cache to the socket where the server can; else copied through the stream.
        if (FileResponses.send(exchange, file, offset, length)) {
            exchange.getResponseBody().close();
            return;
        }
        try (OutputStream body = exchange.getResponseBody()) {
            transfer(file, offset, length, body);
        }
    }

    private static void sendGzip(HttpExchange exchange, FileChannel file) throws IOException {
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        exchange.sendResponseHeaders(200, 0);
        try (GZIPOutputStream gzip = new GZIPOutputStream(exchange.getResponseBody(), 64 * 1024)) {
            transfer(file, 0, file.size(), gzip);
        }
    }

    /**
     * Copies through one large chunk, for bodies that cannot go by sendfile (gzip, or a response stream a handler
     * wrapped): FileChannel.transferTo to a stream-backed channel would move 8 KiB at a time.
     */
    private static void transfer(FileChannel file, long offset, long length, OutputStream target) throws IOException {
        try (TransferChunk chunk = TransferChunk.lease(length)) {
            ByteBuffer buffer = ByteBuffer.wrap(chunk.bytes());
            long position = offset;
            long end = offset + length;
            while (position < end) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                int read = file.read(buffer, position);
                if (read <= 0) {
                    break; // the file shrank while being sent
                }
                target.write(buffer.array(), 0, read);
                position += read;
            }
        }
    }
}
