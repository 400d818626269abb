package dev.wrenn.connect.server;

import com.google.protobuf.ByteString;
import dev.wrenn.connect.CallContext;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.ConnectService;
import dev.wrenn.connect.StreamSink;
import dev.wrenn.protocol.envd.process.ProcessEvent;
import dev.wrenn.protocol.envd.process.StartRequest;
import dev.wrenn.protocol.envd.process.StartResponse;
import dev.wrenn.protocol.envd.process.StreamInputRequest;
import dev.wrenn.protocol.envd.process.StreamInputResponse;
import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for envd's process service whose {@code Start} behaves according to the command it is given, so each
 * test can pick the stream it needs; it records what the server made of each call.
 */
final class StreamingProcessService {
    final CountDownLatch cancelled = new CountDownLatch(1);
    final CountDownLatch sendFailed = new CountDownLatch(1);
    final CountDownLatch clientGotFirstMessage = new CountDownLatch(1);
    final CountDownLatch serverGotFirstInput = new CountDownLatch(1);
    final ByteArrayOutputStream stdin = new ByteArrayOutputStream();

    ConnectService service() {
        return ConnectService.builder("process.Process")
                .serverStreaming("Start", StartRequest.getDefaultInstance(), this::start)
                .clientStreaming("StreamInput", StreamInputRequest.getDefaultInstance(), this::streamInput)
                .build();
    }

    static StartResponse startEvent(int pid) {
        return event(ProcessEvent.newBuilder()
                .setStart(ProcessEvent.StartEvent.newBuilder().setPid(pid)));
    }

    static StartResponse stdout(String text) {
        return event(ProcessEvent.newBuilder()
                .setData(ProcessEvent.DataEvent.newBuilder().setStdout(ByteString.copyFromUtf8(text))));
    }

    static StartResponse endEvent(int exitCode) {
        return event(ProcessEvent.newBuilder()
                .setEnd(ProcessEvent.EndEvent.newBuilder()
                        .setExitCode(exitCode)
                        .setExited(true)
                        .setStatus("exit status " + exitCode)));
    }

    private static StartResponse event(ProcessEvent.Builder event) {
        return StartResponse.newBuilder().setEvent(event).build();
    }

    private void start(StartRequest request, CallContext context, StreamSink<StartResponse> sink) {
        sink.send(startEvent(4242));
        switch (request.getProcess().getCmd()) {
            case "echo" -> {
                sink.send(stdout("hello\n"));
                sink.send(endEvent(0));
            }
            case "fail" ->
                throw new ConnectException(Code.NOT_FOUND, "process 4242 vanished", Map.of("k", List.of("v")), null);
            case "crash" -> throw new IllegalStateException("pty broke");
            case "hang" -> {
                context.onCancel(cancelled::countDown);
                await(cancelled);
            }
            case "flood" -> flood(context, sink);
            case "lockstep" -> {
                await(clientGotFirstMessage);
                sink.send(endEvent(0));
            }
            default ->
                throw ConnectException.invalidArgument(
                        "unknown test command " + request.getProcess().getCmd());
        }
    }

    /** Sends until the client's departure makes a send fail, as a chatty process would. */
    private void flood(CallContext context, StreamSink<StartResponse> sink) {
        context.onCancel(cancelled::countDown);
        try {
            while (true) {
                sink.send(stdout("y\n".repeat(512)));
            }
        } catch (StreamSink.StreamClosedException e) {
            sendFailed.countDown();
            throw e;
        }
    }

    private StreamInputResponse streamInput(Iterator<StreamInputRequest> requests, CallContext context) {
        while (requests.hasNext()) {
            StreamInputRequest request = requests.next();
            if (request.hasData()) {
                stdin.writeBytes(request.getData().getInput().getStdin().toByteArray());
                serverGotFirstInput.countDown();
            }
            if (request.hasData()
                    && request.getData().getInput().getStdin().toStringUtf8().equals("reject")) {
                throw ConnectException.invalidArgument("input 'reject' refused");
            }
        }
        return StreamInputResponse.getDefaultInstance();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
