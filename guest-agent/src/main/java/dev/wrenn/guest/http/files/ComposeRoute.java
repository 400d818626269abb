package dev.wrenn.guest.http.files;

import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import dev.wrenn.guest.fs.EntryInfos;
import dev.wrenn.guest.fs.PathResolver;
import dev.wrenn.guest.http.transport.HttpError;
import dev.wrenn.guest.http.transport.JsonBody;
import dev.wrenn.guest.http.transport.Replies;
import dev.wrenn.guest.http.transport.Route;
import dev.wrenn.guest.http.transport.StorageErrors;
import dev.wrenn.guest.user.CallerResolver;
import dev.wrenn.guest.user.GuestUser;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * POST /files/compose {source_paths, destination, username?}: concatenates the sources into the destination (the
 * last step of a chunked upload) and answers the destination's EntryInfo. The result is assembled in a temporary
 * file and renamed over the destination, so a failure leaves any existing destination intact; the sources are
 * removed afterwards, as envd does.
 */
public final class ComposeRoute implements Route {
    private final CallerResolver callers;
    private final PathResolver paths;
    private final EntryInfos entries;

    public ComposeRoute(CallerResolver callers, PathResolver paths, EntryInfos entries) {
        this.callers = callers;
        this.paths = paths;
        this.entries = entries;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        JsonBody body = JsonBody.read(exchange, "the compose request");
        List<String> rawSources = body.stringList("source_paths");
        String rawDestination = body.string("destination")
                .filter(d -> !d.isEmpty())
                .orElseThrow(() -> HttpError.badRequest("destination is required"));
        if (rawSources.isEmpty()) {
            throw HttpError.badRequest("source_paths must name at least one file");
        }
        GuestUser user = callers.fromName(body.string("username"));
        Path destination = paths.resolve(rawDestination, user);
        List<Path> sources = resolveSources(rawSources, user, destination);
        Ownership.createParents(destination, user);
        assemble(sources, destination, user);
        for (Path source : sources) {
            Files.deleteIfExists(source);
        }
        Replies.jsonText(exchange, 200, JsonFormat.printer().print(entries.describe(destination)));
    }

    private List<Path> resolveSources(List<String> rawSources, GuestUser user, Path destination) throws IOException {
        List<Path> sources = new ArrayList<>();
        for (String raw : rawSources) {
            Path source = paths.resolve(raw, user);
            if (source.equals(destination)) {
                throw HttpError.badRequest("source '" + raw + "' cannot also be the destination");
            }
            if (!Files.exists(source)) {
                throw HttpError.notFound("source file '" + source + "' does not exist");
            }
            if (!Files.readAttributes(source, BasicFileAttributes.class).isRegularFile()) {
                throw HttpError.badRequest("source '" + source + "' is not a regular file");
            }
            sources.add(source);
        }
        return sources;
    }

    private static void assemble(List<Path> sources, Path destination, GuestUser user) throws IOException {
        Path partial = destination.resolveSibling("." + destination.getFileName() + ".compose-" + UUID.randomUUID());
        try {
            try (FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                Ownership.chown(partial, user);
                for (Path source : sources) {
                    append(source, out);
                }
            }
            Files.move(partial, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw StorageErrors.toHttpError("composing '" + destination + "'", e);
        }
    }

    private static void append(Path source, FileChannel out) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            long position = 0;
            long size = in.size();
            while (position < size) {
                long sent = in.transferTo(position, size - position, out);
                if (sent <= 0) {
                    break;
                }
                position += sent;
            }
        }
    }
}
