package dev.wrenn.control.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;

/** Finds the app's one {@link ObjectMapper} from a request, so request parsing and responses agree. */
final class ApiJson {
    private ApiJson() {}

    static ObjectMapper mapper(Context ctx) {
        return ((JavalinJackson) ctx.jsonMapper()).getMapper();
    }
}
