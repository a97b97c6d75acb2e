#!/usr/bin/env bash
# Installs everything the full test suite (ci/test-all.sh and .ci/run) uses, then checks
# itself: every command the suite calls must be found, and the Debian package that owns it
# (`dpkg -S`) must be in this script's own list, so a tool that is present only by accident (an
# earlier manual install) fails here on every machine instead of on a fresh one.
# The one place that installs: Debian packages (apt), Rust toolchains, targets and components
# (rustup), cargo-fuzz (cargo install); every other script only checks (--check-only).
#
#   ci/install-test-tools.sh               install what is missing (root or sudo), then check
#   ci/install-test-tools.sh --check-only  install nothing, only check (no root needed)
#   ci/install-test-tools.sh --owners      the owner of every check (for the self-check)
#   INSTALL_TEST_TOOLS_WITHOUT="pkg …"     pretend these packages or Rust items are not in the
#                                          lists (used by ci/install-self-check.sh)
#
# Root is needed only when something is missing: on a machine that has everything, the script
# runs as any user and changes nothing. Assumed present: rustup (with cargo), git.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian packages, each with the commands (or, for libraries and Python modules, the files) the
# suite takes from it. A package that owns a command through a dependency (clang-14 under clang,
# gcc-mingw-w64-x86-64-win32 under gcc-mingw-w64-x86-64) is listed with its owner so the check
# can name it.
packages=(
  gcc                          # cc: the host linker of every Rust build
  g++                          # c++: libFuzzer's sources in the fuzz builds (cargo-fuzz)
  qemu-utils                   # qemu-img, qemu-io: LUKS1 interop, the driver's e2e check
  cryptsetup-bin               # cryptsetup: LUKS interop oracle
  openssl                      # openssl speed: the XTS benchmark's peer
  python3                      # /usr/bin/python3: layout check, import check, seeds, oracles
  python3-minimal              #   (owns the /usr/bin/python3 binary)
  python3-pefile               # the driver's import check
  python3-cryptography         # AES-XTS oracle that shares no code with the project
  wine                         # /usr/bin/wine, wineboot, wineserver (Debian's launcher package)
  wine64                       # the 64-bit loader behind /usr/bin/wine
  libwine                      #   (owns /usr/bin/wineserver)
  gcc-mingw-w64-x86-64         # x86_64-w64-mingw32-gcc: layout check, Wine stub DLL, linking
  gcc-mingw-w64-x86-64-win32   #   (owns the compiler binary behind the alternative)
  gcc-mingw-w64-i686           # i686-w64-mingw32-gcc: the x86 layout check
  gcc-mingw-w64-i686-win32     #   (owns the compiler binary behind the alternative)
  binutils-mingw-w64-x86-64    # x86_64-w64-mingw32-objdump
  mingw-w64-x86-64-dev         # mingw-w64's DDK headers: the layout reference
  mingw-w64-common             #   (owns the shared DDK header directory; the arm64 check's headers)
  lld                          # lld for the driver link
  clang                        # clang: bindgen in the wdk-sys stand-in; the arm64 layout check
  libclang-dev                 # libclang for bindgen
  util-linux                   # setsid: the CLI's pseudo-terminal test; prlimit: its out-of-memory test
  procps                       # kill: the CLI's Ctrl-C test
  coreutils                    # timeout, stat, mktemp
  gdb                          # gdb: the CLI's core-dump check (no master key left at exit)
)

# The toolchain the publishable crates declare (`rust-version`; package-check.sh tests with it).
msrv=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' "$repo/mountdev/Cargo.toml" "$repo/mountmgr-client/Cargo.toml" | sort -u)
# Rust items, installed with rustup or cargo install, each checked as `rust:ITEM` below:
# target/T (default toolchain), component/C (default toolchain), toolchain/N,
# nightly-component/C, cargo-fuzz/VERSION.
rust=(
  target/x86_64-unknown-none       # the no_std proof builds
  target/x86_64-pc-windows-msvc    # Windows checks; the kernel drivers (built against the stand-in)
  target/i686-pc-windows-msvc      # Windows checks
  target/aarch64-pc-windows-msvc   # Windows checks
  target/x86_64-pc-windows-gnu     # user-mode .exe files run under Wine (mingw-w64 linker)
  component/clippy                 # cargo clippy
  component/rustfmt                # cargo fmt --check
  toolchain/nightly                # Miri and cargo-fuzz
  nightly-component/miri           # cargo +nightly miri test
  nightly-component/rust-src       #   (Miri builds its sysroot from it)
  "toolchain/$msrv"                # the MSRV job of package-check.sh
  cargo-fuzz/0.13.2                # ci/fuzz/run-all.sh
)

# command-or-file → the package expected to own it (after resolving symlinks if the link itself
# is not owned). Every command a suite script or a tool-backed test runs is here.
checks=(
  "gcc:gcc"
  "g++:g++"
  "qemu-img:qemu-utils"
  "qemu-io:qemu-utils"
  "cryptsetup:cryptsetup-bin"
  "openssl:openssl"
  "/usr/bin/python3:python3-minimal"
  "wine:wine"
  "wineboot:wine"
  "wineserver:libwine"
  "x86_64-w64-mingw32-gcc:gcc-mingw-w64-x86-64-win32"
  "i686-w64-mingw32-gcc:gcc-mingw-w64-i686-win32"
  "x86_64-w64-mingw32-objdump:binutils-mingw-w64-x86-64"
  "clang:clang"
  "setsid:util-linux"
  "prlimit:util-linux"
  "/bin/kill:procps"
  "timeout:coreutils"
  "gdb:gdb"
  "/usr/share/mingw-w64/include/ddk/mountmgr.h:mingw-w64-common"
  "py:pefile:python3-pefile"
  "py:cryptography.hazmat.primitives.ciphers:python3-cryptography"
  "lib:libclang.so:libclang-dev"
  "lib:ld.lld:lld"
)
for item in "${rust[@]}"; do checks+=("rust:$item"); done

check_only=0
case "${1:-}" in
  --check-only) check_only=1 ;;
  --owners)
    for entry in "${checks[@]}"; do
      case "$entry" in rust:*) echo "${entry#rust:}" ;; *) echo "${entry##*:}" ;; esac
    done | sort -u
    exit 0
    ;;
  "") ;;
  *) echo "usage: $0 [--check-only | --owners]" >&2; exit 2 ;;
esac

without=" ${INSTALL_TEST_TOOLS_WITHOUT:-} "
listed=()
for p in "${packages[@]}" "${rust[@]}"; do
  case "$without" in *" $p "*) ;; *) listed+=("$p") ;; esac
done

# Whether a Rust item is installed (the lists are read once, and again after installing).
read_rust_state() {
  rust_toolchains=$(rustup toolchain list)
  rust_targets=$(rustup target list --installed)
  rust_components=$(rustup component list --installed)
  rust_nightly_components=$(rustup component list --installed --toolchain nightly 2>/dev/null || true)
  cargo_installed=$(cargo install --list)
}
read_rust_state
rust_present() {
  local item=$1 name=${1#*/}
  case "$item" in
    target/*) grep -qx "$name" <<<"$rust_targets" ;;
    component/*) grep -qE "^$name(-|\$)" <<<"$rust_components" ;;
    nightly-component/*) grep -qE "^$name(-|\$)" <<<"$rust_nightly_components" ;;
    toolchain/*) grep -q "^$name-" <<<"$rust_toolchains" ;;
    cargo-fuzz/*) grep -qx "cargo-fuzz v$name:" <<<"$cargo_installed" ;;
    *) return 1 ;;
  esac
}
rust_install() {
  local item=$1 name=${1#*/}
  echo "install-test-tools: installing $item"
  case "$item" in
    target/*) rustup target add "$name" ;;
    component/*) rustup component add "$name" ;;
    nightly-component/*) rustup component add "$name" --toolchain nightly ;;
    toolchain/*) rustup toolchain install "$name" --profile minimal ;;
    cargo-fuzz/*) cargo install cargo-fuzz --version "$name" --locked ;;
  esac >/dev/null
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

if [ "$check_only" -eq 0 ]; then
  missing=()
  for p in "${listed[@]}"; do
    case "$p" in */*) ;; *) installed "$p" || missing+=("$p") ;; esac
  done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "install-test-tools: installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi

  for item in "${listed[@]}"; do
    case "$item" in */*) rust_present "$item" || rust_install "$item" ;; esac
  done
  read_rust_state
fi

# ---- self-check ----------------------------------------------------------------------------
# The package that owns PATH, trying the path itself, then its merged-/usr twin, then the file
# the symlink chain ends at (alternatives, llvm-N links).
owner_of() {
  local path=$1 cand out
  for cand in "$path" "${path#/usr}" "$(readlink -f "$path")"; do
    out=$(dpkg-query -S "$cand" 2>/dev/null | head -n1) || continue
    [ -n "$out" ] && { echo "${out%%:*}" | tr -d ' '; return 0; }
  done
  return 1
}

problems=()
in_list() {
  local want=$1 p
  for p in "${listed[@]}"; do [ "$p" = "$want" ] && return 0; done
  return 1
}
for entry in "${checks[@]}"; do
  kind=cmd
  case "$entry" in
    py:*) kind=py; entry=${entry#py:} ;;
    lib:*) kind=lib; entry=${entry#lib:} ;;
    rust:*)
      item=${entry#rust:}
      if ! rust_present "$item"; then
        problems+=("$item: not installed (Rust item $item)")
      elif ! in_list "$item"; then
        problems+=("$item: installed, but this script does not install it (Rust item $item)")
      fi
      continue
      ;;
  esac
  what=${entry%:*}
  want=${entry##*:}
  case "$kind" in
    cmd)
      if [ "${what#/}" != "$what" ]; then path=$what; [ -e "$path" ] || path=""
      else path=$(command -v "$what" || true); fi
      ;;
    py)
      path=$(/usr/bin/python3 -c "import importlib, sys; m = importlib.import_module(sys.argv[1]); print(m.__file__)" \
        "$what" 2>/dev/null || true)
      ;;
    lib)
      # a file the listed package brings, itself or through one of its direct dependencies
      deps=$(dpkg-query -W -f='${Depends}' "$want" 2>/dev/null | tr ',|' '\n\n' | awk '{print $1}' | sed 's/:.*//')
      path=""
      for d in "$want" $deps; do
        path=$(dpkg-query -L "$d" 2>/dev/null | grep -m1 "/$what\$" || true)
        [ -n "$path" ] && break
      done
      ;;
  esac
  if [ -z "$path" ]; then
    problems+=("$what: not found (Debian package $want)")
    continue
  fi
  if [ "$kind" = lib ]; then owner=$want; else owner=$(owner_of "$path" || true); fi
  if [ -z "$owner" ]; then
    problems+=("$what: $path belongs to no Debian package (expected $want)")
  elif [ "$owner" != "$want" ]; then
    problems+=("$what: $path belongs to $owner, expected $want")
  elif ! in_list "$owner"; then
    problems+=("$what: $path belongs to $owner, which this script does not install")
  fi
done
for p in "${listed[@]}"; do
  case "$p" in */*) ;; *) installed "$p" || problems+=("package $p is listed but not installed") ;; esac
done

if [ ${#problems[@]} -gt 0 ]; then
  echo "install-test-tools: self-check FAILED:" >&2
  printf '  - %s\n' "${problems[@]}" >&2
  [ "$check_only" -eq 1 ] && echo "  (run ci/install-test-tools.sh without --check-only to install)" >&2
  exit 1
fi
echo "install-test-tools: ready (${#checks[@]} tools checked against ${#packages[@]} Debian packages and ${#rust[@]} Rust items)"
