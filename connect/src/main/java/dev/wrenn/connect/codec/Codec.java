package dev.wrenn.connect.codec;

import com.google.protobuf.Message;
import java.util.Locale;
import java.util.Optional;

/**
 * How messages are serialized: protobuf-JSON or binary protobuf. The codec name appears in the content types:
 * {@code application/<name>} for unary calls, {@code application/connect+<name>} for streams.
 */
public sealed interface Codec permits JsonCodec, ProtoCodec {
    /** {@code json} or {@code proto}. */
    String name();

    byte[] encode(Message message);

    /**
     * Parses {@code bytes} as a message of the prototype's type.
     *
     * @throws dev.wrenn.connect.ConnectException {@code invalid_argument} saying what was wrong with the input
     */
    <T extends Message> T decode(byte[] bytes, T prototype);

    default String unaryContentType() {
        return "application/" + name();
    }

    default String streamContentType() {
        return "application/connect+" + name();
    }

    /** JSON that skips unknown fields (forward compatible) but rejects unknown enum names. */
    static Codec json() {
        return JsonCodec.DEFAULT;
    }

    static Codec proto() {
        return ProtoCodec.INSTANCE;
    }

    /** The codec a unary content type names ({@code application/json; charset=utf-8} included), if any. */
    static Optional<Codec> forUnaryContentType(String contentType) {
        return switch (mediaType(contentType)) {
            case "application/json" -> Optional.of(json());
            case "application/proto" -> Optional.of(proto());
            default -> Optional.empty();
        };
    }

    /** The codec a streaming content type names, if any. */
    static Optional<Codec> forStreamContentType(String contentType) {
        return switch (mediaType(contentType)) {
            case "application/connect+json" -> Optional.of(json());
            case "application/connect+proto" -> Optional.of(proto());
            default -> Optional.empty();
        };
    }

    /** The type/subtype part of a Content-Type value, lower-cased, parameters dropped. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.strip().toLowerCase(Locale.ROOT);
    }
}
