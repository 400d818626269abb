package dev.wrenn.guest.fs;

import dev.wrenn.connect.CallContext;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.ConnectService;
import dev.wrenn.connect.StreamSink;
import dev.wrenn.guest.fs.watch.WatchStreams;
import dev.wrenn.guest.fs.watch.WatcherRegistry;
import dev.wrenn.guest.state.AgentState;
import dev.wrenn.guest.user.CallerResolver;
import dev.wrenn.guest.user.GuestUser;
import dev.wrenn.guest.user.UnknownUserException;
import dev.wrenn.guest.user.UserDirectory;
import dev.wrenn.protocol.envd.filesystem.CreateWatcherRequest;
import dev.wrenn.protocol.envd.filesystem.CreateWatcherResponse;
import dev.wrenn.protocol.envd.filesystem.GetWatcherEventsRequest;
import dev.wrenn.protocol.envd.filesystem.GetWatcherEventsResponse;
import dev.wrenn.protocol.envd.filesystem.ListDirRequest;
import dev.wrenn.protocol.envd.filesystem.ListDirResponse;
import dev.wrenn.protocol.envd.filesystem.MakeDirRequest;
import dev.wrenn.protocol.envd.filesystem.MakeDirResponse;
import dev.wrenn.protocol.envd.filesystem.MoveRequest;
import dev.wrenn.protocol.envd.filesystem.MoveResponse;
import dev.wrenn.protocol.envd.filesystem.RemoveRequest;
import dev.wrenn.protocol.envd.filesystem.RemoveResponse;
import dev.wrenn.protocol.envd.filesystem.RemoveWatcherRequest;
import dev.wrenn.protocol.envd.filesystem.RemoveWatcherResponse;
import dev.wrenn.protocol.envd.filesystem.StatRequest;
import dev.wrenn.protocol.envd.filesystem.StatResponse;
import dev.wrenn.protocol.envd.filesystem.WatchDirRequest;
import dev.wrenn.protocol.envd.filesystem.WatchDirResponse;
import java.nio.file.Path;

/**
 * envd's {@code filesystem.Filesystem} Connect service. Every path is resolved for the calling user (Basic auth
 * username, else the default user); the agent acts as root but gives what it creates to that user.
 */
public final class FilesystemService {
    private final PathResolver paths;
    private final CallerResolver callers;
    private final EntryInfos entries;
    private final FileOperations operations;
    private final WatchStreams watchStreams;
    private final WatcherRegistry watchers;

    private FilesystemService(AgentState state, CallerResolver callers, UserDirectory users) {
        this.paths = new PathResolver(state);
        this.callers = callers;
        this.entries = new EntryInfos(users);
        this.operations = new FileOperations(entries);
        this.watchStreams = new WatchStreams(entries);
        this.watchers = new WatcherRegistry(entries);
    }

    public static FilesystemService create(AgentState state, CallerResolver callers, UserDirectory users) {
        return new FilesystemService(state, callers, users);
    }

    public ConnectService connectService() {
        return ConnectService.builder("filesystem.Filesystem")
                .unary("Stat", StatRequest.getDefaultInstance(), this::stat)
                .unary("MakeDir", MakeDirRequest.getDefaultInstance(), this::makeDir)
                .unary("Move", MoveRequest.getDefaultInstance(), this::move)
                .unary("ListDir", ListDirRequest.getDefaultInstance(), this::listDir)
                .unary("Remove", RemoveRequest.getDefaultInstance(), this::remove)
                .serverStreaming("WatchDir", WatchDirRequest.getDefaultInstance(), this::watchDir)
                .unary("CreateWatcher", CreateWatcherRequest.getDefaultInstance(), this::createWatcher)
                .unary("GetWatcherEvents", GetWatcherEventsRequest.getDefaultInstance(), this::getWatcherEvents)
                .unary("RemoveWatcher", RemoveWatcherRequest.getDefaultInstance(), this::removeWatcher)
                .build();
    }

    /** Stops all polled watchers; watch streams end with their calls. */
    public void shutdown() {
        watchers.closeAll();
    }

    StatResponse stat(StatRequest request, CallContext context) {
        Path path = resolve(request.getPath(), context);
        return StatResponse.newBuilder().setEntry(entries.describe(path)).build();
    }

    MakeDirResponse makeDir(MakeDirRequest request, CallContext context) {
        GuestUser user = caller(context);
        Path dir = paths.resolve(request.getPath(), user);
        return MakeDirResponse.newBuilder()
                .setEntry(operations.makeDir(dir, user))
                .build();
    }

    MoveResponse move(MoveRequest request, CallContext context) {
        GuestUser user = caller(context);
        Path source = paths.resolve(request.getSource(), user);
        Path destination = paths.resolve(request.getDestination(), user);
        return MoveResponse.newBuilder()
                .setEntry(operations.move(source, destination, user))
                .build();
    }

    ListDirResponse listDir(ListDirRequest request, CallContext context) {
        Path dir = resolve(request.getPath(), context);
        int depth = request.getDepth() == 0 ? 1 : request.getDepth();
        return ListDirResponse.newBuilder()
                .addAllEntries(operations.list(dir, depth))
                .build();
    }

    RemoveResponse remove(RemoveRequest request, CallContext context) {
        operations.remove(resolve(request.getPath(), context));
        return RemoveResponse.getDefaultInstance();
    }

    void watchDir(WatchDirRequest request, CallContext context, StreamSink<WatchDirResponse> sink) {
        watchStreams.stream(resolve(request.getPath(), context), request, context, sink);
    }

    CreateWatcherResponse createWatcher(CreateWatcherRequest request, CallContext context) {
        Path dir = resolve(request.getPath(), context);
        String id = watchers.create(
                dir, request.getRecursive(), request.getIncludeEntry(), request.getAllowNetworkMounts());
        return CreateWatcherResponse.newBuilder().setWatcherId(id).build();
    }

    GetWatcherEventsResponse getWatcherEvents(GetWatcherEventsRequest request, CallContext context) {
        caller(context);
        return GetWatcherEventsResponse.newBuilder()
                .addAllEvents(watchers.drain(request.getWatcherId()))
                .build();
    }

    RemoveWatcherResponse removeWatcher(RemoveWatcherRequest request, CallContext context) {
        caller(context);
        watchers.remove(request.getWatcherId());
        return RemoveWatcherResponse.getDefaultInstance();
    }

    private Path resolve(String rawPath, CallContext context) {
        return paths.resolve(rawPath, caller(context));
    }

    private GuestUser caller(CallContext context) {
        try {
            return callers.fromAuthorization(context.header("authorization"));
        } catch (UnknownUserException e) {
            throw new ConnectException(Code.UNAUTHENTICATED, "filesystem: " + e.getMessage(), e);
        }
    }
}
