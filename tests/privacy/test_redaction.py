"""The redactor: every secret shape in the corpus is withheld, every look-alike passes untouched."""
from __future__ import annotations

import random
from typing import NamedTuple, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdai.values import GenerationRequest
from cmdai.redaction import Redactor, entropy_bits, find_secrets, is_secret_name

from .corpus import LOOK_ALIKES, SECRETS, TOKEN_SHAPES, password, pick, ALNUM


def test_the_corpus_is_large_enough():
    assert len(SECRETS) >= 100
    assert len(LOOK_ALIKES) >= 100
    assert len({text for text, _ in SECRETS}) == len(SECRETS)


@pytest.mark.parametrize("text,secrets", SECRETS, ids=[f"secret-{i}" for i in range(len(SECRETS))])
def test_secret_is_withheld_and_restored(text, secrets):
    redactor = Redactor()
    redacted = redactor.redact(text)
    for secret in secrets:
        assert secret not in redacted, f"{secret!r} survived in {redacted!r}"
    assert "<SECRET_1>" in redacted
    assert redactor.restore(redacted) == text


@pytest.mark.parametrize("text", LOOK_ALIKES, ids=[f"look-alike-{i}" for i in range(len(LOOK_ALIKES))])
def test_look_alike_is_left_alone(text):
    redactor = Redactor()
    assert redactor.redact(text) == text
    assert redactor.count == 0


def test_the_same_secret_gets_the_same_placeholder_in_every_field():
    token = TOKEN_SHAPES["github classic"](random.Random(1))
    request = GenerationRequest(text=f"clone with {token}", context={"last_command": {"command": f"export GH_TOKEN={token}"}})
    redacted = Redactor().redact_request(request)
    assert redacted.text == "clone with <SECRET_1>"
    assert redacted.context == {"last_command": {"command": "export GH_TOKEN=<SECRET_1>"}}


def test_a_secret_first_seen_in_the_context_is_hidden_in_the_text_too():
    secret = password(random.Random(2))
    request = GenerationRequest(text=f"log in as admin with {secret} please",
                                context={"last_command": {"command": f"export DB_PASSWORD='{secret}'"}})
    redacted = Redactor().redact_request(request)
    assert secret not in repr(redacted)


def test_fields_added_to_the_request_later_are_redacted_too():
    class RefineRequest(NamedTuple):
        text: str
        shell: str = "bash"
        os_name: str = "linux"
        model: Optional[str] = None
        previous_command: str = ""

    token = TOKEN_SHAPES["npm"](random.Random(3))
    redacted = Redactor().redact_request(RefineRequest("add verbose output", model="gpt-4o",
                                                       previous_command=f"npm publish --token {token}"))
    assert token not in repr(redacted)
    assert redacted.model == "gpt-4o" and redacted.shell == "bash"


def test_placeholders_the_model_did_not_get_stay_as_they_are():
    redactor = Redactor()
    redactor.redact("export API_TOKEN=abcdef123456")
    assert redactor.restore("echo <SECRET_1> <SECRET_7>") == "echo abcdef123456 <SECRET_7>"


def test_a_short_secret_is_not_replaced_inside_longer_words():
    redactor = Redactor()
    assert redactor.redact("export DB_PASS=cat && cat notes.txt | concat") == \
        "export DB_PASS=<SECRET_1> && <SECRET_1> notes.txt | concat"


def test_secret_names():
    for name in ("GITHUB_TOKEN", "db.password", "apiKey", "aws_secret_access_key", "DB_PASS", "_authToken", "client-secret"):
        assert is_secret_name(name), name
    for name in ("PATH", "key", "monkey", "PUBLIC_KEY", "max_tokens", "TOKEN_URL", "KEY_FILE", "passwd_file"):
        assert not is_secret_name(name), name


def test_entropy():
    assert entropy_bits("aaaa") == 0
    assert entropy_bits("abcd") == 2


def test_ordinary_requests_find_nothing():
    for text in ("list all python files", "find files larger than 100MB modified since 10:00",
                 "show disk usage of /var/log sorted by size", "kill the process on port 8080"):
        assert find_secrets(text) == []


# -- fuzzing: secrets at random places in random requests ---------------------------------------

WORDS = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789./-_:'\"()"), min_size=1, max_size=12)


def _secret_snippets(seed: int):
    """A secret (by shape, in an assignment, after a flag, in a URL) and the text that carries it."""
    rng = random.Random(seed)
    kind = rng.randrange(6)
    if kind == 0:
        secret = rng.choice(list(TOKEN_SHAPES.values()))(rng)
        return secret, secret
    if kind == 1:
        secret = pick(ALNUM, rng.randint(8, 40), rng)
        name = rng.choice(["GITHUB_TOKEN", "API_KEY", "DB_PASSWORD", "client_secret", "AWS_SECRET_ACCESS_KEY"])
        return secret, f"export {name}={secret}"
    if kind == 2:
        secret = password(rng)
        return secret, f"--password '{secret}'"
    if kind == 3:
        secret = password(rng)
        return secret, f"postgres://app:{secret}@db.example.com/app"
    if kind == 4:
        secret = pick(ALNUM + "+/", 32, rng)
        return secret, f"SIGNING={secret}"
    secret = TOKEN_SHAPES["jwt"](rng)
    return secret, f"Authorization: Bearer {secret}"


@settings(max_examples=300, deadline=None)
@given(words=st.lists(WORDS, min_size=0, max_size=25), seeds=st.lists(st.integers(0, 10**9), min_size=1, max_size=3),
       data=st.data())
def test_secrets_at_random_positions_never_survive(words, seeds, data):
    from cmdai.remote.prompting import build_messages

    words = list(words)
    secrets = []
    for seed in seeds:
        secret, snippet = _secret_snippets(seed)
        secrets.append(secret)
        words.insert(data.draw(st.integers(0, len(words))), snippet)
    request = GenerationRequest(text=" ".join(words))
    redactor = Redactor()
    redacted = redactor.redact_request(request)
    body = repr(build_messages(redacted))
    for secret in secrets:
        assert secret not in body
    assert redactor.restore(redacted.text) == request.text


def test_a_specific_find_beats_the_generic_high_entropy_one():
    redactor = Redactor()
    assert redactor.redact("psql 'postgres://app:hlXdScXQJ_blD3@db/app'") == "psql 'postgres://app:<SECRET_1>@db/app'"


@pytest.mark.parametrize("text, secret", [
    # A quote opened after a name swallows the assignment that follows; the search goes on inside it.
    ("_:'export API_KEY=B51YbmwxAscRq9Zt postgres://app:pa'ss9Kx@db.example.com/app", "B51YbmwxAscRq9Zt"),
    ("_:' export API_KEY=B51YbmwxAscR --password 'pw", "B51YbmwxAscR"),
    ("note: 'export GITHUB_TOKEN=ghp_4x9QzL2mN8vR1tY6uW3eK7jH5gF0dS2aB9cX please'",
     "ghp_4x9QzL2mN8vR1tY6uW3eK7jH5gF0dS2aB9cX"),
    ('title="run with --password Zq8!vL2#pX9m now"', "Zq8!vL2#pX9m"),
])
def test_a_secret_inside_another_match_is_found(text, secret):
    redactor = Redactor()
    redacted = redactor.redact(text) if redactor.learn(text) is None else text
    assert secret not in redacted
    assert redactor.restore(redacted) == text


def test_a_url_password_with_a_raw_at_sign_is_hidden_whole():
    redactor = Redactor()
    text = "psql postgres://app:3@m+h1Air,7+Cd@db.example.com/app"
    assert redactor.redact(text) == "psql postgres://app:<SECRET_1>@db.example.com/app"
    assert redactor.restore(redactor.redact(text)) == text


def test_a_short_secret_never_rewrites_a_placeholder():
    # "3" is the first secret; the third placeholder, <SECRET_3>, holds that digit too.
    text = "tool --password 3 --token Zx81kqQ2wLp0 && export API_KEY=B51YbmwxAscRq9Zt"
    redactor = Redactor()
    redacted = redactor.redact(text)
    assert redacted == "tool --password <SECRET_1> --token <SECRET_2> && export API_KEY=<SECRET_3>"
    assert redactor.restore(redacted) == text
