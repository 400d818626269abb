package dev.wrenn.guest.process;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.wrenn.connect.CallContext;
import dev.wrenn.connect.ConnectService;
import dev.wrenn.connect.Handlers;
import dev.wrenn.guest.state.AgentState;
import dev.wrenn.guest.user.CallerResolver;
import dev.wrenn.guest.user.UserDirectory;
import dev.wrenn.protocol.envd.process.CloseStdinRequest;
import dev.wrenn.protocol.envd.process.ConnectRequest;
import dev.wrenn.protocol.envd.process.ConnectResponse;
import dev.wrenn.protocol.envd.process.ListRequest;
import dev.wrenn.protocol.envd.process.ListResponse;
import dev.wrenn.protocol.envd.process.PTY;
import dev.wrenn.protocol.envd.process.ProcessConfig;
import dev.wrenn.protocol.envd.process.ProcessInput;
import dev.wrenn.protocol.envd.process.ProcessSelector;
import dev.wrenn.protocol.envd.process.SendInputRequest;
import dev.wrenn.protocol.envd.process.SendSignalRequest;
import dev.wrenn.protocol.envd.process.Signal;
import dev.wrenn.protocol.envd.process.StartRequest;
import dev.wrenn.protocol.envd.process.StartResponse;
import dev.wrenn.protocol.envd.process.StreamInputRequest;
import dev.wrenn.protocol.envd.process.UpdateRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

/** Calls the service's registered Connect handlers the way the HTTP layer will, with fake contexts and sinks. */
final class ProcessClient implements AutoCloseable {
    final AgentState state = new AgentState("root");
    final ProcessService service;
    private final ConnectService connect;

    ProcessClient() {
        service = ProcessService.create(
                state,
                new CallerResolver(UserDirectory.system(), state),
                new ProcessService.Options(Duration.ofMillis(300), 16, Duration.ofSeconds(90)));
        connect = service.connectService();
    }

    static StartRequest command(String cmd, String... args) {
        return StartRequest.newBuilder()
                .setProcess(ProcessConfig.newBuilder().setCmd(cmd).addAllArgs(List.of(args)))
                .build();
    }

    static StartRequest shell(String script) {
        return command("/bin/sh", "-c", script);
    }

    static StartRequest terminal(int cols, int rows, String cmd, String... args) {
        return command(cmd, args).toBuilder()
                .setPty(PTY.newBuilder()
                        .setSize(PTY.Size.newBuilder().setCols(cols).setRows(rows)))
                .build();
    }

    static ProcessSelector pid(int pid) {
        return ProcessSelector.newBuilder().setPid(pid).build();
    }

    static ProcessSelector tag(String tag) {
        return ProcessSelector.newBuilder().setTag(tag).build();
    }

    StreamCall<StartResponse> start(StartRequest request) {
        return start(request, new FakeCallContext());
    }

    StreamCall<StartResponse> start(StartRequest request, FakeCallContext context) {
        StreamCall<StartResponse> call = new StreamCall<>(context, StartResponse::getEvent);
        Handlers.ServerStreaming<StartRequest, StartResponse> handler = handler("Start");
        call.runHandler(() -> handler.handle(request, context, call));
        return call;
    }

    /** Starts and waits for the end. */
    StreamCall<StartResponse> run(StartRequest request) {
        StreamCall<StartResponse> call = start(request);
        call.awaitEnd();
        return call;
    }

    StreamCall<ConnectResponse> connect(ProcessSelector selector) {
        FakeCallContext context = new FakeCallContext();
        StreamCall<ConnectResponse> call = new StreamCall<>(context, ConnectResponse::getEvent);
        Handlers.ServerStreaming<ConnectRequest, ConnectResponse> handler = handler("Connect");
        call.runHandler(() ->
                handler.handle(ConnectRequest.newBuilder().setProcess(selector).build(), context, call));
        return call;
    }

    ListResponse list() {
        return unary("List", ListRequest.getDefaultInstance());
    }

    void sendStdin(ProcessSelector selector, String text) {
        sendInput(selector, ProcessInput.newBuilder().setStdin(utf8(text)).build());
    }

    void sendPty(ProcessSelector selector, String text) {
        sendInput(selector, ProcessInput.newBuilder().setPty(utf8(text)).build());
    }

    void sendInput(ProcessSelector selector, ProcessInput input) {
        unary(
                "SendInput",
                SendInputRequest.newBuilder()
                        .setProcess(selector)
                        .setInput(input)
                        .build());
    }

    void streamInput(List<StreamInputRequest> requests) {
        Handlers.ClientStreaming<StreamInputRequest, Message> handler = handler("StreamInput");
        Iterator<StreamInputRequest> iterator = requests.iterator();
        handler.handle(iterator, new FakeCallContext());
    }

    void signal(ProcessSelector selector, Signal signal) {
        unary(
                "SendSignal",
                SendSignalRequest.newBuilder()
                        .setProcess(selector)
                        .setSignal(signal)
                        .build());
    }

    void closeStdin(ProcessSelector selector) {
        unary("CloseStdin", CloseStdinRequest.newBuilder().setProcess(selector).build());
    }

    void resize(ProcessSelector selector, int cols, int rows) {
        unary(
                "Update",
                UpdateRequest.newBuilder()
                        .setProcess(selector)
                        .setPty(PTY.newBuilder()
                                .setSize(PTY.Size.newBuilder().setCols(cols).setRows(rows)))
                        .build());
    }

    <I extends Message, O extends Message> O unary(String method, I request) {
        return unary(method, request, new FakeCallContext());
    }

    <I extends Message, O extends Message> O unary(String method, I request, CallContext context) {
        Handlers.Unary<I, O> handler = handler(method);
        return handler.handle(request, context);
    }

    @SuppressWarnings("unchecked")
    private <H> H handler(String method) {
        return (H) connect.method(method)
                .orElseThrow(() -> new AssertionError("process.Process has no method " + method))
                .handler();
    }

    static ByteString utf8(String text) {
        return ByteString.copyFrom(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        service.shutdown();
    }
}
