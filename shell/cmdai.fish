# cmdai for fish (3.1 or newer, including 4.x): type a request in plain words, press Ctrl-G,
# and the line becomes a shell command that cmdai generated and safety-checked.
#
# Settings (set them before the line that loads this script):
#   CMDAI_KEY   the key as `bind` takes it (default \cg); for example \cx\cg, or on fish 4
#               also ctrl-x,ctrl-g
#
# The key is bound in the default and vi insert modes; no other binding is touched.
# On any failure, a blocked command or Ctrl-C, the line keeps exactly what was typed, the
# cursor stays where it was, and cmdai's message is printed above the redrawn prompt.
# fish's undo (Ctrl-Z or Ctrl-_) brings the request back after a replacement.

status is-interactive; or exit 0

# ------------------------------------------------------------------------------- utilities

# How the widget runs cmdai. `cmdai --init fish` writes the absolute path into the next line.
set -g __cmdai_command cmdai

function __cmdai_indicator
    # A terminal that cannot show UTF-8 would print the hourglass as escape codes.
    set -l locale $LC_ALL $LC_CTYPE $LANG
    if string match -qi -- '*utf*8*' $locale[1]
        printf '%s' '⏳ cmdai…'
    else
        printf '%s' '[cmdai...]'
    end
end

function __cmdai_show --description 'Print cmdai messages above the prompt, then redraw it'
    if test -n "$argv[1]"
        # The indicator row becomes the message; the prompt is redrawn on the row below.
        printf '\r\e[K%s\n' $argv >/dev/tty
    end
    commandline -f repaint
end

function __cmdai_on_interrupt --on-signal SIGINT
    # Ctrl-C during the widget: fish ignores repaints requested before the signal was handled,
    # so the indicator would stay on screen without this one.
    set -q __cmdai_waiting; or return
    set -e __cmdai_waiting
    commandline -f repaint
end

# -------------------------------------------------------------------------------- the widget

function __cmdai_widget --description 'Replace the request on the command line with a command from cmdai'
    set -l request (commandline | string collect)
    # A blank line has nothing to translate: send nothing.
    string match -qr '\S' -- $request; or return 0

    set -l errfile (command mktemp (set -q TMPDIR; and echo $TMPDIR; or echo /tmp)/cmdai.XXXXXXXX)
    or return 0

    # The indicator is drawn at the cursor and the cursor put back; the command line itself
    # (and its undo history) is untouched until the answer arrives.
    set -g __cmdai_waiting 1
    printf '\e7 %s\e8' (__cmdai_indicator) >/dev/tty
    set -l output (printf '%s' $request | $__cmdai_command --widget --shell fish 2>$errfile | string collect)
    set -l rc $pipestatus[2]
    # After Ctrl-C fish drops the repaint requested below; the SIGINT handler asks again.
    test "$rc" = 130; or set -e __cmdai_waiting

    set -l message (string collect <$errfile)
    command rm -f -- $errfile
    if test "$rc" = 0; and test -n "$output"
        commandline -r -- $output
        commandline -C (string length -- $output)
    else if test "$rc" = 130; and test -z "$message"
        set message 'cmdai: interrupted'
    end
    __cmdai_show $message
end

# ------------------------------------------------------------------------------- the binding

function __cmdai_bind --on-variable fish_key_bindings --description 'Bind the cmdai key in the default and vi insert modes'
    # Switching between emacs and vi bindings erases all bindings; this puts ours back.
    set -l key \cg
    # CMDAI_KEY may hold the key itself or its escaped spelling, as typed in the environment.
    set -q CMDAI_KEY[1]; and set key (string unescape -- $CMDAI_KEY)
    bind $key __cmdai_widget
    bind -M insert $key __cmdai_widget
end
__cmdai_bind

# To enable, add this line to ~/.config/fish/config.fish:
#   cmdai --init fish | source
