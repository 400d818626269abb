package dev.wrenn.connect.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.ConnectService;
import dev.wrenn.connect.codec.Codec;
import dev.wrenn.connect.codec.EnvelopeReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves Connect-protocol services on the JDK HTTP server: {@code POST /<service>/<method>} with the JSON or binary
 * codec, unary, server-streaming and client-streaming. Mount it on each of {@link #contextPaths()}. Handlers run on
 * the server's executor thread for the exchange; give the server a virtual-thread executor, since streams hold their
 * thread for their whole life.
 */
public final class ConnectHttpHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(ConnectHttpHandler.class);

    /** @param maxMessageBytes the largest request message accepted (unary body or one envelope) */
    public record Options(int maxMessageBytes) {
        public Options {
            if (maxMessageBytes <= 0) {
                throw new IllegalArgumentException("max message size must be positive, got " + maxMessageBytes);
            }
        }

        public static Options defaults() {
            return new Options(EnvelopeReader.DEFAULT_MAX_MESSAGE_BYTES);
        }
    }

    private final Map<String, ConnectService> services = new LinkedHashMap<>();
    private final Options options;

    public ConnectHttpHandler(List<ConnectService> services) {
        this(services, Options.defaults());
    }

    public ConnectHttpHandler(List<ConnectService> services, Options options) {
        for (ConnectService service : services) {
            if (this.services.putIfAbsent(service.name(), service) != null) {
                throw new IllegalArgumentException("service " + service.name() + " given twice");
            }
        }
        this.options = options;
    }

    /** {@code /<service>/} for each service: the contexts to mount this handler on. */
    public List<String> contextPaths() {
        return services.keySet().stream().map(name -> "/" + name + "/").toList();
    }

    @Override
    public void handle(HttpExchange exchange) {
        try (exchange) {
            dispatch(exchange);
        } catch (RuntimeException | Error e) {
            // The JDK server would only drop the connection; log what went wrong and keep serving.
            log.error("serving {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        }
    }

    private void dispatch(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        Optional<Route> route = route(path);
        if (route.isEmpty()) {
            UnaryResponse.reject(exchange, 404, new ConnectException(Code.UNIMPLEMENTED, "no procedure " + path));
            return;
        }
        ConnectService.Method method = route.get().method();
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            UnaryResponse.reject(
                    exchange,
                    405,
                    new ConnectException(
                            Code.UNIMPLEMENTED,
                            exchange.getRequestMethod() + " " + path + " is not supported: Connect calls use POST"));
            return;
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        boolean unary = method.kind() == ConnectService.Kind.UNARY;
        Optional<Codec> codec =
                unary ? Codec.forUnaryContentType(contentType) : Codec.forStreamContentType(contentType);
        if (codec.isEmpty()) {
            rejectContentType(exchange, path, contentType, unary);
            return;
        }
        new MethodCall(exchange, route.get().service(), method, codec.get(), options.maxMessageBytes()).run();
    }

    private static void rejectContentType(HttpExchange exchange, String path, String contentType, boolean unary) {
        String accepted = unary
                ? "application/json, application/proto"
                : "application/connect+json, " + "application/connect+proto";
        exchange.getResponseHeaders().set("Accept-Post", accepted);
        UnaryResponse.reject(
                exchange,
                415,
                new ConnectException(
                        Code.UNIMPLEMENTED,
                        "unsupported content type '" + contentType + "' for " + path + ": expected " + accepted));
    }

    private record Route(String service, ConnectService.Method method) {}

    private Optional<Route> route(String path) {
        int slash = path.lastIndexOf('/');
        if (!path.startsWith("/") || slash <= 1) {
            return Optional.empty();
        }
        String serviceName = path.substring(1, slash);
        String methodName = path.substring(slash + 1);
        return Optional.ofNullable(services.get(serviceName))
                .flatMap(service -> service.method(methodName))
                .map(method -> new Route(serviceName, method));
    }
}
