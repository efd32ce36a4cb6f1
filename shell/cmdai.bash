# cmdai for bash (4.0 or newer): type a request in plain words, press Ctrl-G, and the line
# becomes a shell command that cmdai generated and safety-checked.
#
# Settings (set them before the line that loads this script):
#   CMDAI_KEY   the key, in readline notation (default '\C-g'); for example CMDAI_KEY='\C-x\C-g'
#
# The key is bound in the emacs and vi-insert keymaps; no other binding is touched.
# On any failure, a blocked command or Ctrl-C, the line keeps exactly what was typed, the
# cursor stays where it was, and cmdai's message is printed above the redrawn prompt.
# Readline's undo (Ctrl-_) brings the request back after a replacement.

[[ $- == *i* ]] || return 0

if (( BASH_VERSINFO[0] < 4 )); then
  printf 'cmdai: the Ctrl-G widget needs bash 4.0 or newer (this is %s)\n' "$BASH_VERSION" >&2
  return 0
fi

# ------------------------------------------------------------------------------ utilities

# How the widget runs cmdai. `cmdai --init bash` writes the absolute path into the next line.
_cmdai_command=(cmdai)

__cmdai_indicator() {
  # A terminal that cannot show UTF-8 would print the hourglass as escape codes.
  local locale=${LC_ALL:-${LC_CTYPE:-$LANG}}
  case ${locale,,} in
    *utf*8*) printf '%s' '⏳ cmdai…' ;;
    *) printf '%s' '[cmdai...]' ;;
  esac
}

__cmdai_byte_length() {
  # Older bash counts READLINE_POINT in bytes, newer bash in characters and stops at the end
  # of the line: the length in bytes puts the cursor at the end in both.
  local LC_ALL=C
  printf '%s' "${#1}"
}

# ------------------------------------------------------------------------------- the widget

__cmdai_widget() {
  # A blank line has nothing to translate: send nothing.
  [[ -n ${READLINE_LINE//[[:space:]]/} ]] || return 0

  local request=$READLINE_LINE errfile output message saved_trap rc interrupted=0
  errfile=$(command mktemp "${TMPDIR:-/tmp}/cmdai.XXXXXXXX") || return 0

  # bash has already cleared the prompt's last line for the duration of the binding; the
  # indicator takes its place until readline redraws it.
  __cmdai_indicator >/dev/tty

  # Ctrl-C ends cmdai. Without a trap bash would jump back to the top level and readline would
  # throw the line away; with one, this function carries on and the line survives.
  saved_trap=$(trap -p INT)
  trap 'interrupted=1' INT
  output=$(printf '%s' "$request" | "${_cmdai_command[@]}" --widget --shell bash 2>"$errfile")
  rc=$?
  eval "${saved_trap:-trap - INT}"
  (( interrupted )) && rc=130

  message=$(<"$errfile")
  command rm -f -- "$errfile"
  if (( rc == 0 )) && [[ -n $output ]]; then
    READLINE_LINE=$output
    READLINE_POINT=$(__cmdai_byte_length "$output")
  elif (( rc == 130 )) && [[ -z $message ]]; then
    message="cmdai: interrupted"
  fi

  # Erase the indicator; a message goes in its place and readline redraws the prompt below.
  printf '\r\033[K' >/dev/tty
  [[ -z $message ]] || printf '%s\n' "$message" >/dev/tty
  return 0
}

# ------------------------------------------------------------------------------- the binding

bind -m emacs -x "\"${CMDAI_KEY:-\C-g}\": __cmdai_widget"
bind -m vi-insert -x "\"${CMDAI_KEY:-\C-g}\": __cmdai_widget"

# To enable, add this line to ~/.bashrc:
#   eval "$(cmdai --init bash)"
