package dev.wrenn.connect.codec;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/**
 * Protobuf-JSON as connect-web speaks it: camelCase names, default values omitted, enums as names, 64-bit integers as
 * strings, bytes as base64, no insignificant whitespace. Parsing is strict about syntax and enum names; unknown fields
 * are skipped unless the codec was built to reject them, so a newer SDK sending a field we lack still works.
 */
public final class JsonCodec implements Codec {
    static final JsonCodec DEFAULT = new JsonCodec(true);

    private final JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();
    // Never ignoringUnknownFields(): that would also silently drop unknown enum names. Unknown fields are pruned
    // from the tree beforehand instead.
    private final JsonFormat.Parser parser = JsonFormat.parser();
    private final boolean skipUnknownFields;

    /** @param skipUnknownFields true to drop fields the message type does not define, false to reject them */
    public JsonCodec(boolean skipUnknownFields) {
        this.skipUnknownFields = skipUnknownFields;
    }

    @Override
    public String name() {
        return "json";
    }

    @Override
    public byte[] encode(Message message) {
        try {
            return printer.print(message).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            // Only Any with an unregistered type gets here; a programming error on our side.
            throw new IllegalStateException(
                    "cannot print " + message.getDescriptorForType().getFullName() + " as JSON: " + e.getMessage(), e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends Message> T decode(byte[] bytes, T prototype) {
        String typeName = prototype.getDescriptorForType().getFullName();
        JsonElement tree = parseStrictly(new String(bytes, StandardCharsets.UTF_8), typeName);
        if (!tree.isJsonObject()) {
            throw ConnectException.invalidArgument(
                    "cannot parse " + typeName + " from JSON: expected an object, got " + describe(tree));
        }
        if (skipUnknownFields) {
            UnknownFieldPruner.prune(tree.getAsJsonObject(), prototype.getDescriptorForType());
        }
        Message.Builder builder = prototype.newBuilderForType();
        try {
            parser.merge(tree.toString(), builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new ConnectException(
                    Code.INVALID_ARGUMENT, "cannot parse " + typeName + " from JSON: " + e.getMessage(), e);
        }
        return (T) builder.build();
    }

    private static JsonElement parseStrictly(String json, String typeName) {
        if (json.isBlank()) {
            throw ConnectException.invalidArgument("cannot parse " + typeName + " from JSON: the body is empty");
        }
        try (JsonReader reader = new JsonReader(new StringReader(json))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement tree = JsonParser.parseReader(reader);
            if (!atEnd(reader)) {
                throw new JsonParseException("unexpected data after the JSON value at " + reader.getPath());
            }
            return tree;
        } catch (JsonParseException | IOException e) {
            throw new ConnectException(
                    Code.INVALID_ARGUMENT,
                    "cannot parse " + typeName + " from JSON: malformed JSON: " + syntaxError(e),
                    e);
        }
    }

    private static boolean atEnd(JsonReader reader) {
        try {
            return reader.peek() == JsonToken.END_DOCUMENT;
        } catch (IOException | JsonParseException e) {
            return false; // in strict mode a second top-level value is itself a syntax error
        }
    }

    /** Gson's message minus its advice to go lenient, which is not advice our clients can take. */
    private static String syntaxError(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
        return message.replace(
                "Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "syntax error");
    }

    private static String describe(JsonElement tree) {
        if (tree.isJsonArray()) {
            return "an array";
        }
        if (tree.isJsonNull()) {
            return "null";
        }
        var primitive = tree.getAsJsonPrimitive();
        return primitive.isString() ? "a string" : primitive.isNumber() ? "a number" : "a boolean";
    }
}
