package dev.wrenn.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.wrenn.control.ControlPlaneApp;
import dev.wrenn.control.config.DatabaseSettings;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.FakeHostAgent;
import dev.wrenn.control.testing.TestServer;
import io.javalin.Javalin;
import io.javalin.websocket.WsHandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiSpecTest {
    private static final Set<String> HTTP_METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options");

    @Test
    void everyRouteIsInTheSpecAndEveryOperationInTheSpecIsARoute(@TempDir Path dir) throws IOException {
        try (Database database = Database.open(new DatabaseSettings.Sqlite(dir.resolve("wrenn.db")))) {
            Javalin app = ControlPlaneApp.create(TestServer.config(dir), database, new FakeHostAgent());

            assertThat(specOperations()).isEqualTo(routes(app));
        }
    }

    @Test
    void everyOperationDocumentsItsResponses() throws IOException {
        JsonNode paths = spec().get("paths");
        paths.properties()
                .forEach(path -> path.getValue().properties().forEach(operation -> {
                    if (HTTP_METHODS.contains(operation.getKey())) {
                        assertThat(operation.getValue().path("responses").size())
                                .as("%s %s", operation.getKey(), path.getKey())
                                .isPositive();
                    }
                }));
    }

    @Test
    void theWebSocketRoutesAreExactlyTheOperationsMarkedAsWebSockets(@TempDir Path dir) throws IOException {
        try (Database database = Database.open(new DatabaseSettings.Sqlite(dir.resolve("wrenn.db")))) {
            Javalin app = ControlPlaneApp.create(TestServer.config(dir), database, new FakeHostAgent());

            Set<String> marked = new TreeSet<>();
            spec().get("paths")
                    .properties()
                    .forEach(path -> path.getValue().properties().forEach(operation -> {
                        if (operation.getValue().path("x-websocket").asBoolean(false)) {
                            marked.add(operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                        }
                    }));
            assertThat(marked).isEqualTo(webSocketRoutes(app)).isNotEmpty();
        }
    }

    /** HTTP routes and WebSocket routes; a WebSocket is documented as the GET that asks for the upgrade. */
    private static Set<String> routes(Javalin app) {
        Set<String> routes = new TreeSet<>();
        app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod())
                .forEach(endpoint -> routes.add(endpoint.method.name() + " " + endpoint.path));
        routes.addAll(webSocketRoutes(app));
        return routes;
    }

    private static Set<String> webSocketRoutes(Javalin app) {
        Set<String> routes = new TreeSet<>();
        app.unsafe.internalRouter.allWsHandlers().stream()
                .filter(entry -> entry.getType() == WsHandlerType.WEBSOCKET)
                .forEach(entry -> routes.add("GET " + entry.getPath()));
        return routes;
    }

    private static Set<String> specOperations() throws IOException {
        Set<String> operations = new TreeSet<>();
        spec().get("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(operation -> {
                    if (HTTP_METHODS.contains(operation.getKey())) {
                        operations.add(operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                    }
                }));
        return operations;
    }

    private static JsonNode spec() throws IOException {
        try (InputStream in = OpenApiSpecTest.class.getResourceAsStream("/openapi.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }
}
