# Tab completion of cmdai's options in fish (flags, backends, shells, safety levels, cached
# model names). cmdai itself lists the candidates: `cmdai --complete WORD…`.

function __cmdai_complete
    set -l program $__cmdai_command
    set -q program[1]; or set program cmdai
    $program --complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null
end
complete -c cmdai -f -a '(__cmdai_complete)'
