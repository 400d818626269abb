package dev.wrenn.host;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The host agent's layers as docs/ARCHITECTURE.md draws them, each using only those below: api → sandbox → the VM's
 * parts (vmm, net, storage, image, guest, snapshot, oci) → sys, with error (the one exception family) under all of them
 * and the root package (HostAgent, its config and main) wiring everything and used by none. Main code only.
 */
class PackageDependencyTest {
    private static final JavaClasses HOST_AGENT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.wrenn.host");

    @Test
    void layersAreUsedOnlyFromAbove() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("wiring")
                .definedBy("dev.wrenn.host")
                .layer("api")
                .definedBy("dev.wrenn.host.api..")
                .layer("sandbox")
                .definedBy("dev.wrenn.host.sandbox..")
                .layer("vm parts")
                .definedBy(
                        "dev.wrenn.host.vmm..",
                        "dev.wrenn.host.net..",
                        "dev.wrenn.host.storage..",
                        "dev.wrenn.host.image..",
                        "dev.wrenn.host.guest..",
                        "dev.wrenn.host.snapshot..",
                        "dev.wrenn.host.oci..")
                .layer("sys")
                .definedBy("dev.wrenn.host.sys..")
                .layer("error")
                .definedBy("dev.wrenn.host.error..")
                .whereLayer("wiring")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("api")
                .mayOnlyBeAccessedByLayers("wiring")
                .whereLayer("sandbox")
                .mayOnlyBeAccessedByLayers("wiring", "api")
                .whereLayer("vm parts")
                .mayOnlyBeAccessedByLayers("wiring", "api", "sandbox")
                .whereLayer("sys")
                .mayOnlyBeAccessedByLayers("wiring", "api", "sandbox", "vm parts")
                .whereLayer("error")
                .mayNotAccessAnyLayer()
                .check(HOST_AGENT);
    }

    @Test
    void topLevelPackagesHaveNoCycles() {
        slices().matching("dev.wrenn.host.(*)..").should().beFreeOfCycles().check(HOST_AGENT);
    }

    @Test
    void noPackageIsInACycleWithItsSubpackages() {
        slices().matching("dev.wrenn.host.(**)").should().beFreeOfCycles().check(HOST_AGENT);
    }
}
