# Sourced by ./wrenn and .ci/run: pick a JDK 25 (JAVA_HOME if it is 25+, else the known Temurin path).
wrenn_java_home() {
  if [ -n "${JAVA_HOME:-}" ] && "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
    echo "$JAVA_HOME"; return 0
  fi
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
    if [ -x "$candidate/bin/java" ]; then echo "$candidate"; return 0; fi
  done
  echo "wrenn: no JDK 25 found; set JAVA_HOME to a JDK 25 or later" >&2
  return 1
}
