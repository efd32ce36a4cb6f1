"""Slot filling: each kind of value the offline engine takes from a request."""
from __future__ import annotations

from typing import Dict

import pytest

from cmdai.backends.embedded.slots import Slot, extract


def slots_of(text: str) -> Dict[str, Slot]:
    merged: Dict[str, Slot] = {}
    for phrase in extract(text).phrases:
        for key, slot in phrase.slots.items():
            merged.setdefault(key, slot)
    return merged


@pytest.mark.parametrize("text, glob", [
    ("list all python files", "*.py"),
    ("find javascript source files", "*.js"),
    ("count the c++ files", "*.cpp"),
    ("show shell scripts", "*.sh"),
    ("delete .pyc files", "*.pyc"),
    ("find *.tar.gz files", "*.tar.gz"),
    ("files with extension md", "*.md"),
    ("find all pdfs", "*.pdf"),
    ("find 'custlist*' files", "custlist*"),
    ('find all the "jpg" files', "*.jpg"),
])
def test_extension_from_language_names_and_patterns(text: str, glob: str) -> None:
    assert slots_of(text)["glob"].raw == glob


def test_a_dotfile_is_a_file_not_an_extension() -> None:
    slots = slots_of("show .bashrc")
    assert "glob" not in slots
    assert slots["file"].raw == ".bashrc"


def test_one_named_log_file_is_not_a_pattern() -> None:
    slots = slots_of("follow the log file server.log")
    assert "glob" not in slots
    assert slots["file"].raw == "server.log"


def test_quoted_strings_are_text_unless_they_name_a_file() -> None:
    assert slots_of("search for 'connection refused' in app.log")["text"].raw == "connection refused"
    named = slots_of("find the file called 'settings.json'")
    assert named["name"].raw == "settings.json" and "text" not in named


def test_unquoted_search_text() -> None:
    assert slots_of("search for error in /var/log/syslog")["text"].raw == "error"
    assert slots_of("lines containing timeout")["text"].raw == "timeout"


@pytest.mark.parametrize("text, key, value", [
    ("list files in /var/log", "dir", "/var/log"),
    ("show notes.txt", "file", "notes.txt"),
    ("list ~/Downloads", "path", "~/Downloads"),
    ("files in the src directory", "dir", "src"),
    ("files in the current directory", "path", "."),
    ("files in my home directory", "path", "~"),
    ("search the whole system", "path", "/"),
    ("extract backup.tgz", "tarfile", "backup.tgz"),
    ("unzip photos.zip", "zipfile", "photos.zip"),
    ("decompress data.csv.gz", "gzfile", "data.csv.gz"),
])
def test_paths_and_locations(text: str, key: str, value: str) -> None:
    assert slots_of(text)[key].raw == value


@pytest.mark.parametrize("text, value", [
    ("how much space does node_modules use", "node_modules"),
    ("list files in build", "build"),
    ("show the size of src", "src"),
    ("delete the build directory", "build"),
    ("go to src", "src"),
    ("find python files in my_project", "my_project"),
])
def test_bare_directory_names(text: str, value: str) -> None:
    assert slots_of(text)["dir"].raw == value


@pytest.mark.parametrize("text", [
    "build the docker image",
    "run the tests",
    "count lines in test files",
    "show the build log",
    "print the value of JAVA_HOME",
])
def test_words_that_name_directories_elsewhere_stay_words(text: str) -> None:
    assert "path" not in slots_of(text)


@pytest.mark.parametrize("text, key, value", [
    ("get rid of all .DS_Store files", "name", ".DS_Store"),
    ("find all .env files", "name", ".env"),
    ("delete __pycache__ directories", "name", "__pycache__"),
    ("remove all .bam files", "glob", "*.bam"),
    ("search for .VER files", "glob", "*.VER"),
])
def test_plural_names_match_every_file_of_that_name(text: str, key: str, value: str) -> None:
    slots = slots_of(text)
    assert slots[key].raw == value
    assert "file" not in slots


def test_second_path_is_the_destination() -> None:
    slots = slots_of("copy notes.txt to /tmp/backup")
    assert slots["file"].raw == "notes.txt"
    assert slots["dest"].raw == "/tmp/backup"


def test_slashed_english_words_are_not_paths() -> None:
    assert "path" not in slots_of("find all files/directories")


def test_shell_variables_are_kept_as_variables() -> None:
    slot = slots_of("find all files under $dir")["path"]
    assert (slot.raw, slot.style) == ("dir", "var")


@pytest.mark.parametrize("text, size", [
    ("files larger than 100MB", "+100M"),
    ("bigger than 2 gb", "+2G"),
    ("smaller than 10kb", "-10240c"),
    ("over 500 bytes", "+500c"),
    ("larger than 1.5GB", "+1536M"),
    ("files > 20M", "+20M"),
])
def test_sizes_with_units(text: str, size: str) -> None:
    assert slots_of(text)["size"].raw == size


@pytest.mark.parametrize("text, age", [
    ("modified in the last 3 days", "-mtime -3"),
    ("changed in the last hour", "-mmin -60"),
    ("in the past 30 minutes", "-mmin -30"),
    ("in the last 48 hours", "-mtime -2"),
    ("modified today", "-mtime -1"),
    ("older than 2 weeks", "-mtime +14"),
    ("modified more than a month ago", "-mtime +30"),
    ("not modified in the last 90 days", "-mtime +90"),
    ("accessed within 2 days", "-atime -2"),
])
def test_durations(text: str, age: str) -> None:
    assert slots_of(text)["age"].raw == age


def test_durations_also_give_a_since_phrase() -> None:
    assert slots_of("commits from the last 2 weeks")["since"].raw == "2 weeks ago"


@pytest.mark.parametrize("text, port", [("kill whatever is on port 3000", "3000"), ("what runs on :8080", "8080")])
def test_ports(text: str, port: str) -> None:
    assert slots_of(text)["port"].raw == port


def test_users_hosts_urls_and_remotes() -> None:
    assert slots_of("files owned by alice")["user"].raw == "alice"
    assert slots_of("processes of user bob")["user"].raw == "bob"
    assert slots_of("ping example.com")["host"].raw == "example.com"
    assert slots_of("ping 10.0.0.1")["host"].raw == "10.0.0.1"
    assert slots_of("fetch https://example.com/a?b=1")["url"].raw == "https://example.com/a?b=1"
    remote = slots_of("copy a.txt to deploy@web1:/srv")
    assert remote["remote"].raw == "deploy@web1:/srv"
    assert remote["target"].raw == "deploy@web1"
    assert slots_of("copy from root@db:/backup/x.sql")["from_remote"].raw == "root@db:/backup/x.sql"


def test_numbers_pids_modes_and_ordinals() -> None:
    assert slots_of("first 20 lines")["n"].raw == "20"
    assert slots_of("kill process 4242")["pid"].raw == "4242"
    assert slots_of("set permissions to 755")["mode"].raw == "755"
    assert slots_of("print the third column")["n"].raw == "3"


def test_replacement_pairs_become_a_sed_script() -> None:
    slot = slots_of("replace 'a/b' with 'c&d' in x.txt")["sed_sub"]
    assert slot.raw == r"s/a\/b/c\&d/g"
    assert slot.style == "force"


def test_no_replacement_for_character_classes() -> None:
    assert "sed_sub" not in slots_of("replace tabs with spaces in x.txt")


@pytest.mark.parametrize("text, key, value", [
    # re's IGNORECASE reads ı and İ as i and ſ as s; the values follow what the pattern read.
    ("find files modified in the last 3 dayſ", "age", "-mtime -3"),
    ("find files acceſſed in the last 2 days", "age", "-atime -2"),
    ("files changed within ſix hours", "age", "-mmin -360"),
    ("print the fırst column of data.csv", "n", "1"),
    ("find files leſs than 5MB", "size", "-5242880c"),
    ("find files at  most 5MB", "size", "-5242881c"),
    ("find files ſmaller than 500 kB", "size", "-512000c"),
])
def test_letters_the_patterns_fold_give_the_values_they_read(text: str, key: str, value: str) -> None:
    assert slots_of(text)[key].raw == value
