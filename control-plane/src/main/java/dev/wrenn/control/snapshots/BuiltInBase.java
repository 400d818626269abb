package dev.wrenn.control.snapshots;

import dev.wrenn.control.db.Template;
import dev.wrenn.control.db.TemplateType;
import dev.wrenn.control.sandboxes.SandboxSpec;

/**
 * The base image every host agent ships. It has no row (nothing about it is per team) and no creation time, and it
 * fixes no sizes: a sandbox booted from it takes the requested ones.
 */
final class BuiltInBase {
    static final Template TEMPLATE = new Template(
            SandboxSpec.DEFAULT_TEMPLATE, null, SandboxSpec.DEFAULT_TEMPLATE, TemplateType.BASE, null, null, 0, null);

    private BuiltInBase() {}
}
