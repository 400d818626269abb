package dev.wrenn.guest.http.files;

import com.sun.net.httpserver.HttpExchange;
import dev.wrenn.guest.fs.FileMetadata;
import dev.wrenn.guest.fs.PathResolver;
import dev.wrenn.guest.http.auth.FileAccessGuard;
import dev.wrenn.guest.http.auth.FileSignatures;
import dev.wrenn.guest.http.transport.HeaderParams;
import dev.wrenn.guest.http.transport.HttpError;
import dev.wrenn.guest.http.transport.JsonText;
import dev.wrenn.guest.http.transport.QueryParams;
import dev.wrenn.guest.http.transport.Replies;
import dev.wrenn.guest.http.transport.RequestBodies;
import dev.wrenn.guest.http.transport.Route;
import dev.wrenn.guest.user.CallerResolver;
import dev.wrenn.guest.user.GuestUser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * POST /files: a multipart/form-data body with one or more parts named "file" (each written to the {@code path}
 * query, else to its file name), or an application/octet-stream body written to {@code path}. Answers the list
 * of written files.
 */
public final class FileUploadRoute implements Route {
    private final FileAccessGuard guard;
    private final CallerResolver callers;
    private final PathResolver paths;

    public FileUploadRoute(FileAccessGuard guard, CallerResolver callers, PathResolver paths) {
        this.guard = guard;
        this.callers = callers;
        this.paths = paths;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        QueryParams query = QueryParams.of(exchange);
        guard.check(exchange, query, FileSignatures.WRITE);
        GuestUser user = callers.fromName(query.get("username"));
        Map<String, String> metadata = UploadMetadata.from(exchange.getRequestHeaders());
        HeaderParams contentType = HeaderParams.parse(
                Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type"))
                        .orElse(""));
        Upload upload = new Upload(user, query.get("path"), metadata);
        if (contentType.value().equals("application/octet-stream")) {
            upload.raw(RequestBodies.decoded(exchange));
        } else if (contentType.value().startsWith("multipart/")) {
            upload.multipart(new MultipartReader(RequestBodies.decoded(exchange), contentType.param("boundary")));
        } else {
            throw HttpError.badRequest("unsupported Content-Type '" + contentType.value()
                    + "': send multipart/form-data or application/octet-stream");
        }
        Replies.json(exchange, 200, upload.written);
    }

    /** The state of one request: who writes, where, and what has been written so far. */
    private final class Upload {
        private final GuestUser user;
        private final Optional<String> queryPath;
        private final Map<String, String> metadata;
        private final List<Map<String, Object>> written = new ArrayList<>();

        Upload(GuestUser user, Optional<String> queryPath, Map<String, String> metadata) {
            this.user = user;
            this.queryPath = queryPath;
            this.metadata = metadata;
        }

        void raw(InputStream body) throws IOException {
            String rawPath = queryPath.orElseThrow(
                    () -> HttpError.badRequest("the path query parameter is required for an octet-stream upload"));
            write(rawPath, body);
        }

        void multipart(MultipartReader reader) throws IOException {
            for (var part = reader.next(); part.isPresent(); part = reader.next()) {
                if ("file".equals(part.get().name())) {
                    String rawPath = queryPath
                            .or(part.get()::fileName)
                            .orElseThrow(() -> HttpError.badRequest(
                                    "a file part has no file name and the path query parameter is missing"));
                    write(rawPath, part.get().body());
                }
            }
        }

        private void write(String rawPath, InputStream content) throws IOException {
            Path target = paths.resolve(rawPath, user);
            if (written.stream().anyMatch(file -> file.get("path").equals(target.toString()))) {
                throw HttpError.badRequest("cannot upload several files to the same path '" + target
                        + "' in one request; the first one was written");
            }
            UploadWriter.write(target, content, user);
            // Always, as envd: an upload without metadata clears what an earlier upload of the file set.
            FileMetadata.replace(target, metadata);
            Map<String, Object> entry = JsonText.object(
                    "path", target.toString(), "name", target.getFileName().toString(), "type", "file");
            Map<String, String> persisted = FileMetadata.read(target);
            if (!persisted.isEmpty()) {
                entry.put("metadata", persisted);
            }
            written.add(entry);
        }
    }
}
