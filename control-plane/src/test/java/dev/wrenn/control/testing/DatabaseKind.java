package dev.wrenn.control.testing;

/** The two databases every repository and API test runs on. */
public enum DatabaseKind {
    SQLITE,
    POSTGRESQL
}
