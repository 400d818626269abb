package dev.wrenn.host.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void aBareAddressIsItsSlash32AndHostBitsAreCleared() {
        assertThat(Cidr.parse("8.8.8.8")).hasToString("8.8.8.8");
        assertThat(Cidr.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
        assertThat(Cidr.parse("0.0.0.0/0")).isEqualTo(Cidr.ALL);
        assertThat(Cidr.parse("10.0.0.0/8").contains(Ipv4.parse("10.200.1.1"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(Ipv4.parse("11.0.0.1"))).isFalse();
    }

    @Test
    void anythingElseIsRefusedSayingWhat() {
        for (String bad :
                List.of("", "example.com", "1.2.3", "1.2.3.4/33", "256.1.1.1", "+1.2.3.4", "::1", "1.2.3.4/")) {
            assertThatThrownBy(() -> Cidr.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("`" + bad + "`");
        }
    }

    @Test
    void aPolicySurvivesItsSnapshotAttribute() {
        EgressPolicy policy =
                new EgressPolicy(false, List.of(Cidr.parse("1.2.3.4"), Cidr.parse("5.0.0.0/8")), List.of(Cidr.ALL));

        assertThat(EgressPolicy.decode(policy.encode())).isEqualTo(policy);
        assertThat(EgressPolicy.decode(EgressPolicy.UNSET.encode())).isEqualTo(EgressPolicy.UNSET);
    }
}
