package dev.wrenn.connect;

import com.google.protobuf.Message;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One Connect service (for example {@code process.Process}) and its methods. Built once at start and handed to the
 * server, which routes {@code POST /<service>/<method>} to the method's handler.
 */
public final class ConnectService {
    /** How a method is called. */
    public enum Kind {
        UNARY,
        SERVER_STREAMING,
        CLIENT_STREAMING
    }

    /** A method: its request prototype (to parse requests) and exactly one handler matching its kind. */
    public record Method(String name, Kind kind, Message requestPrototype, Object handler) {}

    private final String name;
    private final Map<String, Method> methods;

    private ConnectService(String name, Map<String, Method> methods) {
        this.name = name;
        this.methods = Map.copyOf(methods);
    }

    public static Builder builder(String fullyQualifiedName) {
        return new Builder(fullyQualifiedName);
    }

    public String name() {
        return name;
    }

    public Optional<Method> method(String methodName) {
        return Optional.ofNullable(methods.get(methodName));
    }

    public Map<String, Method> methods() {
        return methods;
    }

    public static final class Builder {
        private final String name;
        private final Map<String, Method> methods = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        public <I extends Message, O extends Message> Builder unary(
                String method, I requestPrototype, Handlers.Unary<I, O> handler) {
            return add(new Method(method, Kind.UNARY, requestPrototype, handler));
        }

        public <I extends Message, O extends Message> Builder serverStreaming(
                String method, I requestPrototype, Handlers.ServerStreaming<I, O> handler) {
            return add(new Method(method, Kind.SERVER_STREAMING, requestPrototype, handler));
        }

        public <I extends Message, O extends Message> Builder clientStreaming(
                String method, I requestPrototype, Handlers.ClientStreaming<I, O> handler) {
            return add(new Method(method, Kind.CLIENT_STREAMING, requestPrototype, handler));
        }

        private Builder add(Method method) {
            if (methods.putIfAbsent(method.name(), method) != null) {
                throw new IllegalArgumentException("method " + name + "/" + method.name() + " registered twice");
            }
            return this;
        }

        public ConnectService build() {
            return new ConnectService(name, methods);
        }
    }
}
