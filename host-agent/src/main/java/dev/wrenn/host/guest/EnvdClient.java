package dev.wrenn.host.guest;

import com.google.protobuf.ByteString;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.client.ConnectClient;
import dev.wrenn.connect.client.ServerStream;
import dev.wrenn.connect.codec.Codec;
import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.protocol.envd.filesystem.EntryInfo;
import dev.wrenn.protocol.envd.filesystem.ListDirRequest;
import dev.wrenn.protocol.envd.filesystem.ListDirResponse;
import dev.wrenn.protocol.envd.filesystem.StatRequest;
import dev.wrenn.protocol.envd.filesystem.StatResponse;
import dev.wrenn.protocol.envd.process.PTY;
import dev.wrenn.protocol.envd.process.ProcessConfig;
import dev.wrenn.protocol.envd.process.ProcessInput;
import dev.wrenn.protocol.envd.process.ProcessSelector;
import dev.wrenn.protocol.envd.process.SendInputRequest;
import dev.wrenn.protocol.envd.process.SendInputResponse;
import dev.wrenn.protocol.envd.process.SendSignalRequest;
import dev.wrenn.protocol.envd.process.SendSignalResponse;
import dev.wrenn.protocol.envd.process.Signal;
import dev.wrenn.protocol.envd.process.StartRequest;
import dev.wrenn.protocol.envd.process.StartResponse;
import dev.wrenn.protocol.envd.process.UpdateRequest;
import dev.wrenn.protocol.envd.process.UpdateResponse;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A typed client for one sandbox's guest agent at {@code http://<host IP>:49983}: Connect RPCs in binary protobuf
 * for processes and file metadata, plain HTTP for /health, /init and /files. Every request carries the sandbox's
 * access token. Every failure is a {@link HostAgentException} naming the operation and the sandbox.
 */
public final class EnvdClient {
    public static final String ACCESS_TOKEN_HEADER = "X-Access-Token";
    private static final String START = "/process.Process/Start";
    private static final String SEND_SIGNAL = "/process.Process/SendSignal";
    private static final String STAT = "/filesystem.Filesystem/Stat";
    private static final String LIST_DIR = "/filesystem.Filesystem/ListDir";
    private static final String SEND_INPUT = "/process.Process/SendInput";
    private static final String UPDATE = "/process.Process/Update";
    private static final Duration SHORT_CALL = Duration.ofSeconds(10);

    private static final String KEEPALIVE_HEADER = "Keepalive-Ping-Interval";

    private final GuestEndpoint guest;
    private final ConnectClient connect;
    private final EnvdHttp http;
    private final GuestLimits limits;
    private final GuestFaults faults;
    private final StartGates.Gate gate;
    private final GuestPace pace;

    /** The deadline of a small call (a signal, a stat, a listing, metrics): 10 s on an idle host, scaled by load. */
    private Duration shortCall() {
        return pace.scale(SHORT_CALL);
    }

    /** A client at the guest's usual address with the default limits; faults are recorded nowhere else. */
    public EnvdClient(GuestEndpoint guest, HttpClient httpClient) {
        this(
                guest,
                httpClient,
                URI.create("http://" + guest.hostIp() + ":" + EnvdHealth.PORT),
                GuestLimits.DEFAULT,
                new GuestFaults());
    }

    /**
     * @param base where the guest agent answers
     * @param faults where a guest that breaks the protocol or a limit is recorded
     */
    public EnvdClient(GuestEndpoint guest, HttpClient httpClient, URI base, GuestLimits limits, GuestFaults faults) {
        this(
                guest,
                httpClient,
                base,
                limits,
                faults,
                new StartGates(StartGates.Config.DEFAULT, GuestPace.ofHost(), limits.headers()),
                GuestPace.ofHost());
    }

    /**
     * @param gates where process starts wait for their turn in this guest (shared by every client of the host)
     * @param pace how much slower than normal guests answer now: scales the idle limit of process streams
     */
    EnvdClient(
            GuestEndpoint guest,
            HttpClient httpClient,
            URI base,
            GuestLimits limits,
            GuestFaults faults,
            StartGates gates,
            GuestPace pace) {
        this.guest = guest;
        this.limits = limits;
        this.faults = faults;
        this.gate = gates.forAddress(guest.hostIp());
        this.pace = pace;
        ConnectClient.Limits connectLimits =
                new ConnectClient.Limits(limits.maxMessageBytes(), limits.headers(), limits.streamIdle());
        this.connect = new ConnectClient(base, httpClient, Codec.proto(), connectLimits);
        this.http = new EnvdHttp(guest, httpClient, base, limits, faults);
    }

    public GuestEndpoint guest() {
        return guest;
    }

    /** Where this client records a guest that broke the protocol or a limit. */
    public GuestFaults faults() {
        return faults;
    }

    /** One {@code GET /health}; fails unless the guest answers 200 or 204 within {@code timeout}. */
    public void health(Duration timeout) {
        http.health(timeout);
    }

    /** {@code POST /init}: hands the guest its env vars, access token, default user and workdir, and the time. */
    public void init(EnvdInit init, Duration timeout) {
        http.init(init, timeout);
    }

    /**
     * Starts a process and returns its events as they happen. {@code timeoutOrNull} is the call's deadline: the guest
     * kills the process when it passes and the events end with DEADLINE_EXCEEDED.
     */
    public ProcessEvents start(ProcessSpec spec, Duration timeoutOrNull) {
        return start(
                StartRequest.newBuilder()
                        .setProcess(config(spec))
                        .setStdin(false)
                        .build(),
                spec,
                timeoutOrNull);
    }

    /** Starts a process on a new pseudo-terminal of {@code cols} x {@code rows}; no deadline. */
    public ProcessEvents startPty(ProcessSpec spec, int cols, int rows) {
        StartRequest request = StartRequest.newBuilder()
                .setProcess(config(spec))
                .setPty(PTY.newBuilder()
                        .setSize(PTY.Size.newBuilder().setCols(cols).setRows(rows)))
                .build();
        return start(request, spec, null);
    }

    private ProcessEvents start(StartRequest request, ProcessSpec spec, Duration timeoutOrNull) {
        String operation = "running `" + spec.cmd() + "`";
        // A turn first: a burst of commands waits here rather than in a guest too busy to answer any of them.
        try (StartGates.Admission turn = gate.enter(guest.sandboxId())) {
            // The guest sends a keepalive when it has nothing else to say, so a stream that says nothing for the
            // idle limit is a stalled (or hostile) guest, not a quiet process. Both waits scale with the host's
            // load: a guest under an oversubscribed TCG host is slow, not dead.
            Map<String, String> headers = headers(spec.user());
            headers.put(KEEPALIVE_HEADER, Long.toString(limits.keepalive().toSeconds()));
            ConnectClient.Limits callLimits = new ConnectClient.Limits(
                    limits.maxMessageBytes(), turn.headerDeadline(), pace.scale(limits.streamIdle()));
            ServerStream<StartResponse> stream = connect.serverStream(
                    START, request, StartResponse.getDefaultInstance(), headers, timeoutOrNull, callLimits);
            turn.answered();
            return new ProcessEvents(stream, guest.sandboxId(), operation, faults);
        } catch (ConnectException e) {
            throw EnvdErrors.fromConnect(guest.sandboxId(), operation, e, faults);
        }
    }

    /**
     * Runs a process to its end and collects its output. Past {@code timeout} the process is killed and this throws
     * DEADLINE_EXCEEDED; output beyond {@code maxOutputBytes} kills it and throws RESOURCE_EXHAUSTED.
     */
    public ExecResult run(ProcessSpec spec, Duration timeout, int maxOutputBytes) {
        try (ProcessEvents events = start(spec, timeout)) {
            return new OutputCollector(this, spec, timeout, maxOutputBytes).collect(events);
        }
    }

    /** Sends SIGKILL to a process; false when the guest knows no such running process. */
    public boolean kill(int pid) {
        SendSignalRequest request = SendSignalRequest.newBuilder()
                .setProcess(ProcessSelector.newBuilder().setPid(pid))
                .setSignal(Signal.SIGNAL_SIGKILL)
                .build();
        try {
            connect.unary(SEND_SIGNAL, request, SendSignalResponse.getDefaultInstance(), headers(""), shortCall());
            return true;
        } catch (ConnectException e) {
            if (e.code() == Code.NOT_FOUND) {
                return false;
            }
            throw EnvdErrors.fromConnect(guest.sandboxId(), "killing process " + pid, e, faults);
        }
    }

    /** Writes {@code data} to the terminal of process {@code pid}, as if typed. */
    public void sendPtyInput(int pid, ByteString data) {
        SendInputRequest request = SendInputRequest.newBuilder()
                .setProcess(ProcessSelector.newBuilder().setPid(pid))
                .setInput(ProcessInput.newBuilder().setPty(data))
                .build();
        try {
            connect.unary(SEND_INPUT, request, SendInputResponse.getDefaultInstance(), headers(""), shortCall());
        } catch (ConnectException e) {
            throw EnvdErrors.fromConnect(guest.sandboxId(), "typing into the terminal of process " + pid, e, faults);
        }
    }

    /** Changes the terminal size of process {@code pid} (the shell gets SIGWINCH). */
    public void resizePty(int pid, int cols, int rows) {
        UpdateRequest request = UpdateRequest.newBuilder()
                .setProcess(ProcessSelector.newBuilder().setPid(pid))
                .setPty(PTY.newBuilder()
                        .setSize(PTY.Size.newBuilder().setCols(cols).setRows(rows)))
                .build();
        try {
            connect.unary(UPDATE, request, UpdateResponse.getDefaultInstance(), headers(""), shortCall());
        } catch (ConnectException e) {
            throw EnvdErrors.fromConnect(guest.sandboxId(), "resizing the terminal of process " + pid, e, faults);
        }
    }

    /** The entries of {@code path} down to {@code depth} levels, as {@code user} sees them. */
    public List<EntryInfo> listDir(String path, int depth, String user) {
        ListDirRequest request =
                ListDirRequest.newBuilder().setPath(path).setDepth(depth).build();
        try {
            return connect.unary(LIST_DIR, request, ListDirResponse.getDefaultInstance(), headers(user), shortCall())
                    .getEntriesList();
        } catch (ConnectException e) {
            throw EnvdErrors.fromConnect(guest.sandboxId(), "listing " + path, e, faults);
        }
    }

    /** One {@code GET /metrics}: CPU and memory use now. */
    public GuestMetrics metrics() {
        return http.metrics(shortCall());
    }

    /** Streams {@code content} into {@code path} (created or truncated, parents created) as {@code user}. */
    public void writeFile(String path, String user, InputStream content) {
        http.writeFile(path, user, content);
    }

    /** Opens {@code path} for reading as {@code user}; NOT_FOUND when it does not exist. Close the stream. */
    public FileDownload readFile(String path, String user) {
        EnvdHttp.Download download = http.readFile(path, user);
        return new FileDownload(download.body(), download.length());
    }

    public EntryInfo stat(String path, String user) {
        try {
            StatRequest request = StatRequest.newBuilder().setPath(path).build();
            return connect.unary(STAT, request, StatResponse.getDefaultInstance(), headers(user), shortCall())
                    .getEntry();
        } catch (ConnectException e) {
            throw EnvdErrors.fromConnect(guest.sandboxId(), "inspecting " + path, e, faults);
        }
    }

    /** A file being read from the guest; {@code length} is -1 when the guest did not say. */
    public record FileDownload(InputStream body, long length) {}

    private static ProcessConfig config(ProcessSpec spec) {
        ProcessConfig.Builder config = ProcessConfig.newBuilder()
                .setCmd(spec.cmd())
                .addAllArgs(spec.args())
                .putAllEnvs(spec.envs());
        if (!spec.cwd().isEmpty()) {
            config.setCwd(spec.cwd());
        }
        return config.build();
    }

    /** The token, and the user as Basic auth's username (how the guest agent's RPCs learn who acts). */
    private Map<String, String> headers(String user) {
        Map<String, String> headers = new HashMap<>();
        if (!guest.accessToken().isEmpty()) {
            headers.put(ACCESS_TOKEN_HEADER, guest.accessToken());
        }
        if (!user.isEmpty()) {
            String basic = Base64.getEncoder().encodeToString((user + ":").getBytes(StandardCharsets.UTF_8));
            headers.put("Authorization", "Basic " + basic);
        }
        return headers;
    }

    static HostAgentException timedOut(String sandboxId, ProcessSpec spec, Duration timeout, Throwable cause) {
        return new HostAgentException(
                ErrorCode.DEADLINE_EXCEEDED,
                EnvdErrors.describe(sandboxId, "running `" + spec.cmd() + "`", "did not finish within " + timeout),
                cause);
    }
}
