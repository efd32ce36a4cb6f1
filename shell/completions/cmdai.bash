# Tab completion of cmdai's options in bash (flags, backends, shells, safety levels, cached
# model names). cmdai itself lists the candidates: `cmdai --complete WORD…`.

_cmdai_complete() {
  local line cur prefix breaks=${COMP_WORDBREAKS//[[:space:]]/}
  local -a words
  # Split the line up to the cursor on blanks only: `--safety=st` stays one word.
  read -r -a words <<<"${COMP_LINE:0:COMP_POINT}"
  [[ ${COMP_LINE:0:COMP_POINT} == *[[:blank:]] ]] && words+=("")
  cur=${words[${#words[@]}-1]}
  # Readline replaces only the text after the last break character (= and : among them).
  [[ -n $breaks ]] && prefix=${cur%"${cur##*[$breaks]}"}
  COMPREPLY=()
  while IFS= read -r line; do
    COMPREPLY+=("${line%%$'\t'*}")
    COMPREPLY[${#COMPREPLY[@]}-1]=${COMPREPLY[${#COMPREPLY[@]}-1]#"$prefix"}
  done < <("${_cmdai_command[@]:-cmdai}" --complete "${words[@]:1}" 2>/dev/null)
  # A directory is completed further, not closed with a space.
  if [[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == */ ]]; then compopt -o nospace 2>/dev/null; fi
}
complete -F _cmdai_complete cmdai
