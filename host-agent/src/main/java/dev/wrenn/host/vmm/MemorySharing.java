package dev.wrenn.host.vmm;

/**
 * How the VM maps its RAM file. A sandbox owns its file and maps it {@code SHARED}, so a pause leaves guest memory
 * in the file. A clone maps its template's file {@code PRIVATE}: copy-on-write, so clones share the template's
 * unmodified pages in the host page cache and never write the template.
 */
public enum MemorySharing {
    SHARED,
    PRIVATE
}
