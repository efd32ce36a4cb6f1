"""Rendering: quoting for each shell, optional template parts, fish rewriting, variant choice."""
from __future__ import annotations

import shlex

import pytest

from cmdai.backends.embedded.render import fill, pick_variant, quote, quote_path
from cmdai.shells.fish import to_fish
from cmdai.backends.embedded.slots import Slot


@pytest.mark.parametrize("value", ["plain", "two words", "it's", "$(reboot)", "`id`", "a;rm -rf /", "back\\slash", ""])
def test_quote_round_trips_through_a_posix_shell(value: str) -> None:
    assert shlex.split(quote(value)) == [value]
    assert shlex.split(quote(value, force=True)) == [value]


def test_quote_leaves_safe_words_alone_unless_forced() -> None:
    assert quote("notes.txt") == "notes.txt"
    assert quote("*.py") == "'*.py'"
    assert quote("TODO", force=True) == "'TODO'"


def test_fish_quotes_escape_backslashes_and_single_quotes() -> None:
    assert quote("it's", "fish") == "'it\\'s'"
    assert quote("a\\b", "fish") == "'a\\\\b'"


def test_paths_keep_the_tilde_expandable() -> None:
    assert quote_path("~") == "~"
    assert quote_path("~/My Files") == "~/'My Files'"
    assert quote_path("/tmp/x y") == "'/tmp/x y'"


def test_optional_parts_appear_only_with_their_slots() -> None:
    template = "find <path> -name <glob>[? -size <size>?]"
    slots = {"glob": Slot("*.py", "force")}
    assert fill(template, slots, {"path": "."}, "bash") == "find . -name '*.py'"
    slots["size"] = Slot("+1M", "literal")
    assert fill(template, slots, {"path": "."}, "bash") == "find . -name '*.py' -size +1M"


def test_a_location_word_is_dropped_from_optional_parts() -> None:
    here = {"dir": Slot(".", "literal", implicit=True)}
    assert fill("ls -la[? <dir>?]", here, {}, "bash") == "ls -la"
    assert fill("du -sh <dir>", here, {}, "bash") == "du -sh ."


def test_missing_required_slot_gives_no_command() -> None:
    assert fill("cat <file>", {}, {}, "bash") is None


def test_user_text_is_quoted_never_raw() -> None:
    slots = {"text": Slot("x'; rm -rf ~; echo '", "force"), "dir": Slot(".", "literal")}
    command = fill("grep -rn <text> <dir>", slots, {}, "bash")
    assert command is not None
    assert shlex.split(command) == ["grep", "-rn", "x'; rm -rf ~; echo '", "."]


def test_variables_render_per_shell() -> None:
    slots = {"path": Slot("HOME/src", "var")}
    assert fill("ls <path>", slots, {}, "bash") == 'ls "$HOME"/src'
    assert fill("ls <path>", slots, {}, "fish") == "ls $HOME/src"


def test_to_fish_rewrites_command_substitution() -> None:
    assert to_fish("kill $(lsof -t -i :3000)") == "kill (lsof -t -i :3000)"
    assert to_fish('echo "$(date)"') == "echo (date)"
    assert to_fish("upower -i $(upower -e | grep $(echo BAT))") == "upower -i (upower -e | grep (echo BAT))"
    assert to_fish("echo '$(not this)'") == "echo '$(not this)'"


def test_variant_choice_prefers_the_most_specific() -> None:
    variants = {"macos": "M", "fish": "F", "macos_fish": "MF"}
    assert pick_variant("D", variants, "bash", "linux") == "D"
    assert pick_variant("D", variants, "zsh", "macos") == "M"
    assert pick_variant("D", variants, "fish", "linux") == "F"
    assert pick_variant("D", variants, "fish", "macos") == "MF"
