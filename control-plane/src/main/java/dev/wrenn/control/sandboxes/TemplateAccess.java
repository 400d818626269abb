package dev.wrenn.control.sandboxes;

import dev.wrenn.control.db.Template;
import dev.wrenn.control.db.TemplateRepository;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.ids.Ids;
import java.util.Optional;

/**
 * Decides what a create may boot, before the host agent is asked: the host agent clones any template it stores by the
 * name it is given, so this is the one place where a team's templates are kept from other teams.
 *
 * <p>A requested name is, in this order: one of the team's own template names; a template id ({@code tpl-…}) of a
 * template the team owns, that its owner made public, or that is global; a global base image row's name; else the name
 * of an image the host ships (such as {@code base}), which is no team's. An id of another team's private template is
 * as unknown as a made-up one (404), so the answer does not reveal that it exists.
 */
public final class TemplateAccess {
    private final TemplateRepository templates;

    public TemplateAccess(TemplateRepository templates) {
        this.templates = templates;
    }

    /** What the host agent boots for {@code requested}, and the sizes the template fixes (null: the requested ones). */
    public record BootSource(String agentName, Integer vcpus, Integer memoryMb) {
        static BootSource of(Template template) {
            return new BootSource(template.id(), template.vcpus(), template.memoryMb());
        }

        static BootSource image(String name) {
            return new BootSource(name, null, null);
        }
    }

    /** @throws ApiException 404 for a template id the team may not use */
    public BootSource resolve(String teamId, String requested) {
        Optional<Template> own = templates.find(teamId, requested);
        if (own.isPresent()) {
            return BootSource.of(own.get());
        }
        if (Ids.isTemplateId(requested)) {
            return templates
                    .findById(requested)
                    .filter(t -> mayBoot(teamId, t))
                    .map(BootSource::of)
                    .orElseThrow(() -> ApiException.notFound("template " + requested + " not found"));
        }
        return templates.findGlobal(requested).map(BootSource::of).orElseGet(() -> BootSource.image(requested));
    }

    /** Whether the team may boot the template: its own, a public one, or a global one. */
    public static boolean mayBoot(String teamId, Template template) {
        return template.teamId() == null || template.teamId().equals(teamId) || template.isPublic();
    }
}
