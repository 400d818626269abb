package dev.wrenn.host.vmm.qemu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A QEMU Machine Protocol client over a unix socket. One virtual thread reads every message: replies complete the
 * call waiting for their id, events are kept until someone awaits them.
 */
public final class QmpClient implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;
    private final SocketChannel channel;
    private final CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<QmpEvent> events = new ArrayList<>();
    private final AtomicLong nextId = new AtomicLong();
    private volatile boolean closed;

    private QmpClient(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
    }

    /** Connects, reads the greeting and leaves capabilities negotiation mode. */
    public static QmpClient connect(Path socket, Duration timeout) {
        SocketChannel channel = open(socket);
        QmpClient client = new QmpClient(socket, channel);
        Thread.ofVirtual().name("qmp-" + socket.getFileName()).start(client::readLoop);
        try {
            await(client.greeting, timeout, "QMP greeting on " + socket);
            client.execute("qmp_capabilities", Map.of(), timeout);
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** The greeting's QEMU version, e.g. "7.2.19". */
    public String qemuVersion() {
        JsonNode version = greeting.join().path("QMP").path("version").path("qemu");
        return version.path("major").asInt() + "." + version.path("minor").asInt() + "."
                + version.path("micro").asInt();
    }

    public JsonNode execute(String command) {
        return execute(command, Map.of(), DEFAULT_TIMEOUT);
    }

    public JsonNode execute(String command, Map<String, ?> arguments) {
        return execute(command, arguments, DEFAULT_TIMEOUT);
    }

    /** Sends one command and returns its {@code return} value; a QMP error becomes a {@link QmpException}. */
    public JsonNode execute(String command, Map<String, ?> arguments, Duration timeout) {
        String id = "wrenn-" + nextId.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            send(request(id, command, arguments));
            return await(reply, timeout, "QMP `%s` on %s".formatted(command, socket));
        } finally {
            pending.remove(id);
        }
    }

    /** Waits for (and consumes) the first event of this name, including events that arrived before the call. */
    public QmpEvent awaitEvent(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (var it = events.iterator(); it.hasNext(); ) {
                    QmpEvent event = it.next();
                    if (event.name().equals(name)) {
                        it.remove();
                        return event;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    throw new QmpException(
                            "no QMP event %s from %s within %s".formatted(name, socket, timeout), (Throwable) null);
                }
                waitOn(events, left);
            }
        }
    }

    /** True until the socket is closed by either side. */
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing an already broken socket has nothing left to release.
        }
    }

    private static SocketChannel open(Path socket) {
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        } catch (IOException e) {
            throw new QmpException("connecting to QMP socket " + socket + ": " + e.getMessage(), e);
        }
    }

    private static String request(String id, String command, Map<String, ?> arguments) {
        ObjectNode node = JSON.createObjectNode().put("execute", command).put("id", id);
        if (!arguments.isEmpty()) {
            node.set("arguments", JSON.valueToTree(arguments));
        }
        return node.toString() + "\n";
    }

    private void send(String line) {
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        synchronized (channel) {
            try {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            } catch (IOException e) {
                throw new QmpException("writing to QMP socket " + socket + ": " + e.getMessage(), e);
            }
        }
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (channel.read(buffer.clear()) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        dispatch(line.toString(java.nio.charset.StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
            }
        } catch (IOException e) {
            // The socket was closed (by us or by QEMU exiting): handled below like end-of-stream.
        } finally {
            failEverything();
        }
    }

    private void dispatch(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return; // QMP sends one JSON object per line; anything else is not ours to interpret.
        }
        if (message.has("QMP")) {
            greeting.complete(message);
        } else if (message.has("event")) {
            addEvent(new QmpEvent(message.get("event").asText(), message.path("data")));
        } else {
            CompletableFuture<JsonNode> reply = pending.get(message.path("id").asText());
            if (reply != null) {
                reply.complete(message);
            }
        }
    }

    private void addEvent(QmpEvent event) {
        synchronized (events) {
            events.add(event);
            events.notifyAll();
        }
    }

    private void failEverything() {
        closed = true;
        QmpException gone = new QmpException("QMP connection to " + socket + " closed", (Throwable) null);
        greeting.completeExceptionally(gone);
        pending.values().forEach(reply -> reply.completeExceptionally(gone));
        synchronized (events) {
            events.notifyAll();
        }
    }

    private static JsonNode await(CompletableFuture<JsonNode> reply, Duration timeout, String what) {
        JsonNode message;
        try {
            message = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new QmpException(what + ": no answer within " + timeout, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof QmpException q ? q : new QmpException(what + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException(what + ": interrupted", e);
        }
        if (message.has("error")) {
            JsonNode error = message.get("error");
            throw new QmpException(
                    what + " failed: " + error.path("desc").asText(),
                    error.path("class").asText());
        }
        return message.has("QMP") ? message : message.path("return");
    }

    private static void waitOn(Object monitor, long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(monitor, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while waiting for a QMP event", e);
        }
    }
}
