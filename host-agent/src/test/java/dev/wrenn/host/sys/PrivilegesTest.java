package dev.wrenn.host.sys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrivilegesTest {

    @Test
    void theEffectiveUidIsTheSecondFieldOfTheUidLine() {
        assertThat(Privileges.effectiveUid("Name:\tjava\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n"))
                .isZero();
        assertThat(Privileges.effectiveUid("Uid:\t1000\t1000\t1000\t1000\n")).isEqualTo(1000);
        assertThat(Privileges.effectiveUid("Name:\tjava\n")).isEqualTo(-1);
    }
}
