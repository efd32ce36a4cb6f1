"""The shell integration scripts (zsh, bash, fish), shipped as package data; see cmdai.shell_integration."""
