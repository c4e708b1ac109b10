# Sourced by ./nodesizer, .ci/run and benchmarks/run: finds a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME if it is >= 21, then the newest /usr/lib/jvm/* that is >= 21
# (NODESIZER_JVM_ROOT names another directory of JDKs instead of /usr/lib/jvm: the launcher's test uses it).
# The machine's default java may be 17; Maven and the CLI both need 21+.

nodesizer_release_value() {
  # prints the value of KEY ($2) in the release file of the JDK whose java binary is $1, without
  # quotes, or nothing. Read with bash builtins: every ./nodesizer run asks, and a sed/head pipeline
  # per JDK directory cost ~5-20 ms of processes (more on a busy machine) before the JVM started.
  local line release="${1%/*}/../release"
  [ -r "$release" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      "$2="*)
        line="${line#*=}"
        line="${line#\"}"
        printf '%s\n' "${line%\"}"
        return 0
        ;;
    esac
  done < "$release"
}

nodesizer_java_major() {
  # prints the major version of the java binary $1, or nothing. The JDK's release file says it
  # without starting a JVM (each start costs ~50 ms of every ./nodesizer run); else ask the JVM.
  local v
  v="$(nodesizer_release_value "$1" JAVA_VERSION)"
  v="${v%%[!0-9]*}"
  if [ -n "$v" ]; then
    echo "$v"
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1 | cut -d. -f1
}

nodesizer_java_build() {
  # prints the full runtime version of the java binary $1 (25.0.3+9-LTS), or nothing; release file first
  local v
  v="$(nodesizer_release_value "$1" JAVA_RUNTIME_VERSION)"
  if [ -z "$v" ]; then
    v="$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.runtime\.version = //p' | head -n 1)"
  fi
  echo "$v"
}

nodesizer_find_jdk() {
  local candidate major best="" best_major=0 root="${NODESIZER_JVM_ROOT:-/usr/lib/jvm}"
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(nodesizer_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      return 0
    fi
  fi
  for candidate in "$root"/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(nodesizer_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "nodesizer: no JDK 21 or newer found (checked \$JAVA_HOME and $root/*)." >&2
    echo "  Install one, e.g. 'apt-get install openjdk-21-jdk-headless' (Debian) or a Temurin 21+ build," >&2
    echo "  or point JAVA_HOME at an existing JDK 21+." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
