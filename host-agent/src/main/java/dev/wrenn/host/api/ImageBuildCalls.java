package dev.wrenn.host.api;

import dev.wrenn.host.oci.BuildLog;
import dev.wrenn.host.oci.Cancellation;
import dev.wrenn.host.oci.ImageConfig;
import dev.wrenn.host.oci.PreparedImage;
import dev.wrenn.host.sandbox.ImageBuildRequest;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.protocol.hostagent.v1.BuildImageTemplateProgress;
import dev.wrenn.protocol.hostagent.v1.BuildImageTemplateRequest;
import dev.wrenn.protocol.hostagent.v1.BuildImageTemplateResult;
import dev.wrenn.protocol.hostagent.v1.BuildLogLine;
import io.grpc.stub.ServerCallStreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BuildImageTemplate: runs the build on its own thread, streams each log line as it is written and ends with the
 * image's config; a failure ends the stream with the error's status. Cancelling the call (the client's cancel, its
 * deadline, a dropped connection) stops the build, which removes what it made.
 */
final class ImageBuildCalls {
    private static final Logger log = LoggerFactory.getLogger(ImageBuildCalls.class);
    private static final int MAX_LINE = 8192;

    private final SandboxManager manager;

    ImageBuildCalls(SandboxManager manager) {
        this.manager = manager;
    }

    void build(BuildImageTemplateRequest request, ServerCallStreamObserver<BuildImageTemplateProgress> observer) {
        Cancellation cancellation = new Cancellation();
        observer.setOnCancelHandler(cancellation::cancel);
        ImageBuildRequest build = new ImageBuildRequest(
                request.getTemplateId(),
                request.getImage(),
                request.getRegistryUsername(),
                request.getRegistryPassword(),
                (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(request.getVcpus())),
                (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(request.getMemoryMb())),
                request.getDiskSizeMb() < 0 ? Long.MAX_VALUE : request.getDiskSizeMb());
        Thread.ofVirtual().name("build-" + request.getTemplateId()).start(() -> run(build, observer, cancellation));
    }

    private void run(
            ImageBuildRequest build,
            ServerCallStreamObserver<BuildImageTemplateProgress> observer,
            Cancellation cancellation) {
        BuildLog lines = (level, message) -> {
            log.debug("build {}: {}", build.templateId(), message);
            send(
                    observer,
                    cancellation,
                    BuildImageTemplateProgress.newBuilder()
                            .setLog(BuildLogLine.newBuilder()
                                    .setTimestampMs(System.currentTimeMillis())
                                    .setLevel(level)
                                    .setMessage(message.length() > MAX_LINE ? message.substring(0, MAX_LINE) : message))
                            .build());
        };
        try {
            log.info("building {}", build);
            PreparedImage image = manager.buildImageTemplate(build, lines, cancellation);
            send(
                    observer,
                    cancellation,
                    BuildImageTemplateProgress.newBuilder()
                            .setResult(result(image))
                            .build());
            synchronized (observer) {
                if (!cancellation.isCancelled()) {
                    observer.onCompleted();
                }
            }
        } catch (RuntimeException e) {
            log.info("build of template {} failed: {}", build.templateId(), e.getMessage());
            synchronized (observer) {
                if (!cancellation.isCancelled()) {
                    observer.onError(GrpcErrors.toStatus(e));
                }
            }
        }
    }

    private static BuildImageTemplateResult result(PreparedImage image) {
        ImageConfig config = image.config();
        return BuildImageTemplateResult.newBuilder()
                .putAllEnv(config.env())
                .setWorkdir(config.workdir())
                .setUser(config.user())
                .addAllEntrypoint(config.entrypoint())
                .addAllCmd(config.cmd())
                .setImageDigest(image.digest())
                .build();
    }

    private static void send(
            ServerCallStreamObserver<BuildImageTemplateProgress> observer,
            Cancellation cancellation,
            BuildImageTemplateProgress message) {
        synchronized (observer) {
            if (!cancellation.isCancelled() && !observer.isCancelled()) {
                observer.onNext(message);
            }
        }
    }
}
