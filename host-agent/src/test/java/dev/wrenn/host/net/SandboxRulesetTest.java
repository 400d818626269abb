package dev.wrenn.host.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxRulesetTest {
    private final Slot slot = new Slot(7);

    @Test
    void theSlotsHostIpIsDnatedToTheGuest() {
        assertThat(SandboxRuleset.netns(slot, false, List.of()))
                .contains("table ip wrenn")
                .contains("iifname \"eth0\" ip daddr 10.11.0.7 dnat to 169.254.0.21");
    }

    @Test
    void anIsolatedGuestCanStartNoConnection() {
        String rules = SandboxRuleset.netns(slot, false, List.of());

        assertThat(rules).contains("ct state established,related accept").contains("iifname \"tap0\" drop");
        assertThat(rules).doesNotContain("oifname \"eth0\" masquerade");
    }

    @Test
    void withEgressTheGuestIsMasqueradedButKeptAwayFromTheHostAndTheMetadataAddress() {
        String rules = SandboxRuleset.netns(slot, true, List.of(Ipv4.parse("192.168.1.5")));

        assertThat(rules)
                .contains("oifname \"eth0\" masquerade")
                .contains("ip daddr { 192.168.1.5, 10.11.0.0/16, 10.12.0.0/16, 169.254.169.254 } drop");
    }

    @Test
    void theHostSideOfEgressMasqueradesOnlyThisSlotThroughTheDefaultDevice() {
        assertThat(SandboxRuleset.hostEgress(slot, "ens3"))
                .contains("table ip wrenn-egress-7")
                .contains("ip saddr 10.12.0.15 oifname \"ens3\" masquerade")
                .contains("iifname \"wrenn-v7\" oifname \"ens3\" accept");
    }
}
