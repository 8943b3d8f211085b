package io.sweeplab.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The separations of ARCHITECTURE.md, checked on the compiled classes of every module. */
class ArchitectureRulesTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sweeplab");
    }

    @Test
    void plugin_api_depends_only_on_jdk_and_dl4j() {
        ArchRule rule = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
                .that()
                .resideInAPackage("io.sweeplab.plugin.api..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "io.sweeplab.plugin.api..", "org.deeplearning4j..", "org.nd4j..")
                .because("plugins compile against the API alone; it knows nothing of Quarkus, Vaadin, Jackson or JDBC");
        rule.check(classes);
    }

    @Test
    void the_artifact_codec_depends_only_on_the_plugin_api_and_jackson() {
        ArchRule rule = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
                .that()
                .resideInAPackage("io.sweeplab.artifacts..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "java..", "io.sweeplab.plugin.api..", "io.sweeplab.artifacts..", "com.fasterxml.jackson..")
                .because("the worker, the platform and the dashboard share it; it carries no platform code");
        rule.check(classes);
    }

    @Test
    void plugins_do_not_reach_into_the_platform() {
        noClasses()
                .that()
                .resideInAPackage("io.sweeplab.plugins..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.sweeplab.core..", "io.sweeplab.app..")
                .check(classes);
    }

    @Test
    void core_knows_nothing_of_quarkus_jdbc_or_the_app() {
        noClasses()
                .that()
                .resideInAPackage("io.sweeplab.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.quarkus..",
                        "jakarta..",
                        "java.sql..",
                        "javax.sql..",
                        "io.sweeplab.app..",
                        "com.fasterxml.jackson..",
                        "io.sweeplab.plugins..")
                .check(classes);
    }

    @Test
    void core_picks_no_nd4j_backend() {
        noClasses()
                .that()
                .resideInAnyPackage("io.sweeplab.core..", "io.sweeplab.plugin.api..", "io.sweeplab.app..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.nd4j.linalg.cpu..", "org.nd4j.linalg.jcublas..")
                .check(classes);
    }

    @Test
    void ui_does_not_use_jdbc() {
        noClasses()
                .that()
                .resideInAPackage("io.sweeplab.frontend..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.sql..", "javax.sql..", "io.sweeplab.app..", "io.agroal..", "org.flywaydb..")
                .because("views talk to platform services, never to the database")
                .check(classes);
    }

    @Test
    void the_client_knows_nothing_of_the_platform() {
        ArchRule rule = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
                .that()
                .resideInAPackage("io.sweeplab.client..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "java..",
                        "io.sweeplab.client..",
                        "com.fasterxml.jackson..",
                        "dev.failsafe..",
                        "org.deeplearning4j..",
                        "org.nd4j..")
                .because("programs that train elsewhere depend on it; it speaks MLflow's protocol, nothing of ours");
        rule.check(classes);
    }

    @Test
    void no_package_cycles() {
        slices().matching("io.sweeplab.(**)").should().beFreeOfCycles().check(classes);
    }
}
