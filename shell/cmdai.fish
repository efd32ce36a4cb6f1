# cmdai for fish (3.1 or newer, including 4.x): type a request in plain words, press Ctrl-G,
# and the line becomes a shell command that cmdai generated and safety-checked. Alt-I explains
# the command on the line.
#
# Settings (set them before the line that loads this script):
#   CMDAI_KEY           the key as `bind` takes it (default \cg); for example \cx\cg, or on
#                       fish 4 also ctrl-x,ctrl-g
#   CMDAI_EXPLAIN_KEY   the explain key (default \ei, Alt-I); on fish 4 also alt-i
#
# The keys are bound in the default and vi insert modes; no other binding is touched.
# On any failure, a blocked command or Ctrl-C, the line keeps exactly what was typed, the
# cursor stays where it was, and cmdai's message is printed above the redrawn prompt.
# fish's undo (Ctrl-Z or Ctrl-_) brings the request back after a replacement. Keys typed while
# cmdai works are discarded, so an impatient Enter never runs a command nobody has seen.

status is-interactive; or exit 0

# ------------------------------------------------------------------------------- utilities

# How the widget runs cmdai. `cmdai --init fish` writes the absolute path into the next line.
set -g __cmdai_command cmdai
# Whether requests go into the history; `cmdai --init fish` writes [shell] record_requests here.
set -g __cmdai_record_requests 0

function __cmdai_indicator
    # A terminal that cannot show UTF-8 would print the hourglass as escape codes.
    set -l locale $LC_ALL $LC_CTYPE $LANG
    if string match -qi -- '*utf*8*' $locale[1]
        printf '%s' '⏳ cmdai…'
    else
        printf '%s' '[cmdai...]'
    end
end

function __cmdai_installed
    # After an uninstall, shells that were open still have the key bound.
    if string match -q -- '*/*' $__cmdai_command[1]
        test -x $__cmdai_command[1]
    else
        command -q -- $__cmdai_command[1]
    end
end

function __cmdai_screen_rows --description 'Prompt lines, rows above the cursor and rows below it'
    # fish repaints relative to where it left the cursor, so anything printed under the command
    # line must leave the cursor as many rows below the new prompt's start as it was before.
    # Wrapped lines count as the rows they take (the prompt's last line starts the first).
    set -l prompt (fish_prompt 2>/dev/null)
    set -q prompt[1]; or set prompt ''
    set -l column (string length --visible -- $prompt[-1])
    set -l lines (commandline)
    set -q lines[1]; or set lines ''
    set -l cursor_line (commandline --line)
    set -l before (commandline --cut-at-cursor)
    set -l before_width 0
    test (count $before) -ge $cursor_line; and set before_width (string length --visible -- $before[-1])
    set -l rows 0
    set -l cursor_row 0
    set -l index 0
    # Counted by hand: `seq` would cost the key press a process.
    for line in $lines
        set index (math $index + 1)
        test $index -eq $cursor_line
        and set cursor_row (math "$rows + floor(($column + $before_width) / $COLUMNS)")
        set rows (math "$rows + floor(($column + "(string length --visible -- $line)") / $COLUMNS) + 1")
        set column 0
    end
    echo (count $prompt) $cursor_row (math $rows - 1 - $cursor_row)
end

function __cmdai_begin --description 'Show the indicator on the row under the command line'
    set -g __cmdai_rows (string split ' ' -- (__cmdai_screen_rows))
    string repeat -N -n (math $__cmdai_rows[3] + 1) \n >/dev/tty
    printf '\r\e[K%s' (__cmdai_indicator) >/dev/tty
    set -g __cmdai_waiting 1
end

function __cmdai_end --description 'Replace the indicator by the messages, then redraw the prompt'
    set -q __cmdai_waiting[1]; or return
    set -e __cmdai_waiting
    set argv (string match -v -- '' $argv)
    if set -q argv[1]
        # From the prompt's first row down: the messages, then the prompt, redrawn below them.
        printf '\e[%dA\r\e[J' (math $__cmdai_rows[1] + $__cmdai_rows[2] + $__cmdai_rows[3]) >/dev/tty
        printf '%s\n' $argv >/dev/tty
        string repeat -N -n (math $__cmdai_rows[1] - 1 + $__cmdai_rows[2]) \n >/dev/tty
    else
        # Back to the cursor's row: the prompt is redrawn where it was.
        printf '\r\e[K\e[%dA' (math $__cmdai_rows[3] + 1) >/dev/tty
    end
    commandline -f repaint
end

function __cmdai_on_interrupt --on-signal SIGINT
    # Ctrl-C during the widget: fish ignores repaints requested before the signal was handled,
    # so the indicator would stay on screen without this one.
    set -q __cmdai_waiting[1]; or return
    __cmdai_end 'cmdai: interrupted'
end

function __cmdai_forget_errfile --on-event fish_exit
    set -q __cmdai_errfile[1]; and command rm -f -- $__cmdai_errfile
end

function __cmdai_remember_status --on-event fish_postexec
    # For the next key press: the command just run and its exit status.
    set -g __cmdai_last_status $status
    set -g __cmdai_last_command $argv[1]
end

function __cmdai_run --description 'Run cmdai --widget ARGS on the line; sets __cmdai_rc, _output, _message'
    set -g __cmdai_rc 1
    set -g __cmdai_output ''
    set -g __cmdai_message
    __cmdai_begin
    if not __cmdai_installed
        set __cmdai_message 'cmdai is not installed any more; remove the line from your rc file'
        return
    end
    set -l request (commandline | string collect)

    # cmdai's messages go to a file made once per shell (fish cannot capture stderr apart from
    # stdout otherwise) and removed when the shell exits.
    if not test -f "$__cmdai_errfile"
        set -g __cmdai_errfile (command mktemp (set -q TMPDIR[1]; and echo $TMPDIR; or echo /tmp)/cmdai.XXXXXXXX)
        or return
    end

    # The previous command goes to cmdai in its environment, never on its command line.
    set -l output (printf '%s' $request |
        CMDAI_LAST_COMMAND="$__cmdai_last_command" CMDAI_LAST_STATUS="$__cmdai_last_status" \
        CMDAI_WIDGET_TICKS=1 $__cmdai_command --widget --shell fish $argv 2>$__cmdai_errfile | string collect)
    set __cmdai_rc $pipestatus[2]
    set __cmdai_output $output
    set __cmdai_message (string split \n -- (string collect <$__cmdai_errfile))
    # Run as `python -m cmdai`, an uninstalled cmdai leaves the interpreter behind.
    if test "$__cmdai_rc" != 0; and string match -q -- '*No module named cmdai*' $__cmdai_message
        set __cmdai_message 'cmdai is not installed any more; remove the line from your rc file'
    end
    if test "$__cmdai_rc" = 130; and not set -q __cmdai_message[1]
        set __cmdai_message 'cmdai: interrupted'
    end
end

# -------------------------------------------------------------------------------- the widgets

function __cmdai_widget --description 'Replace the request on the command line with a command from cmdai'
    set -l request (commandline | string collect)
    # A blank line has nothing to translate: send nothing.
    string match -qr '\S' -- $request; or return 0

    __cmdai_run --session $fish_pid
    if test "$__cmdai_rc" = 0; and test -n "$__cmdai_output"
        # A request in plain words goes into the history as a comment, when asked for; a line
        # cmdai wrote itself (the next alternative) is not a request.
        if test "$__cmdai_record_requests" = 1; and test "$request" != "$__cmdai_inserted"
            __cmdai_record "# "(string join ' ' -- (string split \n -- $request))
        end
        commandline -r -- $__cmdai_output
        commandline -C (string length -- $__cmdai_output)
        set -g __cmdai_inserted $__cmdai_output
    end
    __cmdai_end $__cmdai_message
end

function __cmdai_explain_widget --description 'Explain the command on the line below it, leaving it as it is'
    string match -qr '\S' -- (commandline | string collect); or return 0
    __cmdai_run --explain
    __cmdai_end $__cmdai_message
end

function __cmdai_record --argument-names entry --description 'Add ENTRY to the history without running it'
    # fish 4 appends to the history itself; fish 3 (whose `history` would take "append" for a
    # search) reads entries added to its file on merge.
    if not string match -qr '^[0-3]\.' -- $version
        builtin history append -- $entry
        return
    end
    set -q fish_history; or set -l fish_history fish
    test -n "$fish_history"; or return  # private mode keeps no history
    set -l data_dir $XDG_DATA_HOME
    test -n "$data_dir"; or set data_dir ~/.local/share
    # (A merge within the second the shell started, or merged last, takes effect on the next one.)
    printf '%s\n' "- cmd: "(string replace -a \\ \\\\ -- $entry) "  when: "(date +%s) \
        >>$data_dir/fish/$fish_history"_history"
    and builtin history merge
end

# ------------------------------------------------------------------------------- the bindings

function __cmdai_bind --on-variable fish_key_bindings --description 'Bind the cmdai keys in the default and vi insert modes'
    # Switching between emacs and vi bindings erases all bindings; this puts ours back.
    set -l key \cg
    set -l explain_key \ei
    # The settings may hold the key itself or its escaped spelling, as typed in the environment.
    set -q CMDAI_KEY[1]; and set key (string unescape -- $CMDAI_KEY)
    set -q CMDAI_EXPLAIN_KEY[1]; and set explain_key (string unescape -- $CMDAI_EXPLAIN_KEY)
    bind $key __cmdai_widget
    bind -M insert $key __cmdai_widget
    bind $explain_key __cmdai_explain_widget
    bind -M insert $explain_key __cmdai_explain_widget
end
__cmdai_bind

# To enable, add this line to ~/.config/fish/config.fish:
#   cmdai --init fish | source
