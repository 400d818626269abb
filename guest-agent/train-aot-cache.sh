#!/usr/bin/env bash
# train-aot-cache.sh JAVA JAR CACHE: creates the guest agent's AOT cache (JEP 483/514) from a training run.
# The run (`--train`) starts the agent on a free loopback port, waits for its first /health and exits (why only
# that: dev.wrenn.guest.AotTraining);
# the JVM records the classes it loaded and linked, and a second JVM writes them to CACHE. Started with
# -XX:AOTCache=CACHE and the same jvm.options, the agent then maps those classes instead of loading them.
# JAVA and JAR must be the ones that will run (a cache is only valid for the JVM and jar it was made with; the JVM
# ignores a stale one). Run it as the user the agent runs as. Exit status non-zero, and no CACHE, on failure.
set -euo pipefail
JAVA="${1:?usage: train-aot-cache.sh JAVA JAR CACHE}"
JAR="${2:?usage: train-aot-cache.sh JAVA JAR CACHE}"
CACHE="${3:?usage: train-aot-cache.sh JAVA JAR CACHE}"
OPTIONS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/jvm.options"
CONFIG="$CACHE.config"
LOG="$CACHE.log"
rm -f "$CACHE" "$CONFIG"
trap 'rm -f "$CONFIG"' EXIT

# The JVM reports on stdout each class it cannot keep (e.g. dynamic proxies): into the log, with the agent's output.
if ! "$JAVA" @"$OPTIONS" -XX:AOTMode=record -XX:AOTConfiguration="$CONFIG" -jar "$JAR" --train >"$LOG"; then
  echo "train-aot-cache.sh: the training run of $JAR failed (JVM output: $LOG)" >&2
  exit 1
fi
if ! "$JAVA" @"$OPTIONS" -XX:AOTMode=create -XX:AOTConfiguration="$CONFIG" -XX:AOTCache="$CACHE" -jar "$JAR" \
  >>"$LOG"; then
  echo "train-aot-cache.sh: writing the AOT cache $CACHE failed (JVM output: $LOG)" >&2
  rm -f "$CACHE"
  exit 1
fi
