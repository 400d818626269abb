package dev.wrenn.guest.process;

import dev.wrenn.connect.CallContext;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.ConnectService;
import dev.wrenn.connect.StreamSink;
import dev.wrenn.guest.process.sys.Posix;
import dev.wrenn.guest.process.sys.Spawner;
import dev.wrenn.guest.state.AgentState;
import dev.wrenn.guest.user.CallerResolver;
import dev.wrenn.guest.user.GuestUser;
import dev.wrenn.guest.user.UnknownUserException;
import dev.wrenn.protocol.envd.process.CloseStdinRequest;
import dev.wrenn.protocol.envd.process.CloseStdinResponse;
import dev.wrenn.protocol.envd.process.ConnectRequest;
import dev.wrenn.protocol.envd.process.ConnectResponse;
import dev.wrenn.protocol.envd.process.ListRequest;
import dev.wrenn.protocol.envd.process.ListResponse;
import dev.wrenn.protocol.envd.process.ProcessEvent;
import dev.wrenn.protocol.envd.process.ProcessInfo;
import dev.wrenn.protocol.envd.process.SendInputRequest;
import dev.wrenn.protocol.envd.process.SendInputResponse;
import dev.wrenn.protocol.envd.process.SendSignalRequest;
import dev.wrenn.protocol.envd.process.SendSignalResponse;
import dev.wrenn.protocol.envd.process.StartRequest;
import dev.wrenn.protocol.envd.process.StartResponse;
import dev.wrenn.protocol.envd.process.StreamInputRequest;
import dev.wrenn.protocol.envd.process.StreamInputResponse;
import dev.wrenn.protocol.envd.process.UpdateRequest;
import dev.wrenn.protocol.envd.process.UpdateResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The guest agent's {@code process.Process} Connect service (E2B envd's process API): start commands with pipes or
 * a PTY as the calling user, stream their output, feed them input, signal, resize, list and reattach to them.
 */
public final class ProcessService {
    /**
     * Tunables. {@code exitGrace}: how long output is still read after the process exited while a background child
     * keeps its pipe open; {@code finishedHistory}: how many ended processes a late Connect can still find;
     * {@code defaultKeepalive}: keepalive interval when the client sends no Keepalive-Ping-Interval.
     */
    public record Options(Duration exitGrace, int finishedHistory, Duration defaultKeepalive) {
        public static Options defaults() {
            return new Options(Duration.ofMillis(500), 256, Duration.ofSeconds(90));
        }
    }

    private final CallerResolver callers;
    private final LaunchPlanner planner;
    private final ProcessTable table;
    private final ProcessLauncher launcher;
    private final SpawnedChildren children;
    private final Options options;
    private volatile boolean shutDown;

    private ProcessService(
            CallerResolver callers,
            LaunchPlanner planner,
            ProcessTable table,
            SpawnedChildren children,
            Options options) {
        this.callers = callers;
        this.planner = planner;
        this.table = table;
        this.children = children;
        this.options = options;
        this.launcher = new ProcessLauncher(children, table, options.exitGrace());
    }

    public static ProcessService create(AgentState state, CallerResolver callers) {
        return create(state, callers, Options.defaults());
    }

    public static ProcessService create(AgentState state, CallerResolver callers, Options options) {
        requireNativeSupport();
        LaunchPlanner planner = new LaunchPlanner(state, Posix.geteuid(), findSetpriv(), System.getenv("PATH"));
        return new ProcessService(
                callers, planner, new ProcessTable(options.finishedHistory()), new SpawnedChildren(), options);
    }

    private static void requireNativeSupport() {
        try {
            // Initialising the class links every posix_spawn function it needs.
            Class.forName(Spawner.class.getName(), true, Spawner.class.getClassLoader());
        } catch (ClassNotFoundException | ExceptionInInitializerError e) {
            throw new IllegalStateException(
                    "the process service needs glibc 2.34 or later (posix_spawn "
                            + "file actions addchdir_np and addclosefrom_np): " + e,
                    e);
        }
    }

    private static Optional<Path> findSetpriv() {
        return Stream.of("/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv", "/sbin/setpriv")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
    }

    public ConnectService connectService() {
        return ConnectService.builder("process.Process")
                .serverStreaming("Start", StartRequest.getDefaultInstance(), this::start)
                .serverStreaming("Connect", ConnectRequest.getDefaultInstance(), this::connect)
                .unary("List", ListRequest.getDefaultInstance(), this::list)
                .unary("SendInput", SendInputRequest.getDefaultInstance(), this::sendInput)
                .clientStreaming("StreamInput", StreamInputRequest.getDefaultInstance(), this::streamInput)
                .unary("SendSignal", SendSignalRequest.getDefaultInstance(), this::sendSignal)
                .unary("CloseStdin", CloseStdinRequest.getDefaultInstance(), this::closeStdin)
                .unary("Update", UpdateRequest.getDefaultInstance(), this::update)
                .build();
    }

    /** Kills every running process (its whole group) and refuses new ones. */
    public void shutdown() {
        shutDown = true;
        table.running().forEach(process -> process.signal(Posix.SIGKILL));
    }

    SpawnedChildren children() {
        return children;
    }

    private void start(StartRequest request, CallContext context, StreamSink<StartResponse> sink) {
        GuestUser user = authenticate(context);
        if (shutDown) {
            throw new ConnectException(Code.UNAVAILABLE, "starting a process: the agent is shutting down");
        }
        LaunchPlan plan = planner.plan(request, user);
        ProcessInfo.Builder info = ProcessInfo.newBuilder().setConfig(request.getProcess());
        if (request.hasTag()) {
            info.setTag(request.getTag());
        }
        Subscription subscription = new Subscription();
        ManagedProcess process = launcher.launch(plan, info.build(), subscription);
        stream(
                process,
                subscription,
                context,
                sink,
                e -> StartResponse.newBuilder().setEvent(e).build(),
                () -> process.signal(Posix.SIGKILL));
    }

    private void connect(ConnectRequest request, CallContext context, StreamSink<ConnectResponse> sink) {
        authenticate(context);
        ManagedProcess process = table.findAny(request.getProcess());
        Subscription subscription = new Subscription();
        process.subscribe(subscription);
        stream(
                process,
                subscription,
                context,
                sink,
                e -> ConnectResponse.newBuilder().setEvent(e).build(),
                () -> {});
    }

    private <O> void stream(
            ManagedProcess process,
            Subscription subscription,
            CallContext context,
            StreamSink<O> sink,
            Function<ProcessEvent, O> wrap,
            Runnable onDeadline) {
        Duration keepalive = EventStream.keepaliveInterval(context, options.defaultKeepalive());
        new EventStream<>(process, subscription, context, sink, wrap, onDeadline, keepalive).run();
    }

    private ListResponse list(ListRequest request, CallContext context) {
        authenticate(context);
        ListResponse.Builder response = ListResponse.newBuilder();
        table.running().forEach(process -> response.addProcesses(process.info()));
        return response.build();
    }

    private SendInputResponse sendInput(SendInputRequest request, CallContext context) {
        authenticate(context);
        table.findRunning(request.getProcess()).write(request.getInput());
        return SendInputResponse.getDefaultInstance();
    }

    private StreamInputResponse streamInput(Iterator<StreamInputRequest> requests, CallContext context) {
        authenticate(context);
        StreamInputRequest first = requests.hasNext() ? requests.next() : StreamInputRequest.getDefaultInstance();
        if (!first.hasStart()) {
            throw ConnectException.invalidArgument("StreamInput: the first message must be a start event");
        }
        ManagedProcess process = table.findRunning(first.getStart().getProcess());
        while (requests.hasNext()) {
            StreamInputRequest next = requests.next();
            switch (next.getEventCase()) {
                case DATA -> process.write(next.getData().getInput());
                case KEEPALIVE, EVENT_NOT_SET -> {}
                case START ->
                    throw ConnectException.invalidArgument("StreamInput: only the first message may be a start event");
            }
        }
        return StreamInputResponse.getDefaultInstance();
    }

    private SendSignalResponse sendSignal(SendSignalRequest request, CallContext context) {
        authenticate(context);
        int signal = switch (request.getSignal()) {
            case SIGNAL_SIGKILL -> Posix.SIGKILL;
            case SIGNAL_SIGTERM -> Posix.SIGTERM;
            case SIGNAL_UNSPECIFIED, UNRECOGNIZED ->
                throw ConnectException.invalidArgument(
                        "sending a signal: signal must be SIGNAL_SIGKILL or SIGNAL_SIGTERM, got "
                                + request.getSignalValue());
        };
        table.findRunning(request.getProcess()).signal(signal);
        return SendSignalResponse.getDefaultInstance();
    }

    private CloseStdinResponse closeStdin(CloseStdinRequest request, CallContext context) {
        authenticate(context);
        table.findRunning(request.getProcess()).closeStdin();
        return CloseStdinResponse.getDefaultInstance();
    }

    private UpdateResponse update(UpdateRequest request, CallContext context) {
        authenticate(context);
        ManagedProcess process = table.findRunning(request.getProcess());
        if (request.hasPty()) {
            process.resize(
                    request.getPty().getSize().getCols(),
                    request.getPty().getSize().getRows());
        }
        return UpdateResponse.getDefaultInstance();
    }

    /** The calling user (Basic auth username, else the default user); unknown users are unauthenticated. */
    private GuestUser authenticate(CallContext context) {
        try {
            return callers.fromAuthorization(context.header("authorization"));
        } catch (UnknownUserException e) {
            throw new ConnectException(Code.UNAUTHENTICATED, "invalid username: " + e.getMessage(), e);
        }
    }
}
