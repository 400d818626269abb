package dev.wrenn.guest.fs;

import dev.wrenn.connect.CallContext;
import dev.wrenn.connect.ConnectService;
import dev.wrenn.connect.Handlers;
import dev.wrenn.connect.StreamSink;
import dev.wrenn.guest.state.AgentState;
import dev.wrenn.guest.user.CallerResolver;
import dev.wrenn.guest.user.GuestUser;
import dev.wrenn.guest.user.UserDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A filesystem service over a temporary tree, with its own passwd/group files: root (uid 0) is the default user
 * and alice (uid 1234) can be selected with Basic auth. Calls go through the service's Connect registration.
 */
public final class FsFixture {
    public static final int ALICE_UID = 1234;

    public final Path root;
    public final Path aliceHome;
    public final UserDirectory users;
    public final AgentState state = new AgentState("root");
    public final FilesystemService service;
    private final ConnectService connect;

    public FsFixture(Path root) throws IOException {
        this.root = root.toRealPath();
        this.aliceHome = Files.createDirectories(this.root.resolve("home/alice"));
        Path passwd = Files.writeString(
                this.root.resolve("passwd"),
                "root:x:0:0:root:" + this.root.resolve("home/root") + ":/bin/bash\nalice:x:" + ALICE_UID + ":"
                        + ALICE_UID + ":Alice:" + aliceHome + ":/bin/bash\n");
        Path group = Files.writeString(this.root.resolve("group"), "root:x:0:\nalice:x:" + ALICE_UID + ":\n");
        this.users = new UserDirectory(passwd, group);
        this.service = FilesystemService.create(state, new CallerResolver(users, state), users);
        this.connect = service.connectService();
    }

    public GuestUser alice() {
        return users.require("alice");
    }

    /** A call made as {@code username} through Basic auth (empty password, as E2B's SDK sends it). */
    public static FakeCallContext as(String username) {
        String token = Base64.getEncoder().encodeToString((username + ":").getBytes(StandardCharsets.UTF_8));
        return new FakeCallContext().withHeader("Authorization", "Basic " + token);
    }

    @SuppressWarnings("unchecked")
    public <I, O> O call(String method, I request, CallContext context) {
        var handler =
                (Handlers.Unary<I, O>) connect.method(method).orElseThrow().handler();
        return handler.handle(request, context);
    }

    @SuppressWarnings("unchecked")
    public <I, O> void stream(String method, I request, CallContext context, StreamSink<O> sink) {
        var handler = (Handlers.ServerStreaming<I, O>)
                connect.method(method).orElseThrow().handler();
        handler.handle(request, context, sink);
    }
}
