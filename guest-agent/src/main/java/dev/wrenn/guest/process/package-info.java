/**
 * The guest agent's process service ({@code process.Process}, E2B envd's wire contract).
 *
 * <p>Processes are started with posix_spawn through FFM ({@code sys}), not {@link java.lang.ProcessBuilder}: each
 * gets its own session (so signals reach the whole command and a PTY can be its controlling terminal), pollable
 * pipes or a PTY ({@code pty}) as stdio, and is reaped by the agent itself so "killed by SIGKILL" is not confused
 * with "exit 137". Users are switched with util-linux {@code setpriv}. Each process has one platform thread that
 * pumps its output into its event hub and reaps it; Start and Connect streams (usually virtual threads) only drain
 * their own queue. {@link dev.wrenn.guest.process.OrphanReaper} reaps orphaned descendants once the agent is a
 * child subreaper.
 */
package dev.wrenn.guest.process;
