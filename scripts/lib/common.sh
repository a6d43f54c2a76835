# Sourced by the scripts in scripts/: finds a JDK 21+ and the repository root.
# shellcheck shell=bash

DPACS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export DPACS_ROOT

java_major() { # prints the major version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1 || echo 0
}

# Picks JAVA_HOME: the caller's if it is 21+, else the newest 21+ JDK under /usr/lib/jvm, else java on PATH.
find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then
    return 0
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -x "$d/bin/javac" ] || continue
    v=$(java_major "$d/bin/java")
    if [ "${v:-0}" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  if [ "$best_v" -ge 21 ]; then
    export JAVA_HOME="$best"
    return 0
  fi
  if command -v javac >/dev/null 2>&1; then
    local jh
    jh="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
    if [ "$(java_major "$jh/bin/java")" -ge 21 ]; then
      export JAVA_HOME="$jh"
      return 0
    fi
  fi
  echo "dPACS needs a JDK 21 or newer; none found under /usr/lib/jvm or on PATH. Install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME." >&2
  return 1
}

# Installs the Debian packages the interop tests use (dcmtk, Debian's pydicom), when apt can.
install_test_packages() {
  local missing=()
  command -v dcmdump >/dev/null 2>&1 || missing+=(dcmtk)
  /usr/bin/python3 -c 'import pydicom' >/dev/null 2>&1 || missing+=(python3-pydicom)
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "note: ${missing[*]} not installed and apt-get unavailable; interop tests will be skipped" >&2
    return 0
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
  echo "installing ${missing[*]} for the interop tests" >&2
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
    || echo "note: could not install ${missing[*]}; interop tests will be skipped" >&2
}

mvn_cmd() {
  command -v mvn >/dev/null 2>&1 || { echo "dPACS needs Apache Maven 3.8+ on PATH (apt-get install maven)" >&2; return 1; }
  # Maven's bundled Guava calls sun.misc.Unsafe, which JDK 24+ warns about on every run; the flag does not exist before 24.
  if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
  mvn -B -Dstyle.color=never "$@"
}
