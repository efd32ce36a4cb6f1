# Tab completion of cmdai's options in zsh (flags, backends, shells, safety levels, cached
# model names). cmdai itself lists the candidates: `cmdai --complete WORD…`.

_cmdai() {
  local line
  local -a described directories
  for line in "${(@f)$("${_cmdai_command[@]:-cmdai}" --complete "${(@)words[2,CURRENT]}" 2>/dev/null)}"; do
    [[ -n $line ]] || continue
    if [[ $line == */ ]]; then
      directories+=("$line")
    elif [[ $line == *$'\t'* ]]; then
      described+=("${${line%%$'\t'*}//:/\\:}:${line#*$'\t'}")
    else
      described+=("${line//:/\\:}")
    fi
  done
  (( ${#directories} )) && compadd -S '' -- "${directories[@]}"
  (( ${#described} )) && _describe -t cmdai 'cmdai' described
  return 0
}
# compdef exists once compinit has run; without it zsh has no programmable completion at all.
(( $+functions[compdef] )) && compdef _cmdai cmdai
