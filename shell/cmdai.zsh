# cmdai for zsh: type a request in plain words, press Ctrl-G, and the line becomes a shell
# command that cmdai generated and safety-checked. Alt-I explains the command on the line.
#
# Settings (set them before the line that loads this script):
#   CMDAI_KEY           the key, in bindkey notation (default '^G'); for example CMDAI_KEY='^X^G'
#   CMDAI_EXPLAIN_KEY   the explain key (default '^[i', Alt-I); for example CMDAI_EXPLAIN_KEY='^Xe'
#
# The keys are bound in the emacs and vi insert keymaps; no other binding is touched.
# On any failure, a blocked command or Ctrl-C, the line keeps exactly what was typed, the
# cursor stays where it was, and cmdai's message is shown below the line. `undo` (Ctrl-_ in
# the emacs keymap) brings the request back after a replacement. Keys typed while cmdai works
# are discarded, so an impatient Enter never runs a command nobody has seen.

[[ -o interactive ]] || return 0

zmodload -F zsh/system b:sysread || return 0
zmodload -F zsh/datetime p:EPOCHREALTIME || return 0
autoload -Uz add-zle-hook-widget add-zsh-hook

# ------------------------------------------------------------------------------ utilities

# How the widget runs cmdai. `cmdai --init zsh` writes the absolute path into the next line.
typeset -ga _cmdai_command
_cmdai_command=(cmdai)
# Whether requests go into the history; `cmdai --init zsh` writes [shell] record_requests here.
typeset -gi _cmdai_record_requests=0

# What the last run of cmdai left: its exit status, the text for the line and its messages.
typeset -gi _cmdai_rc
typeset -g _cmdai_output _cmdai_message
# The line a message below it belongs to: once the line changes, the message goes.
typeset -g _cmdai_message_line

_cmdai_indicator() {
  # Sets REPLY to the indicator with $1 whole seconds, shown from the first second on (no
  # subshell: this runs on every key press). A terminal that cannot show UTF-8 would print the
  # hourglass as escape codes.
  local text=${${1:#0}:+" $1s"}
  if [[ ${(L)${LC_ALL:-${LC_CTYPE:-$LANG}}} == *utf*8* ]]; then
    REPLY="⏳ cmdai${text:-…}"
  else
    REPLY="[cmdai${text:-...}]"
  fi
}

_cmdai_installed() {
  # After an uninstall, shells that were open still have the key bound.
  local program=${_cmdai_command[1]}
  [[ $program == */* ]] && [[ -x $program ]] || (( ${+commands[$program]} ))
}

_cmdai_run() {
  # Run `cmdai --widget ARGS…` on the line; sets _cmdai_rc, _cmdai_output and _cmdai_message.
  # The indicator in POSTDISPLAY counts the seconds; BUFFER and its undo history stay untouched.
  local saved_postdisplay=$POSTDISPLAY request=$BUFFER reply chunk REPLY
  local -F started=$EPOCHREALTIME now
  local -i fd shown=0 seconds interrupted=0 last_status=$1
  shift
  _cmdai_rc=1 _cmdai_output= _cmdai_message=

  if ! _cmdai_installed; then
    _cmdai_message="cmdai is not installed any more; remove the line from your rc file"
    return
  fi

  _cmdai_indicator 0
  POSTDISPLAY="  $REPLY"
  zle -R

  # Without job control cmdai stays in the terminal's foreground process group: Ctrl-C reaches
  # it, and it may clear the keys typed meanwhile.
  setopt localoptions
  unsetopt monitor

  # Ctrl-C ends cmdai. With a trap in place zsh runs it instead of aborting the widget, so the
  # line survives.
  trap 'interrupted=1' INT
  # cmdai runs beside the widget, so the indicator can count. Its messages come first, then
  # "\x1f" status "\x1f" and the text for the line (cmdai never prints a \x1f itself). The
  # previous command goes to cmdai in its environment, never on its command line.
  exec {fd}< <(
    {
      _cmdai_output=$(print -rn -- "$request" |
        CMDAI_LAST_COMMAND=${history[$((HISTCMD - 1))]} CMDAI_LAST_STATUS=$last_status \
        "${_cmdai_command[@]}" --widget --shell zsh "$@")
    } 2>&1
    print -rn -- $'\x1f'"$?"$'\x1f'"$_cmdai_output"
  )
  while (( ! interrupted )); do
    now=$EPOCHREALTIME
    # Wake on output, or at the next whole second to update the count.
    sysread -t $(( 1 - (now - started) % 1 )) -i $fd chunk
    case $? in
      0) reply+=$chunk ;;
      4) seconds=$(( EPOCHREALTIME - started ))
         if (( seconds > shown )); then
           shown=seconds
           _cmdai_indicator $shown
           POSTDISPLAY="  $REPLY"
           zle -R
         fi ;;
      *) break ;;  # end of output (5), or a read interrupted by Ctrl-C
    esac
  done
  exec {fd}<&-
  POSTDISPLAY=$saved_postdisplay

  _cmdai_message=${${reply%%$'\x1f'*}%$'\n'}
  if (( interrupted )); then
    _cmdai_rc=130
  elif [[ $reply == *$'\x1f'*$'\x1f'* ]]; then
    reply=${reply#*$'\x1f'}
    _cmdai_rc=${reply%%$'\x1f'*}
    _cmdai_output=${reply#*$'\x1f'}
    # Run as `python -m cmdai`, an uninstalled cmdai leaves the interpreter behind.
    [[ $_cmdai_rc != 0 && $_cmdai_message == *"No module named cmdai"* ]] &&
      _cmdai_message="cmdai is not installed any more; remove the line from your rc file"
  fi
  [[ $_cmdai_rc == 130 && -z $_cmdai_message ]] && _cmdai_message="cmdai: interrupted"
}

_cmdai_show_message() {
  zle reset-prompt
  _cmdai_message_line=$BUFFER
  # zle counts a message line that fills whole rows exactly as one row more than the terminal
  # shows (the cursor waits at the margin), then redraws the command line a row too low and
  # leaves a copy of it above: such a line gets one blank column more.
  local line
  local -a lines
  for line in "${(@f)_cmdai_message}"; do
    (( ${(m)#line} && ${(m)#line} % COLUMNS == 0 )) && line+=' '
    lines+=("$line")
  done
  zle -M -- "${(F)lines}"
}

# -------------------------------------------------------------------------------- the hooks

_cmdai_clear_stale_message() {
  # A message about an earlier line must not linger under a new one.
  [[ -n $_cmdai_message_line && $BUFFER != $_cmdai_message_line ]] || return 0
  _cmdai_message_line=
  zle -M ''
}
add-zle-hook-widget line-pre-redraw _cmdai_clear_stale_message

typeset -g _cmdai_pending_request
_cmdai_record_request() {
  [[ -n $_cmdai_pending_request ]] && print -rs -- "$_cmdai_pending_request"
  _cmdai_pending_request=
  return 0
}
add-zsh-hook zshaddhistory _cmdai_record_request

# ------------------------------------------------------------------------------- the widgets

_cmdai_widget() {
  local -i last_status=$?
  emulate -L zsh
  # localtraps: the INT trap in _cmdai_run must neither outlive the widget nor replace the
  # user's own.
  setopt localtraps

  # A blank line has nothing to translate: send nothing.
  [[ -n ${BUFFER//[[:space:]]/} ]] || return 0

  local request=$BUFFER
  _cmdai_message_line=
  zle -M ''
  _cmdai_run $last_status --session $$

  if (( _cmdai_rc == 0 )) && [[ -n $_cmdai_output ]]; then
    # A request in plain words goes into the history as a comment, when asked for; a line
    # cmdai wrote itself (the next alternative) is not a request.
    # zle does not see history added while it edits a line, so the entry waits for the next line
    # to go into the history, and goes in just before it.
    if (( _cmdai_record_requests )) && [[ $request != ${_cmdai_inserted-} ]]; then
      _cmdai_pending_request="# ${request//$'\n'/ }"
    fi
    BUFFER=$_cmdai_output
    CURSOR=${#BUFFER}
    typeset -g _cmdai_inserted=$BUFFER
  fi
  _cmdai_show_message
  return 0
}

_cmdai_explain_widget() {
  local -i last_status=$?
  emulate -L zsh
  setopt localtraps
  [[ -n ${BUFFER//[[:space:]]/} ]] || return 0

  _cmdai_message_line=
  zle -M ''
  _cmdai_run $last_status --explain
  # The explanation is only shown; the line is never changed.
  _cmdai_show_message
  return 0
}

# ------------------------------------------------------------------------------- the bindings

zle -N _cmdai_widget
zle -N _cmdai_explain_widget
bindkey -M emacs "${CMDAI_KEY:-^G}" _cmdai_widget
bindkey -M viins "${CMDAI_KEY:-^G}" _cmdai_widget
bindkey -M emacs "${CMDAI_EXPLAIN_KEY:-^[i}" _cmdai_explain_widget
bindkey -M viins "${CMDAI_EXPLAIN_KEY:-^[i}" _cmdai_explain_widget

# To enable, add this line to ~/.zshrc:
#   eval "$(cmdai --init zsh)"
