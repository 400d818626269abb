package dev.wrenn.control;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The control plane's layers as docs/ARCHITECTURE.md draws them, each using only those below: the wiring (the root
 * package: ControlPlaneApp, ControlPlane, its main) → the features (each with its routes and services) → api (the
 * HTTP base every feature's routes use: Authenticator, Principal, JSON bodies and errors, plus the account routes)
 * → the services and data (accounts, audit, credentials, database, host-agent client, config) → error and ids.
 * Features may use each other, without cycles. Main code only.
 */
class PackageDependencyTest {
    private static final JavaClasses CONTROL_PLANE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.wrenn.control");

    private static final String[] FEATURES = {
        "dev.wrenn.control.sandboxes..",
        "dev.wrenn.control.snapshots..",
        "dev.wrenn.control.exec..",
        "dev.wrenn.control.files..",
        "dev.wrenn.control.terminal..",
        "dev.wrenn.control.ws..",
        "dev.wrenn.control.inspect..",
        "dev.wrenn.control.console..",
        "dev.wrenn.control.e2b..",
        "dev.wrenn.control.quota..",
        "dev.wrenn.control.invites..",
        "dev.wrenn.control.enrollment..",
        "dev.wrenn.control.reconciler..",
        "dev.wrenn.control.templates.."
    };

    private static final String[] SERVICES_AND_DATA = {
        "dev.wrenn.control.service..",
        "dev.wrenn.control.audit..",
        "dev.wrenn.control.auth..",
        "dev.wrenn.control.db..",
        "dev.wrenn.control.hosts..",
        "dev.wrenn.control.config.."
    };

    @Test
    void layersAreUsedOnlyFromAbove() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("wiring")
                .definedBy("dev.wrenn.control")
                .layer("features")
                .definedBy(FEATURES)
                .layer("api")
                .definedBy("dev.wrenn.control.api..")
                .layer("services and data")
                .definedBy(SERVICES_AND_DATA)
                .layer("base")
                .definedBy("dev.wrenn.control.error..", "dev.wrenn.control.ids..")
                .whereLayer("wiring")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("features")
                .mayOnlyBeAccessedByLayers("wiring")
                .whereLayer("api")
                .mayOnlyBeAccessedByLayers("wiring", "features")
                .whereLayer("services and data")
                .mayOnlyBeAccessedByLayers("wiring", "features", "api")
                .whereLayer("base")
                .mayNotAccessAnyLayer()
                .check(CONTROL_PLANE);
    }

    /** A new package must be placed in a layer (here and in docs/ARCHITECTURE.md), not escape the rules. */
    @Test
    void everyPackageIsInALayer() {
        classes().should().resideInAnyPackage(everyLayer()).check(CONTROL_PLANE);
    }

    @Test
    void topLevelPackagesHaveNoCycles() {
        slices().matching("dev.wrenn.control.(*)..").should().beFreeOfCycles().check(CONTROL_PLANE);
    }

    @Test
    void noPackageIsInACycleWithItsSubpackages() {
        slices().matching("dev.wrenn.control.(**)").should().beFreeOfCycles().check(CONTROL_PLANE);
    }

    private static String[] everyLayer() {
        List<String> all = new ArrayList<>();
        all.add("dev.wrenn.control");
        all.addAll(List.of(FEATURES));
        all.add("dev.wrenn.control.api..");
        all.addAll(List.of(SERVICES_AND_DATA));
        all.add("dev.wrenn.control.error..");
        all.add("dev.wrenn.control.ids..");
        return all.toArray(String[]::new);
    }
}
