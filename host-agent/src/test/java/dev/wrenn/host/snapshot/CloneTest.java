package dev.wrenn.host.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.net.Slot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Templates and their clones with a real guest: isolation between clones, and a template that stays untouched. */
class CloneTest {
    @TempDir
    Path data;

    private GuestVms vms;

    @AfterEach
    void cleanUp() {
        if (vms != null) {
            vms.close();
        }
    }

    @Test
    void twoClonesOfOneTemplateStartFromItsStateAndDoNotSeeEachOthersMemoryOrDiskWrites() throws Exception {
        vms = new GuestVms(data);
        Slot source = vms.slot(32411);
        RestoredVm running = vms.boot("sb-source", source);
        GuestVms.get(source, "/cgi-bin/mem?from-template");
        GuestVms.get(source, "/cgi-bin/disk?template-disk");
        String blob = GuestVms.get(source, "/cgi-bin/blob");
        new Pauser(vms.store).pause("sb-source", running.vm(), running.spec());
        Snapshot template = new TemplateMaker(vms.store, vms.qemuImg).fromPaused("sb-source", "tpl");
        String ramBefore = sha256(template.files().ram());
        String diskBefore = sha256(template.files().disk());

        Cloner cloner = new Cloner(vms.store, vms.vmms, vms.qemuImg);
        Slot a = vms.slot(32412);
        Slot b = vms.slot(32413);
        RestoredVm cloneA = cloner.clone("tpl", vms.placement("sb-a", a));
        RestoredVm cloneB = cloner.clone("tpl", vms.placement("sb-b", b));
        vms.awaitAnswer(a, "/cgi-bin/counter", cloneA.spec());
        vms.awaitAnswer(b, "/cgi-bin/counter", cloneB.spec());

        assertThat(GuestVms.get(a, "/cgi-bin/blob")).isEqualTo(blob);
        assertThat(GuestVms.get(b, "/cgi-bin/mem")).isEqualTo("from-template");
        assertThat(GuestVms.get(a, "/cgi-bin/mem?written-by-a")).isEqualTo("written-by-a");
        assertThat(GuestVms.get(a, "/cgi-bin/disk?disk-of-a")).isEqualTo("disk-of-a");
        assertThat(GuestVms.get(b, "/cgi-bin/mem")).isEqualTo("from-template");
        assertThat(GuestVms.get(b, "/cgi-bin/disk")).isEqualTo("template-disk");
        assertThat(GuestVms.get(b, "/cgi-bin/mem?written-by-b")).isEqualTo("written-by-b");
        assertThat(GuestVms.get(a, "/cgi-bin/mem")).isEqualTo("written-by-a");
        assertThat(GuestVms.get(a, "/cgi-bin/disk")).isEqualTo("disk-of-a");

        cloneA.vm().stop(java.time.Duration.ofSeconds(5));
        cloneB.vm().stop(java.time.Duration.ofSeconds(5));
        assertThat(sha256(template.files().ram()))
                .as("template RAM after clones wrote")
                .isEqualTo(ramBefore);
        assertThat(sha256(template.files().disk()))
                .as("template disk after clones wrote")
                .isEqualTo(diskBefore);
        assertThat(vms.store.paused("sb-source"))
                .as("the source stays paused and resumable")
                .isPresent();
    }

    @Test
    void aPausedCloneKeepsItsOwnMemoryAndResumesIntoAFileItOwns() throws Exception {
        vms = new GuestVms(data);
        Slot slot = vms.slot(32414);
        RestoredVm running = vms.boot("sb-origin", slot);
        new Pauser(vms.store).pause("sb-origin", running.vm(), running.spec());
        new TemplateMaker(vms.store, vms.qemuImg).fromPaused("sb-origin", "tpl2");
        vms.store.deletePaused("sb-origin");
        RestoredVm clone = new Cloner(vms.store, vms.vmms, vms.qemuImg).clone("tpl2", vms.placement("sb-c", slot));
        vms.awaitAnswer(slot, "/cgi-bin/counter", clone.spec());
        GuestVms.get(slot, "/cgi-bin/mem?clone-memory");

        Snapshot paused = new Pauser(vms.store).pause("sb-c", clone.vm(), clone.spec());
        assertThat(paused.meta().memoryInState()).isTrue();
        assertThat(vms.store.template("tpl2")).isPresent();
        assertThatThrownBy(() -> new TemplateMaker(vms.store, vms.qemuImg).fromPaused("sb-c", "tpl3"))
                .isInstanceOf(HostAgentException.class)
                .hasMessageContaining("resume and pause it once more first");

        RestoredVm resumed = new Resumer(vms.store, vms.vmms).resume("sb-c", vms.placement("sb-c", slot));
        vms.awaitAnswer(slot, "/cgi-bin/counter", resumed.spec());
        assertThat(GuestVms.get(slot, "/cgi-bin/mem")).isEqualTo("clone-memory");
        assertThat(resumed.spec().ramFile())
                .isEqualTo(vms.placement("sb-c", slot).ramFile());

        Snapshot again = new Pauser(vms.store).pause("sb-c", resumed.vm(), resumed.spec());
        assertThat(again.meta().memoryInState())
                .as("a resumed clone owns a shared RAM file")
                .isFalse();
        RestoredVm third = new Resumer(vms.store, vms.vmms).resume("sb-c", vms.placement("sb-c", slot));
        vms.awaitAnswer(slot, "/cgi-bin/counter", third.spec());
        assertThat(GuestVms.get(slot, "/cgi-bin/mem")).isEqualTo("clone-memory");
    }

    @Test
    void cloningAnUnknownTemplateIsNotFound() throws Exception {
        vms = new GuestVms(data);
        assertThatThrownBy(() -> new Cloner(vms.store, vms.vmms, vms.qemuImg)
                        .clone("missing", vms.placement("sb-x", new Slot(32415))))
                .isInstanceOf(HostAgentException.class)
                .hasMessage("cloning template missing: no such template");
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
