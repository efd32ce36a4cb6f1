# cmdai as a zsh plugin, for oh-my-zsh, zinit, antidote and other plugin managers.
# It loads cmdai.zsh from this directory; cmdai itself must be installed and on PATH
# (for example with `pipx install cmdai`). CMDAI_KEY works as described in cmdai.zsh.

source "${${(%):-%x}:A:h}/cmdai.zsh"
