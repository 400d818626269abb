package dev.wrenn.sdk.commands;

import java.util.List;
import java.util.Map;

/**
 * A process running in the sandbox ({@link Commands#list()}).
 *
 * @param pid its process id
 * @param tag its tag, or null
 * @param cmd the program
 * @param args its arguments
 * @param envs the environment it was given
 * @param cwd its working directory, or null
 */
public record ProcessInfo(int pid, String tag, String cmd, List<String> args, Map<String, String> envs, String cwd) {}
