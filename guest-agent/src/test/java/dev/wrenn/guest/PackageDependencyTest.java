package dev.wrenn.guest;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The guest agent's package layering (main code only): the services (process, fs) know nothing of HTTP, the
 * caller and state packages sit under them, and the HTTP server itself (http.server) knows no envd route. Inside
 * http, the envd wiring (GuestHttpServer, EnvdRoutes) sits on the routes by job (files, init, metrics), which sit on
 * auth (tokens, signatures), which sits on transport (routing, CORS, errors, request parsing) over http.server.
 */
class PackageDependencyTest {
    private static final JavaClasses GUEST_AGENT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.wrenn.guest");

    @Test
    void topLevelPackagesHaveNoCycles() {
        slices().matching("dev.wrenn.guest.(*)..").should().beFreeOfCycles().check(GUEST_AGENT);
    }

    /**
     * Every package, sub-packages included, except one known cycle: fs.watch reports entries through fs's EntryInfos
     * while FilesystemService starts the watches. Breaking it means moving EntryInfos out of fs.
     */
    @Test
    void noPackageIsInACycleButTheKnownFsWatchOne() {
        slices().matching("dev.wrenn.guest.(**)")
                .should()
                .beFreeOfCycles()
                .ignoreDependency(resideInAPackage("dev.wrenn.guest.fs.watch"), resideInAPackage("dev.wrenn.guest.fs"))
                .check(GUEST_AGENT);
    }

    @Test
    void servicesDoNotDependOnTheHttpLayer() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.wrenn.guest.process..", "dev.wrenn.guest.fs..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.wrenn.guest.http..")
                .check(GUEST_AGENT);
    }

    @Test
    void stateAndUsersDependOnNoServiceOrTransport() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.wrenn.guest.state..", "dev.wrenn.guest.user..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.wrenn.guest.http..", "dev.wrenn.guest.process..", "dev.wrenn.guest.fs..")
                .check(GUEST_AGENT);
    }

    @Test
    void theHttpServerKnowsNoEnvdRouteOrService() {
        noClasses()
                .that()
                .resideInAPackage("dev.wrenn.guest.http.server..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.wrenn.guest",
                        "dev.wrenn.guest.http",
                        "dev.wrenn.guest.http.transport..",
                        "dev.wrenn.guest.http.auth..",
                        "dev.wrenn.guest.http.files..",
                        "dev.wrenn.guest.http.init..",
                        "dev.wrenn.guest.http.metrics..",
                        "dev.wrenn.guest.process..",
                        "dev.wrenn.guest.fs..",
                        "dev.wrenn.guest.state..",
                        "dev.wrenn.guest.user..")
                .check(GUEST_AGENT);
    }

    @Test
    void httpPackagesAreUsedOnlyFromAbove() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("envd wiring")
                .definedBy("dev.wrenn.guest.http")
                .layer("routes")
                .definedBy(
                        "dev.wrenn.guest.http.files..", "dev.wrenn.guest.http.init..", "dev.wrenn.guest.http.metrics..")
                .layer("auth")
                .definedBy("dev.wrenn.guest.http.auth..")
                .layer("transport")
                .definedBy("dev.wrenn.guest.http.transport..")
                .layer("server")
                .definedBy("dev.wrenn.guest.http.server..")
                .whereLayer("routes")
                .mayOnlyBeAccessedByLayers("envd wiring")
                .whereLayer("auth")
                .mayOnlyBeAccessedByLayers("envd wiring", "routes")
                .whereLayer("transport")
                .mayOnlyBeAccessedByLayers("envd wiring", "routes", "auth")
                .whereLayer("server")
                .mayOnlyBeAccessedByLayers("envd wiring", "routes", "auth", "transport")
                .check(GUEST_AGENT);
    }

    /** Each job's routes stand alone: file transfer, init and metrics share only auth and transport. */
    @Test
    void routePackagesDoNotUseEachOther() {
        String[] jobs = {"dev.wrenn.guest.http.files..", "dev.wrenn.guest.http.init..", "dev.wrenn.guest.http.metrics.."
        };
        for (String job : jobs) {
            String[] others =
                    Arrays.stream(jobs).filter(other -> !other.equals(job)).toArray(String[]::new);
            noClasses()
                    .that()
                    .resideInAPackage(job)
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(others)
                    .check(GUEST_AGENT);
        }
    }
}
