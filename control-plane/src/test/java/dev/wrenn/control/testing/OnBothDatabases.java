package dev.wrenn.control.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test once on SQLite (a temp file) and once on PostgreSQL (a fresh database in a throw-away cluster),
 * each with a fresh, migrated database. The method may take a {@link dev.wrenn.control.db.Database}, a
 * {@link TestServer} (the whole app on a random loopback port), or both (the same database). If PostgreSQL cannot be
 * started, the PostgreSQL run fails saying why.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(BothDatabases.class)
public @interface OnBothDatabases {}
