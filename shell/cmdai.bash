# cmdai for bash (4.0 or newer): type a request in plain words, press Ctrl-G, and the line
# becomes a shell command that cmdai generated and safety-checked. Alt-I explains the command
# on the line.
#
# Settings (set them before the line that loads this script):
#   CMDAI_KEY           the key, in readline notation (default '\C-g'); for example CMDAI_KEY='\C-x\C-g'
#   CMDAI_EXPLAIN_KEY   the explain key (default '\ei', Alt-I); for example CMDAI_EXPLAIN_KEY='\C-xe'
#
# The keys are bound in the emacs and vi-insert keymaps; no other binding is touched.
# On any failure, a blocked command or Ctrl-C, the line keeps exactly what was typed, the
# cursor stays where it was, and cmdai's message is printed above the redrawn prompt.
# Readline's undo (Ctrl-_) brings the request back after a replacement. Keys typed while
# cmdai works are discarded, so an impatient Enter never runs a command nobody has seen.

[[ $- == *i* ]] || return 0

if (( BASH_VERSINFO[0] < 4 )); then
  printf 'cmdai: the Ctrl-G widget needs bash 4.0 or newer (this is %s)\n' "$BASH_VERSION" >&2
  return 0
fi

# ------------------------------------------------------------------------------ utilities

# How the widget runs cmdai. `cmdai --init bash` writes the absolute path into the next line.
_cmdai_command=(cmdai)
# Whether requests go into the history; `cmdai --init bash` writes [shell] record_requests here.
_cmdai_record_requests=0

__cmdai_indicator() {
  # A terminal that cannot show UTF-8 would print the hourglass as escape codes.
  local locale=${LC_ALL:-${LC_CTYPE:-$LANG}}
  case ${locale,,} in
    *utf*8*) printf '%s' '⏳ cmdai…' ;;
    *) printf '%s' '[cmdai...]' ;;
  esac
}

__cmdai_cursor_to_end() {
  # Older bash counts READLINE_POINT in bytes, newer bash in characters and stops at the end
  # of the line: the length in bytes puts the cursor at the end in both.
  local LC_ALL=C
  READLINE_POINT=${#READLINE_LINE}
}

__cmdai_installed() {
  # After an uninstall, shells that were open still have the key bound.
  local program=${_cmdai_command[0]}
  if [[ $program == */* ]]; then [[ -x $program ]]; else type -P -- "$program" >/dev/null; fi
}

__cmdai_run() {
  # Run `cmdai --widget ARGS…` on the line; sets __cmdai_rc, __cmdai_output and __cmdai_message.
  # $1 is the exit status of the previous command.
  local request=$READLINE_LINE last_status=$1 last_command frame saved_trap interrupted=0
  shift
  __cmdai_rc=1 __cmdai_output= __cmdai_message=
  if ! __cmdai_installed; then
    __cmdai_message="cmdai is not installed any more; remove the line from your rc file"
    return
  fi

  # bash has already cleared the prompt's last line for the duration of the binding; the
  # indicator takes its place until readline redraws it, and cmdai counts the seconds there.
  __cmdai_indicator >/dev/tty

  # Ctrl-C ends cmdai. Without a trap bash would jump back to the top level and readline would
  # throw the line away; with one, this function carries on and the line survives. The user's own
  # trap (which only a command substitution sees) and the previous command are read in one
  # subshell: each costs the key press a fork.
  saved_trap=$(builtin trap -p INT; printf '\037'; HISTTIMEFORMAT= builtin fc -ln -1 2>/dev/null)
  last_command=${saved_trap#*$'\037'}
  last_command=${last_command#"${last_command%%[![:space:]]*}"}
  saved_trap=${saved_trap%%$'\037'*}
  trap 'interrupted=1' INT
  # cmdai's messages come first, then "\037" status "\037" and the text for the line (cmdai
  # never prints a \037 itself): no temporary file. The previous command goes to cmdai in its
  # environment, never on its command line.
  frame=$(
    { __cmdai_output=$(printf '%s' "$request" |
        CMDAI_LAST_COMMAND=$last_command CMDAI_LAST_STATUS=$last_status CMDAI_WIDGET_TICKS=1 \
        "${_cmdai_command[@]}" --widget --shell bash "$@"); } 2>&1
    printf '\037%s\037%s' "$?" "$__cmdai_output"
  )
  eval "${saved_trap:-trap - INT}"

  __cmdai_message=${frame%%$'\037'*}
  __cmdai_message=${__cmdai_message%$'\n'}
  if (( interrupted )); then
    __cmdai_rc=130
  elif [[ $frame == *$'\037'*$'\037'* ]]; then
    frame=${frame#*$'\037'}
    __cmdai_rc=${frame%%$'\037'*}
    __cmdai_output=${frame#*$'\037'}
    # Run as `python -m cmdai`, an uninstalled cmdai leaves the interpreter behind.
    if [[ $__cmdai_rc != 0 && $__cmdai_message == *"No module named cmdai"* ]]; then
      __cmdai_message="cmdai is not installed any more; remove the line from your rc file"
    fi
  fi
  if [[ $__cmdai_rc == 130 && -z $__cmdai_message ]]; then
    __cmdai_message="cmdai: interrupted"
  fi
}

__cmdai_show_message() {
  # Erase the indicator; the message goes in its place and readline redraws the prompt below.
  printf '\r\033[K' >/dev/tty
  [[ -z $__cmdai_message ]] || printf '%s\n' "$__cmdai_message" >/dev/tty
}

# ------------------------------------------------------------------------------- the widgets

__cmdai_widget() {
  local last_status=$?
  # A blank line has nothing to translate: send nothing.
  [[ -n ${READLINE_LINE//[[:space:]]/} ]] || return 0

  local request=$READLINE_LINE
  __cmdai_run "$last_status" --session "$$"
  if (( __cmdai_rc == 0 )) && [[ -n $__cmdai_output ]]; then
    # A request in plain words goes into the history as a comment, when asked for; a line
    # cmdai wrote itself (the next alternative) is not a request.
    if (( _cmdai_record_requests )) && [[ $request != "${__cmdai_inserted-}" ]]; then
      history -s -- "# ${request//$'\n'/ }"
    fi
    READLINE_LINE=$__cmdai_output
    __cmdai_cursor_to_end
    __cmdai_inserted=$READLINE_LINE
  fi
  __cmdai_show_message
  return 0
}

__cmdai_explain_widget() {
  local last_status=$?
  [[ -n ${READLINE_LINE//[[:space:]]/} ]] || return 0
  # The explanation is only shown; the line is never changed.
  __cmdai_run "$last_status" --explain
  __cmdai_show_message
  return 0
}

# ------------------------------------------------------------------------------- the bindings

bind -m emacs -x "\"${CMDAI_KEY:-\C-g}\": __cmdai_widget"
bind -m vi-insert -x "\"${CMDAI_KEY:-\C-g}\": __cmdai_widget"
bind -m emacs -x "\"${CMDAI_EXPLAIN_KEY:-\ei}\": __cmdai_explain_widget"
bind -m vi-insert -x "\"${CMDAI_EXPLAIN_KEY:-\ei}\": __cmdai_explain_widget"

# To enable, add this line to ~/.bashrc:
#   eval "$(cmdai --init bash)"
