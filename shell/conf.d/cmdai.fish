# cmdai as a fish plugin, for fisher and other managers that install conf.d snippets.
# Plugin managers copy only this file, so it asks the installed cmdai for its integration:
# the script always matches the cmdai that will answer the key. CMDAI_KEY works as described
# in `cmdai --init fish`.

status is-interactive; or exit 0
command -q cmdai; and cmdai --init fish | source
