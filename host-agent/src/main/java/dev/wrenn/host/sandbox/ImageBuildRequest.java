package dev.wrenn.host.sandbox;

/** A BuildImageTemplate request (credentials are never logged; see {@link #toString()}). */
public record ImageBuildRequest(
        String templateId, String image, String username, String password, int vcpus, int memoryMb, long diskSizeMb) {
    @Override
    public String toString() {
        return "ImageBuildRequest[templateId=%s, image=%s, vcpus=%d, memoryMb=%d, diskSizeMb=%d]"
                .formatted(templateId, image, vcpus, memoryMb, diskSizeMb);
    }
}
