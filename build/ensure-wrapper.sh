# Sourced by ./wrenn and .ci/run. The Maven Wrapper's properties name the repository the Maven
# distribution comes from; we do not commit a repository host, so the file is generated here by
# the machine's own Maven, which knows its configured repository (MVNW_REPOURL is honoured too).
wrenn_ensure_wrapper() {
  local root="$1"
  [ -f "$root/.mvn/wrapper/maven-wrapper.properties" ] && return 0
  command -v mvn >/dev/null || { echo "wrenn: neither .mvn/wrapper/maven-wrapper.properties nor a system 'mvn' to create it" >&2; return 1; }
  echo "wrenn: generating the Maven Wrapper properties with the system Maven" >&2
  (cd "$root" && mvn -q -N org.apache.maven.plugins:maven-wrapper-plugin:3.3.4:wrapper -Dtype=only-script -Dmaven=3.9.11 >/dev/null 2>&1) \
    || { echo "wrenn: could not generate the Maven Wrapper properties" >&2; return 1; }
  git -C "$root" checkout -- mvnw 2>/dev/null || true
  rm -f "$root/mvnw.cmd"
}
