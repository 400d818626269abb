#!/usr/bin/env bash
# TEST ONLY: compiles StandInAgent.java (answers /health with 204) into a jar for
#   images/build.sh --agent-jar <that jar>
# Usage: images/testdata/build-stand-in-agent.sh [OUTPUT_JAR]   (default /tmp/wrenn-stand-in-agent.jar)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../../build/java-home.sh"
java_home="$(wrenn_java_home)"
out="${1:-/tmp/wrenn-stand-in-agent.jar}"
classes="$(mktemp -d /tmp/wrenn-stand-in.XXXXXX)"
trap 'rm -rf "$classes"' EXIT
"$java_home/bin/javac" --release 25 -d "$classes" "$here/StandInAgent.java"
# A fixed timestamp keeps the jar (and so the image's inputs digest) the same from one build to the next.
"$java_home/bin/jar" --create --file "$out" --date 2000-01-01T00:00:00Z --main-class StandInAgent -C "$classes" .
echo "$out"
