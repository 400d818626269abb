package dev.wrenn.connect.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;

/** Binary protobuf. */
public final class ProtoCodec implements Codec {
    static final ProtoCodec INSTANCE = new ProtoCodec();

    private ProtoCodec() {}

    @Override
    public String name() {
        return "proto";
    }

    @Override
    public byte[] encode(Message message) {
        return message.toByteArray();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends Message> T decode(byte[] bytes, T prototype) {
        try {
            return (T) prototype.getParserForType().parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ConnectException(
                    Code.INVALID_ARGUMENT,
                    "cannot parse " + prototype.getDescriptorForType().getFullName() + " from binary protobuf: "
                            + e.getMessage(),
                    e);
        }
    }
}
