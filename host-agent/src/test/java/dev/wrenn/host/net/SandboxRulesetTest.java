package dev.wrenn.host.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxRulesetTest {
    private final Slot slot = new Slot(7);
    private final NetworkConfig off = NetworkConfig.isolated();

    @Test
    void theSlotsHostIpIsDnatedToTheGuest() {
        assertThat(SandboxRuleset.netns(slot, List.of(), off, EgressPolicy.UNSET))
                .contains("table ip wrenn")
                .contains("iifname \"eth0\" ip daddr 10.11.0.7 dnat to 169.254.0.21");
    }

    @Test
    void everyPacketOfAConnectionTheGuestStartedIsCheckedNotOnlyTheFirst() {
        String rules = SandboxRuleset.netns(slot, List.of(), off, EgressPolicy.UNSET);

        assertThat(rules).doesNotContain("ct state established,related accept").contains("ct direction reply accept");
        assertThat(rules.indexOf("ip daddr @never goto refuse"))
                .isLessThan(rules.indexOf("ip daddr @opened goto sandbox_policy"))
                .isLessThan(rules.indexOf("ip daddr @special goto refuse"));
    }

    @Test
    void theHostsAddressesAndTheAlwaysBlockedRangesAreInTheSets() {
        String rules = SandboxRuleset.netns(slot, List.of(Ipv4.parse("192.168.1.5")), off, EgressPolicy.UNSET);

        assertThat(rules)
                .contains("set never { type ipv4_addr; flags interval; auto-merge; elements = { 127.0.0.0/8, "
                        + "169.254.0.0/16, 10.11.0.0/16, 10.12.0.0/16, 192.168.1.5 }; }")
                .contains("10.0.0.0/8, 100.64.0.0/10")
                .contains("224.0.0.0/4");
    }

    @Test
    void theOperatorsOpenedRangesSkipOnlyTheSpecialSet() {
        String rules = SandboxRuleset.netns(
                slot, List.of(), new NetworkConfig(false, List.of(Cidr.parse("198.18.0.0/15"))), EgressPolicy.UNSET);

        assertThat(rules)
                .contains("set opened { type ipv4_addr; flags interval; auto-merge; elements = { 198.18.0.0/15 }; }");
    }

    @Test
    void withoutSayingTheSandboxGetsTheOperatorsDefault() {
        assertThat(SandboxRuleset.policyUpdate(EgressPolicy.UNSET, false)).endsWith("sandbox_policy goto refuse\n");
        assertThat(SandboxRuleset.policyUpdate(EgressPolicy.UNSET, true)).endsWith("sandbox_policy accept\n");
    }

    @Test
    void allowOutWinsOverDenyOutAndTheSandboxsOwnSayWinsOverTheOperator() {
        EgressPolicy policy = new EgressPolicy(
                true, List.of(Cidr.parse("8.8.8.8")), List.of(Cidr.parse("8.0.0.0/8"), Cidr.parse("9.9.9.9")));

        String update = SandboxRuleset.policyUpdate(policy, false);

        assertThat(update)
                .startsWith(
                        "flush set ip wrenn allow_out\nflush set ip wrenn deny_out\nflush chain ip wrenn sandbox_policy\n")
                .contains("add element ip wrenn allow_out { 8.8.8.8 }")
                .contains("add element ip wrenn deny_out { 8.0.0.0/8, 9.9.9.9 }")
                .endsWith("sandbox_policy ip daddr @allow_out accept\n"
                        + "add rule ip wrenn sandbox_policy ip daddr @deny_out goto refuse\n"
                        + "add rule ip wrenn sandbox_policy accept\n");
    }

    @Test
    void theHostSideLetsTheSlotOutByAnyDeviceButAnotherSandboxsVeth() {
        assertThat(SandboxRuleset.hostEgress(slot))
                .contains("table ip wrenn-egress-7")
                .contains("iifname \"wrenn-v7\" oifname \"wrenn-v*\" drop")
                .contains("ip saddr 10.12.0.15 oifname != \"wrenn-v*\" masquerade");
    }
}
