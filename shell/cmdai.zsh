# cmdai for zsh: type a request in plain words, press Ctrl-G, and the line becomes a shell
# command that cmdai generated and safety-checked.
#
# Settings (set them before the line that loads this script):
#   CMDAI_KEY   the key, in bindkey notation (default '^G'); for example CMDAI_KEY='^X^G'
#
# The key is bound in the emacs and vi insert keymaps; no other binding is touched.
# On any failure, a blocked command or Ctrl-C, the line keeps exactly what was typed, the
# cursor stays where it was, and cmdai's message is shown below the line. `undo` (Ctrl-_ in
# the emacs keymap) brings the request back after a replacement.

[[ -o interactive ]] || return 0

# ------------------------------------------------------------------------------ utilities

# How the widget runs cmdai. `cmdai --init zsh` writes the absolute path into the next line.
typeset -ga _cmdai_command
_cmdai_command=(cmdai)

_cmdai_indicator() {
  # A terminal that cannot show UTF-8 would print the hourglass as escape codes.
  if [[ ${(L)${LC_ALL:-${LC_CTYPE:-$LANG}}} == *utf*8* ]]; then
    print -rn -- '⏳ cmdai…'
  else
    print -rn -- '[cmdai...]'
  fi
}

# ------------------------------------------------------------------------------- the widget

_cmdai_widget() {
  emulate -L zsh
  # localtraps: the INT trap below must neither outlive the widget nor replace the user's own.
  setopt localtraps

  # A blank line has nothing to translate: send nothing.
  [[ -n ${BUFFER//[[:space:]]/} ]] || return 0

  local request=$BUFFER saved_postdisplay=$POSTDISPLAY
  local errfile output message
  local -i rc interrupted=0
  errfile=$(command mktemp "${TMPDIR:-/tmp}/cmdai.XXXXXXXX") || {
    zle -M "cmdai: cannot create a temporary file"
    return 0
  }

  # The indicator lives in POSTDISPLAY, so BUFFER and its undo history stay untouched.
  POSTDISPLAY="  $(_cmdai_indicator)"
  zle -R

  # Ctrl-C ends cmdai. With a trap in place zsh runs it instead of aborting the widget, so the
  # line survives.
  trap 'interrupted=1' INT
  output=$(print -rn -- "$request" | "${_cmdai_command[@]}" --widget --shell zsh 2>"$errfile")
  rc=$?
  (( interrupted )) && rc=130

  POSTDISPLAY=$saved_postdisplay
  message=$(<"$errfile")
  command rm -f -- "$errfile"

  if (( rc == 0 )) && [[ -n $output ]]; then
    BUFFER=$output
    CURSOR=${#BUFFER}
  elif (( rc == 130 )) && [[ -z $message ]]; then
    message="cmdai: interrupted"
  fi
  zle reset-prompt
  [[ -z $message ]] || zle -M -- "$message"
  return 0
}

# ------------------------------------------------------------------------------- the binding

zle -N _cmdai_widget
bindkey -M emacs "${CMDAI_KEY:-^G}" _cmdai_widget
bindkey -M viins "${CMDAI_KEY:-^G}" _cmdai_widget

# To enable, add this line to ~/.zshrc:
#   eval "$(cmdai --init zsh)"
