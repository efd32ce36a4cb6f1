#!/bin/sh
# Install cmdai for the current user and, with consent, turn on its Ctrl-G key in each shell.
#
# Run from a clone of the repository, it installs that checkout; otherwise the release on PyPI
# (distribution cmdai-shell, command cmdai). cmdai is installed with pipx when it is present,
# else with `uv tool`, else into a private virtual environment under ~/.local/share/cmdai with a
# link in ~/.local/bin. Nothing needs root. For each shell found (zsh, bash, fish) one marked line
# is added to its rc file, once. Everything it creates or changes is recorded, so --uninstall can
# put it back byte for byte, and a failed install leaves nothing behind.
# Run `sh install.sh --help` for the options.

set -eu

usage() {
  cat <<'EOF'
usage: sh install.sh [--yes] [--no-shell] [--source SPEC]   install or upgrade (safe to repeat)
       sh install.sh --uninstall [--yes]                    remove cmdai and everything this script added

  --yes, -y       do not ask before editing rc files, or before removing
  --no-shell      install only; leave rc files alone
  --source SPEC   what to install: a path, a wheel, a URL or a PyPI name (default: the checkout
                  this script sits in, else cmdai-shell from PyPI)
  --uninstall     undo everything this script did; your cmdai config is kept

Installs with pipx if present, else `uv tool`, else a virtual environment under
~/.local/share/cmdai linked into ~/.local/bin. CMDAI_INSTALL_METHOD=pipx|uv|venv forces one;
PIPX_BIN_DIR and UV_TOOL_BIN_DIR are honoured as pipx and uv honour them.
EOF
}

PACKAGE=cmdai-shell
MARKER="# cmdai shell integration (added by install.sh)"
DATA_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/cmdai"
VENV_DIR="$DATA_DIR/venv"
METHOD_FILE="$DATA_DIR/install-method"
# What this script created or changed, one "KIND PATH" line each, oldest first.
RECORD_FILE="$DATA_DIR/installed"
# A copy of this script, so `--uninstall` works after the clone is gone.
SELF_COPY="$DATA_DIR/install.sh"
LOCAL_BIN="$HOME/.local/bin"
if [ "$(uname -s)" = Darwin ]; then
  CACHE_DIR="$HOME/Library/Caches/cmdai"
  CONFIG_DIR="$HOME/Library/Application Support/cmdai"
else
  CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/cmdai"
  CONFIG_DIR="${XDG_CONFIG_HOME:-$HOME/.config}/cmdai"
fi

say() { printf 'cmdai install: %s\n' "$*"; }
fail() { printf 'cmdai install: %s\n' "$*" >&2; exit 1; }

# The checkout this script sits in, when it is run from one (not when piped into sh).
checkout_dir() {
  [ -f "$0" ] || return 1
  dir=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd) || return 1
  [ -f "$dir/pyproject.toml" ] && [ -f "$dir/cmdai/__init__.py" ] || return 1
  printf '%s\n' "$dir"
}

# ----------------------------------------------------------------------------- arguments

assume_yes=0 edit_shells=1 uninstall=0 source_spec=
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
[ -n "$source_spec" ] || source_spec=$(checkout_dir) || source_spec=$PACKAGE

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

# ~ for the home directory, so messages show paths as the user writes them.
tilde() {
  case $1 in "$HOME"/*) printf '~/%s\n' "${1#"$HOME"/}" ;; *) printf '%s\n' "$1" ;; esac
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

# ----------------------------------------------------------- what this run created, and undo

# Lines "KIND PATH" for what this run created; kept in RECORD_FILE once the install succeeds,
# undone newest first if it fails.
created=""
note() { created="$created$1 $2
"; }

# make_dir DIR: mkdir -p that notes each directory it creates.
make_dir() {
  [ -d "$1" ] && return 0
  make_dir "$(dirname -- "$1")"
  mkdir -- "$1"
  note dir "$1"
}

# undo_records: read "KIND PATH" lines on stdin, newest first, and remove what they name.
undo_records() {
  while read -r kind path; do
    case $kind in
      dir) rmdir -- "$path" 2>/dev/null || true ;;
      venv) rm -rf -- "$path" ;;
      link) if [ -L "$path" ]; then rm -f -- "$path"; fi ;;
      pipx) pipx uninstall "$path" >/dev/null 2>&1 || true ;;
      uv) uv tool uninstall "$path" >/dev/null 2>&1 || true ;;
    esac
  done
}

newest_first() { sed '1!G;h;$!d'; }

on_exit() {
  status=$?
  if [ "$status" != 0 ] && [ -n "$created" ]; then
    printf '%s' "$created" | newest_first | undo_records
    say "nothing was left behind" >&2
  fi
  exit "$status"
}

# --------------------------------------------------------------------------------- install

install_cmdai() {
  method=$(choose_method)
  case $method in pipx|uv|venv) ;; *) fail "unknown CMDAI_INSTALL_METHOD '$method' (pipx, uv or venv)" ;; esac
  trap on_exit EXIT
  trap 'exit 130' INT TERM
  first_install=1
  [ -f "$METHOD_FILE" ] && first_install=0
  make_dir "$DATA_DIR"
  case $method in
    pipx)
      say "installing $source_spec with pipx"
      [ "$first_install" = 0 ] || note pipx "$PACKAGE"
      pipx install --force "$source_spec" || fail "pipx could not install $source_spec (see above)"
      ;;
    uv)
      say "installing $source_spec with uv tool"
      [ "$first_install" = 0 ] || note uv "$PACKAGE"
      uv tool install --force "$source_spec" || fail "uv could not install $source_spec (see above)"
      ;;
    venv)
      python=$(find_python)
      say "installing $source_spec into $(tilde "$VENV_DIR")"
      if [ ! -x "$VENV_DIR/bin/python" ]; then
        note venv "$VENV_DIR"
        "$python" -m venv "$VENV_DIR" ||
          fail "$python -m venv failed; on Debian and Ubuntu install python3-venv first (sudo apt install python3-venv)"
      fi
      "$VENV_DIR/bin/python" -m pip install --quiet --upgrade "$source_spec" ||
        fail "pip could not install $source_spec (see above)"
      make_dir "$LOCAL_BIN"
      if [ ! -L "$LOCAL_BIN/cmdai" ]; then
        [ ! -e "$LOCAL_BIN/cmdai" ] || fail "$LOCAL_BIN/cmdai exists and is not ours; move it away and run this again"
        note link "$LOCAL_BIN/cmdai"
      fi
      ln -sf "$VENV_DIR/bin/cmdai" "$LOCAL_BIN/cmdai"
      ;;
  esac

  program="$(bin_dir "$method")/cmdai"
  [ -x "$program" ] || fail "the installation did not produce $program"
  version=$("$program" --version 2>&1) || fail "the installed $program does not run: $version"
  version=$(printf '%s\n' "$version" | head -n 1)
  printf '%s\n' "$method" >"$METHOD_FILE"
  if [ -f "$0" ] && [ "$0" != "$SELF_COPY" ]; then cp -- "$0" "$SELF_COPY"; fi
  record
  say "installed $version: $program"
}

# record: keep what this run created, for --uninstall.
record() {
  printf '%s' "$created" >>"$RECORD_FILE"
  created=""
}

recorded() { [ -f "$RECORD_FILE" ] && grep -qxF "$1 $2" "$RECORD_FILE"; }

enable_shells() {
  program="$(bin_dir "$(cat "$METHOD_FILE")")/cmdai"
  for shell in zsh bash fish; do
    command -v "$shell" >/dev/null 2>&1 || continue
    rc=$(rc_file "$shell")
    if [ -f "$rc" ] && grep -qF "$MARKER" "$rc"; then
      say "$shell: already enabled in $(tilde "$rc")"
      continue
    fi
    line="$(init_line "$shell" "$program")  $MARKER"
    if ask "Turn on the Ctrl-G key for $shell (adds one line to $(tilde "$rc"))?"; then
      make_dir "$(dirname -- "$rc")"
      if [ ! -e "$rc" ]; then
        note rc-created "$rc"
        changed="$changed, $(tilde "$rc") (created)"
      else
        changed="$changed, $(tilde "$rc")"
      fi
      # Start on a fresh line even when the file does not end with a newline.
      if [ -s "$rc" ] && [ -n "$(tail -c 1 "$rc")" ]; then
        printf '\n' >>"$rc"
        note rc-newline "$rc"
      fi
      printf '%s\n' "$line" >>"$rc"
      record
      say "$shell: enabled in $(tilde "$rc") (open a new shell to use it)"
    else
      say "$shell: to enable it yourself, add to $(tilde "$rc"):"
      printf '    %s\n' "$(init_line "$shell" "$program")"
    fi
  done
}

# path_advice: what to add when the program's directory is not on PATH.
path_advice() {
  dir=$(bin_dir "$(cat "$METHOD_FILE")")
  case ":$PATH:" in *":$dir:"*) return 0 ;; esac
  shown=$(tilde "$dir")
  case $shown in "~/"*) shell_dir="\$HOME/${shown#"~/"}" ;; *) shell_dir=$dir ;; esac
  say "$dir is not on your PATH, so the command \`cmdai\` is not found by name; add it:"
  printf '    %s\n' "zsh, bash (~/.zshrc, ~/.bashrc, ~/.profile):  export PATH=\"$shell_dir:\$PATH\""
  printf '    %s\n' "fish:  fish_add_path $shown"
  say "until then, run it as $dir/cmdai (the Ctrl-G key works either way)"
}

summary() {
  if [ -n "$changed" ]; then
    say "changed: ${changed#, }"
  else
    say "no rc file was changed"
  fi
  say "to undo everything: sh $(tilde "$SELF_COPY") --uninstall"
}

# ------------------------------------------------------------------------------- uninstall

# unmark FILE: remove the marked line; when it is still the file's last line, also the newline
# this script put before it, so the file is again byte for byte what it was.
unmark() {
  rc=$1
  [ -f "$rc" ] && grep -qF "$MARKER" "$rc" || return 1
  tmp="$rc.cmdai-tmp.$$"
  last=$(tail -n 1 "$rc")
  case $last$(tail -c 1 "$rc") in
    *"$MARKER")
      # The line, and its newline, are the end of the file: cut exactly those bytes.
      size=$(wc -c <"$rc")
      cut=$(( $(printf '%s\n' "$last" | wc -c) ))
      if recorded rc-newline "$rc" && [ "$size" -gt "$cut" ]; then cut=$((cut + 1)); fi
      head -c "$((size - cut))" "$rc" >"$tmp"
      ;;
    *) cp -- "$rc" "$tmp" ;;
  esac
  # Lines after ours were added later by someone else: drop only the marked line.
  grep -vF "$MARKER" "$tmp" >"$tmp.2" || true
  if grep -qF "$MARKER" "$tmp"; then mv -f -- "$tmp.2" "$tmp"; else rm -f -- "$tmp.2"; fi
  # cat keeps the file's inode, permissions and any symlink pointing at it.
  cat "$tmp" >"$rc"
  rm -f -- "$tmp"
  if recorded rc-created "$rc" && [ ! -s "$rc" ]; then
    rm -f -- "$rc"
    say "$(tilde "$rc"): removed (install.sh had created it)"
  else
    say "$(tilde "$rc"): removed the line install.sh added"
  fi
}

uninstall_cmdai() {
  method=$(cat "$METHOD_FILE" 2>/dev/null || true)
  marked=""
  for shell in zsh bash fish; do
    rc=$(rc_file "$shell")
    if [ -f "$rc" ] && grep -qF "$MARKER" "$rc"; then marked="$marked $rc"; fi
  done
  if [ -z "$method" ] && [ -z "$marked" ]; then
    say "nothing to remove: no installation by install.sh was found"
    return 0
  fi
  ask "Remove cmdai and everything install.sh added?" ||
    fail "nothing removed (pass --yes to remove without asking)"
  for shell in zsh bash fish; do
    unmark "$(rc_file "$shell")" || true
  done
  case $method in
    pipx) pipx uninstall "$PACKAGE" >/dev/null && say "removed the pipx package $PACKAGE" ||
            say "pipx had no $PACKAGE to remove" ;;
    uv) uv tool uninstall "$PACKAGE" >/dev/null && say "removed the uv tool $PACKAGE" ||
          say "uv had no $PACKAGE to remove" ;;
    venv)
      # Only remove the link if it is ours.
      if [ -L "$LOCAL_BIN/cmdai" ] && [ "$(readlink "$LOCAL_BIN/cmdai")" = "$VENV_DIR/bin/cmdai" ]; then
        rm -f -- "$LOCAL_BIN/cmdai"
      fi
      if [ -d "$VENV_DIR" ]; then rm -rf -- "$VENV_DIR"; say "removed $(tilde "$VENV_DIR")"; fi
      ;;
  esac
  if [ -d "$CACHE_DIR" ]; then rm -rf -- "$CACHE_DIR"; say "removed the cache $(tilde "$CACHE_DIR")"; fi
  records=$(cat "$RECORD_FILE" 2>/dev/null || true)
  rm -f -- "$METHOD_FILE" "$RECORD_FILE" "$SELF_COPY"
  rmdir -- "$DATA_DIR" 2>/dev/null || true
  # Directories this script created (~/.local/bin, ~/.config/fish…), if nothing else is in them.
  printf '%s\n' "$records" | newest_first | grep '^dir ' | undo_records
  if [ -d "$CONFIG_DIR" ]; then
    say "cmdai is removed; your config in $(tilde "$CONFIG_DIR") is kept"
  else
    say "cmdai is removed"
  fi
}

if [ "$uninstall" = 1 ]; then
  uninstall_cmdai
else
  changed=""
  install_cmdai
  if [ "$edit_shells" = 1 ]; then enable_shells; fi
  path_advice
  summary
fi
