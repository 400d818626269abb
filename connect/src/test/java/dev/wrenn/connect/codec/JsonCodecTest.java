package dev.wrenn.connect.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.protocol.envd.filesystem.EntryInfo;
import dev.wrenn.protocol.envd.filesystem.FileType;
import dev.wrenn.protocol.envd.filesystem.StatRequest;
import dev.wrenn.protocol.envd.filesystem.StatResponse;
import dev.wrenn.protocol.envd.filesystem.WatchDirRequest;
import dev.wrenn.protocol.envd.filesystem.WatchDirResponse;
import dev.wrenn.protocol.envd.process.ProcessConfig;
import dev.wrenn.protocol.envd.process.ProcessEvent;
import dev.wrenn.protocol.envd.process.SendSignalRequest;
import dev.wrenn.protocol.envd.process.Signal;
import dev.wrenn.protocol.envd.process.StartRequest;
import dev.wrenn.protocol.envd.process.StartResponse;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
    private final Codec codec = Codec.json();

    private String encode(com.google.protobuf.Message message) {
        return new String(codec.encode(message), StandardCharsets.UTF_8);
    }

    private <T extends com.google.protobuf.Message> T decode(String json, T prototype) {
        return codec.decode(json.getBytes(StandardCharsets.UTF_8), prototype);
    }

    @Test
    void int64IsAStringEnumsAreNamesNamesAreCamelCaseAndThereIsNoWhitespace() {
        StatResponse response = StatResponse.newBuilder()
                .setEntry(EntryInfo.newBuilder()
                        .setName("a.txt")
                        .setType(FileType.FILE_TYPE_FILE)
                        .setSize(5)
                        .setMode(0644)
                        .setModifiedTime(Timestamp.newBuilder().setSeconds(1767225600))
                        .setSymlinkTarget("/x"))
                .build();

        assertThat(encode(response))
                .isEqualTo("{\"entry\":{\"name\":\"a.txt\",\"type\":\"FILE_TYPE_FILE\",\"size\":\"5\",\"mode\":420,"
                        + "\"modifiedTime\":\"2026-01-01T00:00:00Z\",\"symlinkTarget\":\"/x\"}}");
    }

    @Test
    void defaultValuesAreOmittedButPresentEmptyMessagesAreKept() {
        assertThat(encode(StatResponse.getDefaultInstance())).isEqualTo("{}");
        assertThat(encode(WatchDirResponse.newBuilder()
                        .setStart(WatchDirResponse.StartEvent.getDefaultInstance())
                        .build()))
                .isEqualTo("{\"start\":{}}");
        assertThat(encode(StartResponse.newBuilder()
                        .setEvent(ProcessEvent.newBuilder()
                                .setEnd(ProcessEvent.EndEvent.newBuilder()
                                        .setExitCode(0)
                                        .setExited(true)))
                        .build()))
                .isEqualTo("{\"event\":{\"end\":{\"exited\":true}}}");
    }

    @Test
    void explicitlyPresentOptionalFieldsAreWrittenEvenWhenFalse() {
        StartRequest request = StartRequest.newBuilder()
                .setProcess(ProcessConfig.newBuilder().setCmd("/bin/true"))
                .setStdin(false)
                .build();

        assertThat(encode(request)).isEqualTo("{\"process\":{\"cmd\":\"/bin/true\"},\"stdin\":false}");
    }

    @Test
    void bytesAreBase64() {
        StartResponse response = StartResponse.newBuilder()
                .setEvent(ProcessEvent.newBuilder()
                        .setData(ProcessEvent.DataEvent.newBuilder().setStdout(ByteString.copyFromUtf8("hello\n"))))
                .build();

        assertThat(encode(response)).isEqualTo("{\"event\":{\"data\":{\"stdout\":\"aGVsbG8K\"}}}");
        assertThat(decode("{\"event\":{\"data\":{\"stdout\":\"aGVsbG8K\"}}}", StartResponse.getDefaultInstance()))
                .isEqualTo(response);
    }

    @Test
    void whatTheSdkSendsParses() {
        String json = "{\"process\":{\"cmd\":\"/bin/bash\",\"args\":[\"-l\",\"-c\",\"echo hello\"],"
                + "\"envs\":{\"X\":\"1\"}},\"stdin\":false}";

        StartRequest request = decode(json, StartRequest.getDefaultInstance());

        assertThat(request.getProcess().getArgsList()).containsExactly("-l", "-c", "echo hello");
        assertThat(request.getProcess().getEnvsMap()).containsEntry("X", "1");
        assertThat(request.hasStdin()).isTrue();
        assertThat(request.getStdin()).isFalse();
        assertThat(decode(
                                "{\"process\":{\"pid\":1},\"signal\":\"SIGNAL_SIGKILL\"}",
                                SendSignalRequest.getDefaultInstance())
                        .getSignal())
                .isEqualTo(Signal.SIGNAL_SIGKILL);
        assertThat(decode("{\"path\":\"/home\",\"includeEntry\":true}", WatchDirRequest.getDefaultInstance())
                        .getIncludeEntry())
                .isTrue();
    }

    @Test
    void int64AcceptsNumbersAsWellAsStringsAndProtoFieldNamesAreAccepted() {
        StatResponse fromNumber = decode("{\"entry\":{\"size\":12345678901234567}}", StatResponse.getDefaultInstance());
        StatResponse fromString = decode("{\"entry\":{\"size\":\"5\"}}", StatResponse.getDefaultInstance());
        WatchDirRequest snake = decode("{\"include_entry\":true}", WatchDirRequest.getDefaultInstance());

        assertThat(fromNumber.getEntry().getSize()).isEqualTo(12345678901234567L);
        assertThat(fromString.getEntry().getSize()).isEqualTo(5);
        assertThat(snake.getIncludeEntry()).isTrue();
    }

    @Test
    void unknownFieldsAreSkippedAtEveryDepth() {
        StatResponse response = decode(
                "{\"future\":1,\"entry\":{\"name\":\"a\",\"newField\":{\"x\":[1]},\"metadata\":{\"k\":\"v\"}}}",
                StatResponse.getDefaultInstance());

        assertThat(response.getEntry().getName()).isEqualTo("a");
        assertThat(response.getEntry().getMetadataMap()).containsEntry("k", "v");
    }

    @Test
    void aStrictCodecRejectsUnknownFields() {
        Codec strict = new JsonCodec(false);

        assertInvalidArgument(
                () -> strict.decode("{\"nope\":1}".getBytes(StandardCharsets.UTF_8), StatRequest.getDefaultInstance()),
                "nope");
    }

    @Test
    void anUnknownEnumNameIsInvalidArgumentNamingTheValue() {
        assertInvalidArgument(
                () -> decode("{\"signal\":\"SIGNAL_SIGWHAT\"}", SendSignalRequest.getDefaultInstance()),
                "SIGNAL_SIGWHAT");
    }

    @Test
    void malformedJsonIsInvalidArgumentNamingTheMessageType() {
        assertInvalidArgument(() -> decode("{\"path\":", StatRequest.getDefaultInstance()), "malformed JSON");
        assertInvalidArgument(() -> decode("{path:'x'}", StatRequest.getDefaultInstance()), "filesystem.StatRequest");
        assertInvalidArgument(() -> decode("{} {}", StatRequest.getDefaultInstance()), "after the JSON value");
        assertThatThrownBy(() -> decode("{path:'x'}", StatRequest.getDefaultInstance()))
                .hasMessageContaining("syntax error at line 1")
                .hasMessageNotContaining("LENIENT");
    }

    @Test
    void aValueOfTheWrongTypeIsInvalidArgument() {
        assertInvalidArgument(() -> decode("{\"path\":{}}", StatRequest.getDefaultInstance()), "expected type: STRING");
        assertInvalidArgument(
                () -> decode("[1]", StatRequest.getDefaultInstance()), "expected an object, got an array");
    }

    @Test
    void anEmptyBodyIsInvalidArgument() {
        assertInvalidArgument(() -> decode("", StatRequest.getDefaultInstance()), "the body is empty");
    }

    private static void assertInvalidArgument(ThrowingCallable call, String messagePart) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
                .hasMessageStartingWith("cannot parse ")
                .hasMessageContaining(messagePart);
    }
}
