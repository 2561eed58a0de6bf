package dev.jetpack.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionComparatorTest {
    @Test
    void ordersLikeSemVerWithSensibleFallbacks() {
        List<String> versions = new ArrayList<>(Arrays.asList("1.10.0", "1.9.2", "1.0.0", "1.0.0-rc.1", "1.0.0-alpha",
                "2", "0.9", null, "1.0.0-rc.10", "10.0", "1.2", "1.2.1"));
        versions.sort(VersionComparator.INSTANCE);
        assertThat(versions).containsExactly(null, "0.9", "1.0.0-alpha", "1.0.0-rc.1", "1.0.0-rc.10", "1.0.0", "1.2",
                "1.2.1", "1.9.2", "1.10.0", "2", "10.0");
    }

    @Test
    void missingPartsCountAsZeroAndBuildMetadataOnlyBreaksTies() {
        assertThat(VersionComparator.INSTANCE.compare("1.2", "1.2.0")).isZero();
        assertThat(VersionComparator.INSTANCE.compare("1.2.0+b2", "1.2.0+b1")).isPositive();
        assertThat(VersionComparator.INSTANCE.compare("1.2.1+b1", "1.2.0+b9")).isPositive();
        assertThat(VersionComparator.INSTANCE.compare("13.2-RELEASE", "13.2")).isNegative();
    }
}
