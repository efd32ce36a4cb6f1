#!/bin/sh
# Install cmdai for the current user and, with consent, turn on its Ctrl-G key in each shell.
#
# cmdai is installed with pipx when it is present, else with `uv tool`, else into a private
# virtual environment under ~/.local/share/cmdai with a link in ~/.local/bin. Nothing needs
# root. For each shell found (zsh, bash, fish) one marked line is added to its rc file, once.
# Run `sh install.sh --help` for the options.

set -eu

usage() {
  cat <<'EOF'
usage: sh install.sh [--yes] [--no-shell] [--source SPEC]   install or upgrade (safe to repeat)
       sh install.sh --uninstall [--yes]                    remove cmdai and the lines it added

  --yes, -y       do not ask before editing rc files, or before removing
  --no-shell      install only; leave rc files alone
  --source SPEC   what to install: a PyPI name, a path or a URL (default: cmdai)
  --uninstall     undo everything this script did; your cmdai config is kept

Installs with pipx if present, else `uv tool`, else a virtual environment under
~/.local/share/cmdai linked into ~/.local/bin. CMDAI_INSTALL_METHOD=pipx|uv|venv forces one;
PIPX_BIN_DIR and UV_TOOL_BIN_DIR are honoured as pipx and uv honour them.
EOF
}

MARKER="# cmdai shell integration (added by install.sh)"
DATA_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/cmdai"
VENV_DIR="$DATA_DIR/venv"
METHOD_FILE="$DATA_DIR/install-method"
LOCAL_BIN="$HOME/.local/bin"

say() { printf 'cmdai install: %s\n' "$*"; }
fail() { printf 'cmdai install: %s\n' "$*" >&2; exit 1; }

# ----------------------------------------------------------------------------- arguments

assume_yes=0 edit_shells=1 uninstall=0 source_spec=cmdai
while [ $# -gt 0 ]; do
  case $1 in
    -y|--yes) assume_yes=1 ;;
    --no-shell) edit_shells=0 ;;
    --uninstall) uninstall=1 ;;
    --source) [ $# -ge 2 ] || fail "--source needs a value"; source_spec=$2; shift ;;
    --source=*) source_spec=${1#--source=} ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown option '$1' (try --help)" ;;
  esac
  shift
done

if [ "$(id -u)" = 0 ] && [ -n "${SUDO_USER:-}" ]; then
  fail "run this as yourself, without sudo: cmdai installs into your home directory"
fi

# ------------------------------------------------------------------------------ utilities

# ask QUESTION: true when the user agrees (or --yes); false when nobody can be asked.
ask() {
  [ "$assume_yes" = 1 ] && return 0
  # Read from the terminal, so `curl … | sh` can still ask.
  (: </dev/tty) 2>/dev/null || return 1
  printf '%s [y/N] ' "$1" >/dev/tty
  read -r answer </dev/tty || return 1
  case $answer in [yY]|[yY][eE][sS]) return 0 ;; *) return 1 ;; esac
}

choose_method() {
  if [ -n "${CMDAI_INSTALL_METHOD:-}" ]; then
    printf '%s\n' "$CMDAI_INSTALL_METHOD"
  elif command -v pipx >/dev/null 2>&1; then
    echo pipx
  elif command -v uv >/dev/null 2>&1; then
    echo uv
  else
    echo venv
  fi
}

bin_dir() {
  case $1 in
    pipx) printf '%s\n' "${PIPX_BIN_DIR:-$LOCAL_BIN}" ;;
    uv) printf '%s\n' "${UV_TOOL_BIN_DIR:-${XDG_BIN_HOME:-$LOCAL_BIN}}" ;;
    venv) printf '%s\n' "$LOCAL_BIN" ;;
  esac
}

find_python() {
  for candidate in python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  fail "cmdai needs Python 3.9 or newer; install it (or pipx, or uv) and run this again"
}

# rc_file SHELL: the file that shell reads at interactive start.
rc_file() {
  case $1 in
    zsh) printf '%s\n' "${ZDOTDIR:-$HOME}/.zshrc" ;;
    bash) printf '%s\n' "$HOME/.bashrc" ;;
    fish) printf '%s\n' "${XDG_CONFIG_HOME:-$HOME/.config}/fish/config.fish" ;;
  esac
}

# init_line SHELL PROGRAM: the line that turns on the key, guarded so that a removed cmdai
# never breaks the shell's start.
init_line() {
  quoted="'$(printf '%s' "$2" | sed "s/'/'\\\\''/g")'"
  case $1 in
    fish) printf 'if test -x %s; %s --init fish | source; end' "$quoted" "$quoted" ;;
    *) printf 'if [ -x %s ]; then eval "$(%s --init %s)"; fi' "$quoted" "$quoted" "$1" ;;
  esac
}

# remove_marked FILE: drop the lines this script added, keeping everything else as it was.
remove_marked() {
  [ -f "$1" ] && grep -qF "$MARKER" "$1" || return 1
  tmp="$1.cmdai-tmp.$$"
  grep -vF "$MARKER" "$1" >"$tmp" || true
  # cat keeps the file's inode, permissions and any symlink pointing at it.
  cat "$tmp" >"$1"
  rm -f "$tmp"
}

# --------------------------------------------------------------------------------- install

install_cmdai() {
  method=$(choose_method)
  case $method in
    pipx)
      say "installing $source_spec with pipx"
      pipx install --force "$source_spec"
      ;;
    uv)
      say "installing $source_spec with uv tool"
      uv tool install --force "$source_spec"
      ;;
    venv)
      python=$(find_python)
      say "installing $source_spec into $VENV_DIR"
      mkdir -p "$DATA_DIR" "$LOCAL_BIN"
      [ -x "$VENV_DIR/bin/python" ] || "$python" -m venv "$VENV_DIR"
      "$VENV_DIR/bin/python" -m pip install --quiet --upgrade "$source_spec"
      ln -sf "$VENV_DIR/bin/cmdai" "$LOCAL_BIN/cmdai"
      ;;
    *) fail "unknown CMDAI_INSTALL_METHOD '$method' (pipx, uv or venv)" ;;
  esac
  mkdir -p "$DATA_DIR"
  printf '%s\n' "$method" >"$METHOD_FILE"

  program="$(bin_dir "$method")/cmdai"
  [ -x "$program" ] || fail "the installation did not produce $program"
  say "installed: $program"
  case ":$PATH:" in
    *":$(bin_dir "$method"):"*) ;;
    *) say "note: $(bin_dir "$method") is not on your PATH; add it to run cmdai by name" ;;
  esac
}

enable_shells() {
  program="$(bin_dir "$(cat "$METHOD_FILE")")/cmdai"
  for shell in zsh bash fish; do
    command -v "$shell" >/dev/null 2>&1 || continue
    rc=$(rc_file "$shell")
    if [ -f "$rc" ] && grep -qF "$MARKER" "$rc"; then
      say "$shell: already enabled in $rc"
      continue
    fi
    if ask "Turn on the Ctrl-G key for $shell (adds one line to $rc)?"; then
      mkdir -p "$(dirname "$rc")"
      # Start on a fresh line even when the file does not end with a newline.
      if [ -s "$rc" ] && [ -n "$(tail -c 1 "$rc")" ]; then echo >>"$rc"; fi
      printf '%s  %s\n' "$(init_line "$shell" "$program")" "$MARKER" >>"$rc"
      say "$shell: enabled in $rc (open a new shell to use it)"
    else
      say "$shell: to enable it yourself, add to $rc:"
      printf '    %s\n' "$(init_line "$shell" "$program")"
    fi
  done
}

# ------------------------------------------------------------------------------- uninstall

uninstall_cmdai() {
  ask "Remove cmdai and the lines install.sh added to your rc files?" ||
    fail "nothing removed (pass --yes to remove without asking)"
  for shell in zsh bash fish; do
    rc=$(rc_file "$shell")
    if remove_marked "$rc"; then say "$shell: removed the line from $rc"; fi
  done
  method=$(cat "$METHOD_FILE" 2>/dev/null || true)
  case $method in
    pipx) pipx uninstall cmdai || say "pipx had no cmdai to remove" ;;
    uv) uv tool uninstall cmdai || say "uv had no cmdai to remove" ;;
    venv)
      # Only remove the link if it is ours.
      if [ -L "$LOCAL_BIN/cmdai" ] && [ "$(readlink "$LOCAL_BIN/cmdai")" = "$VENV_DIR/bin/cmdai" ]; then
        rm -f "$LOCAL_BIN/cmdai"
      fi
      rm -rf "$VENV_DIR"
      ;;
    *) say "no installation by this script was found" ;;
  esac
  rm -f "$METHOD_FILE"
  rmdir "$DATA_DIR" 2>/dev/null || true
  say "cmdai is removed; your config in ${XDG_CONFIG_HOME:-$HOME/.config}/cmdai is kept"
}

if [ "$uninstall" = 1 ]; then
  uninstall_cmdai
else
  install_cmdai
  if [ "$edit_shells" = 1 ]; then enable_shells; fi
fi
