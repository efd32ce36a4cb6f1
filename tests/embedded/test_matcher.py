"""The matcher: required answers, shell and OS variants, and declining rather than guessing."""
from __future__ import annotations

import pytest

from cmdai.backends.embedded import matcher
from cmdai.backends.embedded.engine import Matcher, NoMatch, os_family
from cmdai.backends.embedded.catalog import INTENTS, NOT_ARGS
from cmdai.backends.embedded.intent import intent
from cmdai.backends.embedded.slots import extract


def answer(text: str, shell: str = "bash", os_name: str = "linux") -> str:
    return matcher().match(text, shell, os_name).command


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_list_all_python_files_is_exactly_find_name(shell: str) -> None:
    assert answer("list all python files", shell) == "find . -name '*.py'"


def test_find_files_larger_than_100mb() -> None:
    assert answer("find files larger than 100MB") == "find . -type f -size +100M"


@pytest.mark.parametrize("text, linux, macos", [
    ("replace 'foo' with 'bar' in a.txt", "sed -i 's/foo/bar/g' a.txt", "sed -i '' 's/foo/bar/g' a.txt"),
    ("when was a.txt last modified", "stat -c %y a.txt", "stat -f %Sm a.txt"),
    ("what was the date 3 days ago", "date -d '3 days ago' +%F", "date -v-3d +%F"),
    ("show listening ports", "ss -tulpn", "lsof -iTCP -sTCP:LISTEN -n -P"),
    ("install htop", "sudo apt install htop", "brew install htop"),
    ("find broken symlinks", "find . -xtype l", "find -L . -type l"),
])
def test_gnu_and_bsd_variants(text: str, linux: str, macos: str) -> None:
    assert answer(text, os_name="linux") == linux
    assert answer(text, os_name="macos") == macos
    assert answer(text, os_name="Darwin") == macos


def test_fish_variants_and_rewrites() -> None:
    assert answer("kill the process on port 3000", "fish") == "kill (lsof -t -i :3000)"
    assert answer("kill the process on port 3000", "bash") == "kill $(lsof -t -i :3000)"
    assert answer("activate the virtualenv", "fish") == "source .venv/bin/activate.fish"
    assert answer("run the last command with sudo", "fish") == "eval sudo $history[1]"
    assert answer("reload my shell config", "zsh") == "source ~/.zshrc"


def test_linux_only_intents_decline_on_macos() -> None:
    assert answer("show failed services", os_name="linux") == "systemctl --failed"
    with pytest.raises(NoMatch):
        answer("show failed services", os_name="macos")


@pytest.mark.parametrize("text", [
    "asdf qwer zxcv",
    "make me a sandwich",
    "list all python files except tests",
    "find python files that are not empty",
    "delete all .pyc files and then reboot",
    "write a poem about git",
    "start the build",          # no service is named "build"
    "install the lib",          # nor a package "lib"
    "install the dependencies",
    "convert data.csv to json",              # ffmpeg converts audio and video only
    "convert song.mp3 to mp4",               # audio has no pictures for a video
    "convert video.mp4 to mp4",
    "download admin@server1:/var/log/app.log",  # an scp path is no URL for curl
    "compress the current directory",        # a tarball written into the directory it packs
    "commit all",                            # no message, and never the history
    "Print your/dir if it's empty",          # about the directory itself, not empty files in it
    'create a symbolic link named "/usr/bin/x" to "/opt/x"',  # quoted paths: which one is the link is unclear
    "find all files in the $dir directory",  # files and directories both named: no -type d
    "find files that contain spaces in their names",
    'create a symbolic link in the current directory to "$file"',  # the link's place, not its target
    "show the sizes of all files in /var",   # one size per file, not the total
    "ssh as root",                           # a login with no host, not a host called root
    "unzip data.zip to desktop",             # ~/Desktop or ./desktop: unclear
    "",
])
def test_nonsense_and_unexplained_words_get_no_answer(text: str) -> None:
    with pytest.raises(NoMatch) as info:
        answer(text)
    assert not info.value.ambiguous


@pytest.mark.parametrize("text", ["show file size"])
def test_ambiguous_requests_get_no_answer(text: str) -> None:
    with pytest.raises(NoMatch) as info:
        answer(text)
    assert info.value.ambiguous
    assert len(info.value.candidates) >= 2


def test_free_names_follow_their_verb_and_are_never_verbs() -> None:
    assert answer("pull the nginx image") == "docker pull nginx"
    assert answer("stop the web container") == "docker stop web"
    with pytest.raises(NoMatch):
        answer("create md5sum of a directory")
    assert answer("list running containers") == "docker ps"


def test_more_specific_intents_win() -> None:
    assert answer("find files containing 'api_key'") == "grep -rl 'api_key' ."
    assert answer("search for 'api_key'") == "grep -rn 'api_key' ."
    assert answer("show the last commit") == "git show --stat HEAD"
    assert answer("show the last 3 commits") == "git log --oneline -n 3"


@pytest.mark.parametrize("text, command", [
    ("show disk usage of each folder", "du -sh ./*/"),
    ("disk usage of every directory in /var", "du -sh /var/*/"),
    ("show disk usage by folder", "du -sh ./*/"),
    ("how big is each folder here", "du -sh ./*/"),
    ("show disk usage of each entry here", "du -sh ./*"),
    ("show disk usage", "du -sh ."),
    ("set permissions 755 on each directory", "find . -type d -exec chmod 755 {} +"),
    ("delete every .pyc file", "find . -name '*.pyc' -delete"),
    ("list all files", "ls -la"),
])
def test_per_entry_quantifiers_select_per_entry_commands(text: str, command: str) -> None:
    assert answer(text) == command


def test_a_quantifier_never_stands_in_for_what_it_quantifies() -> None:
    # Files and directories together: a command for files only would leave the directories out.
    with pytest.raises(NoMatch):
        answer("change the permissions of every directory and all files to 700")


@pytest.mark.parametrize("text, command", [
    ("show the size of the src folder", "du -sh src"),
    ("list files in /var sorted by size", "ls -lhS /var"),
    ("how much space does /var use", "du -sh /var"),
    ("how much disk space do I have", "df -h"),
])
def test_size_of_a_directory_is_its_total(text: str, command: str) -> None:
    assert answer(text) == command


def test_a_directory_word_the_path_does_not_explain_declines() -> None:
    with pytest.raises(NoMatch):
        answer("change the permissions of all the directories in the folder root_dir to 555")


@pytest.mark.parametrize("text, command", [
    ("undo the last commit but keep the changes", "git reset --soft HEAD~1"),
    ("how many lines of python are in this repo", "find . -name '*.py' -exec wc -l {} +"),
    ("create a tar.gz of the logs folder", "tar -czf logs.tar.gz logs"),
    ("find duplicate lines in list.txt", "sort list.txt | uniq -d"),
    ("remove duplicate lines from list.txt", "awk '!seen[$0]++' list.txt"),
    ("is nginx running", "pgrep -fl nginx"),
    ("show the git log of this repo", "git log --oneline"),
    ("commit", "git commit"),
    ("commit all changes with message 'x'", "git commit -am 'x'"),
    ("commit with message 'fix all bugs'", "git commit -m 'fix all bugs'"),
    ("stage all changes and commit with message 'fix bug'", "git add -A && git commit -m 'fix bug'"),
])
def test_everyday_phrasings(text: str, command: str) -> None:
    assert answer(text) == command


@pytest.mark.parametrize("text", ["run the tests", "run nginx"])
def test_an_imperative_run_is_not_a_process_lookup(text: str) -> None:
    with pytest.raises(NoMatch):
        answer(text)


def test_scoring_on_a_private_catalog() -> None:
    m = Matcher([
        intent("a", "echo a", "alpha"),
        intent("ab", "echo ab", "alpha beta"),
        intent("tie", "echo tie", "gamma"),
        intent("tie2", "echo tie2", "gamma"),
        intent("same", "echo same", "delta"),
        intent("same2", "echo same", "delta"),
        intent("named", "greet <arg>", "greet", arg=r"[a-z]+"),
    ], not_args=["everyone"])
    assert m.match("alpha").intent_id == "a"
    assert m.match("alpha beta").intent_id == "ab"
    with pytest.raises(NoMatch):
        m.match("alpha omega")
    with pytest.raises(NoMatch) as info:
        m.match("gamma")
    assert info.value.ambiguous
    # Equal scores with the same command are no ambiguity.
    assert m.match("delta").command == "echo same"
    assert m.match("greet bob").command == "greet bob"
    with pytest.raises(NoMatch):
        m.match("greet Bob1")
    with pytest.raises(NoMatch):
        m.match("greet everyone")


def test_the_intents_a_request_is_not_tried_against_would_all_decline_it(bench_requests) -> None:
    m = Matcher(INTENTS, NOT_ARGS)
    every = range(len(INTENTS))
    for text, shell, os_name in bench_requests:
        parsed = extract(text)
        tried = m._candidates(parsed)
        assert len(tried) < len(INTENTS) / 4
        for family in ("linux", "macos"):
            for index in sorted(set(every) - set(tried)):
                assert m._try(m._entry(index), parsed, text, shell, family) is None, (text, INTENTS[index].id)


def test_a_first_required_word_may_come_from_a_value_a_mark_or_a_place_word() -> None:
    m = Matcher([
        intent("value", "pip install -r <file>", "requirement install"),
        intent("mark", "du -sh */", "each size", "disk dir"),
        intent("place", "pwd", "here where"),
    ])
    # "requirements.txt" holds the word, "of each" is a mark, "here" a place no template uses.
    assert m.match("install requirements.txt").command == "pip install -r requirements.txt"
    assert m.match("disk size of each dir").command == "du -sh */"
    assert m.match("where am i here").command == "pwd"


def test_explanations_describe_the_filled_slots() -> None:
    found = matcher().match("find files larger than 100MB in /var")
    assert "/var" in found.explanation and "100MB" in found.explanation


def test_os_family() -> None:
    assert os_family("macos") == os_family("darwin") == "macos"
    assert os_family("linux") == os_family("freebsd") == "linux"


@pytest.mark.parametrize("text, command", [
    ("copy file.txt to server1:/tmp", "scp file.txt server1:/tmp"),
    ("copy the build folder to server1:/var/www", "scp -r build server1:/var/www"),
    ("copy from server1:/var/log/app.log to here", "scp server1:/var/log/app.log ."),
    ("clone git@github.com:me/app.git", "git clone git@github.com:me/app.git"),
    ("ssh into db01 as admin", "ssh admin@db01"),
    ("ssh to 10.0.0.5 as user root", "ssh root@10.0.0.5"),
])
def test_remote_paths_and_logins(text: str, command: str) -> None:
    assert answer(text) == command


@pytest.mark.parametrize("text, command", [
    ("unzip data.zip into out", "unzip data.zip -d out"),
    ("extract backup.tar.gz into the out folder", "tar -xf backup.tar.gz -C out"),
    ("zip the logs folder", "zip -r logs.zip logs"),
    ("zip here", 'zip -r "$(basename "$PWD").zip" .'),
])
def test_archive_names_and_destinations(text: str, command: str) -> None:
    assert answer(text) == command


def test_large_ranks_files_instead_of_guessing_a_size() -> None:
    assert answer("find big python files in src") == "find src -type f -name '*.py' -exec du -h {} + | sort -rh | head -n 10"
    assert answer("how big is file.txt") == "du -sh file.txt"
