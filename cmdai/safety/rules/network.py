"""Remote code execution, reverse shells, secret exfiltration, uploads and remote logins."""
from __future__ import annotations

from ...lazy_regex import lazy_regex
from ..levels import Risk
from .base import Cmd, Hit, Redirect, checks, on_pipeline, on_redirect, rule
from .paths import Scope, scope, secret_in

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Optional, Tuple

C, H, M = Risk.CRITICAL, Risk.HIGH, Risk.MODERATE
RCE = "remote code execution"
REVERSE = "reverse shell"
EXFIL = "secret exfiltration"
NET = "network"

PIPE_TO_SHELL = rule("rce.pipe-to-interpreter", C, RCE, "runs code downloaded from the network ({target})")
RUN_DOWNLOAD = rule("rce.run-downloaded", C, RCE, "runs the file {target} right after downloading it")
REVERSE_SHELL = rule("reverse-shell", C, REVERSE, "gives a remote host a shell on this machine")
RAW_SOCKET = rule("net.raw-socket", M, NET, "opens a raw network connection ({target})")
LISTENER = rule("net.listen", M, NET, "listens for network connections")
EXFILTRATE = rule("exfil.secret", C, EXFIL, "sends {target} to a remote host")
UPLOAD = rule("net.upload", M, NET, "sends local data to a remote host")
REMOTE_LOGIN = rule("net.remote-login", M, NET, "logs in to or copies files to a remote host")
TLS_OFF = rule("security.tls-env", H, "disabling security", "turns off TLS certificate checks ({target})")
INSECURE_ONCE = rule("net.insecure-download", M, NET, "skips TLS certificate checks for this download")
REMOTE_DELETE = rule("net.remote-delete", M, NET, "asks the server to delete {target}")
REMOTE_CHANGE = rule("net.remote-change", M, NET, "sends a request that changes data on the server ({target})")

#: Tools whose output is what a remote host sent.
FETCHERS = frozenset(["curl", "wget", "fetch", "http", "https", "xh", "aria2c", "lwp-request", "GET", "nc",
                      "ncat", "netcat", "socat", "telnet", "openssl", "ssh", "tftp", "ftp", "iwr", "irm",
                      "Invoke-WebRequest", "Invoke-RestMethod", "powershell", "gsutil", "s3cmd"])
SOCKET_TOOLS = frozenset(["nc", "ncat", "netcat", "socat", "telnet", "openssl", "cryptcat", "pwncat"])
#: Commands whose arguments reach another host: in a header, a URL, a hostname looked up (DNS), a mail.
SENDERS = FETCHERS | SOCKET_TOOLS | frozenset(["scp", "sftp", "rsync", "dig", "nslookup", "host", "drill",
                                               "ping", "ping6", "traceroute", "mail", "mailx", "sendmail",
                                               "aws", "gcloud", "az", "gh"])
_SHELLS = ("sh", "bash", "zsh", "dash", "ksh", "fish", "ash", "mksh", "csh", "tcsh", "cmd", "powershell", "pwsh",
           "rbash", "yash", "posh")
#: HTTP methods that delete or change what the server holds.
CHANGING_METHODS = frozenset(["DELETE", "PUT", "PATCH", "POST"])
_HTTP_METHODS = CHANGING_METHODS | {"GET", "HEAD", "OPTIONS", "TRACE", "CONNECT"}
_HTTPIE = ("http", "https", "xh", "httpie")
_HTTPIE_VALUES = ("-a", "--auth", "-A", "--auth-type", "--session", "--session-read-only", "-o", "--output",
                  "--verify", "--cert", "--cert-key", "--proxy", "--timeout", "-p", "--print", "--pretty",
                  "-s", "--style", "--max-redirects", "--default-scheme", "--ssl", "--ciphers", "--format-options")
#: An HTTPie request item that sends data (field=value, field:=json, field@file), not a header or query.
_HTTPIE_DATA = lazy_regex(r"^[^=:@]*(=(?!=)|:=|@)")
_UPLOAD_OPTS = {"-d", "--data", "--data-binary", "--data-raw", "--data-urlencode", "--data-ascii", "-F", "--form",
                "-T", "--upload-file", "--json", "--post-file", "--post-data", "--body-file", "--body-data"}


#: Commands that print a secret (private keys, stored passwords, access tokens), and for a token the
#: domains it is made for: sending it there is what it is for.
_SECRET_PRINTERS = (
    ("gpg", ("--export-secret-keys", "--export-secret-subkeys"), "your private GPG keys", ()),
    ("security", ("find-generic-password", "find-internet-password"), "a password from the keychain", ()),
    ("pass", ("show",), "a password from the password store", ()),
    ("gh", ("token",), "your GitHub token", ("github.com", "githubusercontent.com")),
    ("gcloud", ("print-access-token", "print-identity-token"), "a Google Cloud access token",
     ("googleapis.com", "google.com", "run.app", "cloudfunctions.net")),
    ("az", ("get-access-token",), "an Azure access token",
     ("azure.com", "azure.net", "windows.net", "microsoft.com", "microsoftonline.com", "azure-api.net")),
    ("aws", ("get-session-token", "aws_secret_access_key", "get-secret-value"), "AWS credentials", ()),
    ("kubectl", ("--raw",), "your Kubernetes credentials", ()),
    ("vault", ("read", "kv"), "a secret from Vault", ()),
)
_URL_HOST = lazy_regex(r"https?://(?:[^@/\s]*@)?([A-Za-z0-9.-]+)")


def _printer(cmd: Cmd) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """The secret ``cmd`` prints and the domains it is for, when it is one of the secret printers."""
    return next(((secret, homes) for name, markers, secret, homes in _SECRET_PRINTERS
                 if cmd.name == name and set(markers) & set(cmd.args)), None)


def secret_output(cmd: Cmd) -> Optional[str]:
    """The secret the command prints, if it is one that prints secrets."""
    printed = _printer(cmd)
    return printed[0] if printed else None


def goes_home(secret_source: Optional[Cmd], args: List[str]) -> bool:
    """Whether a token printed by ``secret_source`` goes only to the service it is for: every address in
    ``args`` is under one of its domains (``$(gh auth token)`` sent to api.github.com)."""
    printed = _printer(secret_source) if secret_source is not None else None
    domains = printed[1] if printed else ()
    hosts = [found.group(1).lower().rstrip(".") for a in args for found in _URL_HOST.finditer(a)]
    return bool(domains and hosts) and all(
        any(host == domain or host.endswith("." + domain) for domain in domains) for host in hosts)


SERVE_SECRETS = rule("exfil.serve-secrets", C, EXFIL, "serves {target} to everyone who can reach this machine")
SERVE_WIDE = rule("net.serve-wide", H, "uploads and remote access",
                  "serves {target} to everyone who can reach this machine")


@checks("python", "python3", "python2")
def check_file_server(cmd: Cmd) -> List[Hit]:
    """``python -m http.server`` serves a directory (the current one unless -d names another) on every
    network the machine is on."""
    if not ({"http.server", "SimpleHTTPServer"} & set(cmd.args) and "-m" in cmd.args):
        return []
    directory = cmd.options(("-d", "--directory", "-b", "--bind", "-m")).value("-d", "--directory") or "."
    if secret_in(directory) or secret_in(directory.rstrip("/") + "/"):
        return [Hit(SERVE_SECRETS, directory)]
    if scope(directory) in (Scope.ROOT, Scope.SYSTEM, Scope.HOME, Scope.ALL_HOMES):
        return [Hit(SERVE_WIDE, directory)]
    return []


def is_fetcher(cmd: Cmd) -> bool:
    if cmd.name == "openssl":
        return bool(cmd.args) and cmd.args[0] == "s_client"
    if cmd.name == "ssh":
        return False
    return cmd.name in FETCHERS


@checks(*SOCKET_TOOLS)
def check_socket_tools(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    if args in (["-h"], []):
        return []
    joined = " ".join(args).lower()
    if cmd.name == "socat":
        if any(t in joined for t in ("exec:", "system:")) and any(t in joined for t in ("tcp", "udp", "ssl", "openssl")):
            return [Hit(REVERSE_SHELL)]
    elif {"-e", "-c", "--exec", "--sh-exec", "--lua-exec"} & set(args) or any(
            a.startswith("-") and not a.startswith("--") and "e" in a and len(a) <= 6 for a in args
            if cmd.name in ("nc", "netcat", "ncat")):
        return [Hit(REVERSE_SHELL)]
    hits: List[Hit] = []
    secret = cmd.stdin.secret or next((secret_in(r[1]) for r in cmd.redirects if r[0] == "<" and secret_in(r[1])), None)
    if secret:
        hits.append(Hit(EXFILTRATE, secret))
    if cmd.name == "openssl" and args[:1] != ["s_client"]:
        return hits
    if "-l" in args or any(a.startswith("-") and "l" in a and not a.startswith("--") for a in args
                           if cmd.name in ("nc", "ncat", "netcat")) or "TCP-LISTEN" in joined.upper():
        return hits + [Hit(LISTENER)]
    return hits + [Hit(RAW_SOCKET, " ".join(a for a in args if not a.startswith("-")) or None)]


def ztcp_connection(cmd: Cmd) -> Optional[str]:
    """The connection zsh's ``ztcp`` opens or accepts, as a /dev/tcp path; None when it opens none."""
    opts = cmd.options(("-d",))
    if {"c", "L"} & opts.shorts or not opts.operands:
        return None
    if {"l", "a"} & opts.shorts:
        return "/dev/tcp/(listening)/" + opts.operands[0]
    return "/dev/tcp/" + "/".join(opts.operands[:2])


@checks("ztcp")
def check_ztcp(cmd: Cmd) -> List[Hit]:
    connection = ztcp_connection(cmd)
    if connection is None:
        return []
    if {"l", "a"} & cmd.options(("-d",)).shorts:
        return [Hit(LISTENER)]
    return [Hit(RAW_SOCKET, connection[len("/dev/tcp/"):].replace("/", " "))]


@checks("curl", "wget", "http", "https", "xh", "httpie")
def check_http(cmd: Cmd) -> List[Hit]:
    hits: List[Hit] = []
    args = cmd.args
    sending = False
    for i, a in enumerate(args):
        name, eq, value = a.partition("=")
        attached = None
        if a.startswith("-") and not a.startswith("--") and len(a) > 2 and a[:2] in _UPLOAD_OPTS:
            name, attached = a[:2], a[2:]
        if name in _UPLOAD_OPTS:
            sending = True
            payload = value if eq else attached if attached is not None else (args[i + 1] if i + 1 < len(args) else "")
            secret = secret_in(payload) or (secret_in(payload.split("@", 1)[1]) if "@" in payload else None)
            if secret:
                hits.append(Hit(EXFILTRATE, secret))
            elif payload.lstrip("@") in ("-", "") or payload.startswith("@-"):
                if cmd.stdin.secret:
                    hits.append(Hit(EXFILTRATE, cmd.stdin.secret))
        if cmd.name in ("http", "https", "xh") and "@" in a and secret_in(a.split("@", 1)[1]):
            hits.append(Hit(EXFILTRATE, secret_in(a.split("@", 1)[1])))
    if not hits and cmd.stdin.secret and cmd.name in ("http", "https", "xh"):
        hits.append(Hit(EXFILTRATE, cmd.stdin.secret))
    method, url, items = _request(cmd)
    sending = sending or any(_HTTPIE_DATA.match(i) for i in items)
    if not hits and sending:
        hits.append(Hit(UPLOAD))
    if method == "DELETE":
        hits.append(Hit(REMOTE_DELETE, url))
    elif method in CHANGING_METHODS and not sending:
        hits.append(Hit(REMOTE_CHANGE, f"{method} {url}" if url else method))
    if {"-k", "--insecure", "--no-check-certificate"} & set(args):
        hits.append(Hit(INSECURE_ONCE))
    return hits


def _request(cmd: Cmd) -> Tuple[Optional[str], Optional[str], List[str]]:
    """(method named on the line, URL, HTTPie request items) of an HTTP client call."""
    if cmd.name in _HTTPIE:
        operands = cmd.options(_HTTPIE_VALUES).operands
        method = None
        if len(operands) > 1 and operands[0].upper() in _HTTP_METHODS:
            method = operands[0].upper()
            operands = operands[1:]
        return method, operands[0] if operands else None, operands[1:]
    opts = cmd.options(("-X", "--request", "--method", "-o", "--output", "-O", "--output-document", "-H",
                        "--header", "-d", "--data", "-u", "--user", "-A", "-e", "-F", "--form", "-T",
                        "--upload-file", "--data-binary", "--data-raw", "--data-urlencode", "-w", "--write-out",
                        "-P", "--directory-prefix", "--post-data", "--post-file", "--body-data", "--body-file"))
    method = opts.value("-X", "--request") if cmd.name == "curl" else opts.value("--method")
    url = next((o for o in opts.operands if "://" in o or "." in o), opts.operands[0] if opts.operands else None)
    return (method.upper() if method else None), url, []


@checks("scp", "rsync", "sftp", "ssh", "rcp", "mail", "mailx", "sendmail", "ssh-copy-id")
def check_remote_copy(cmd: Cmd) -> List[Hit]:
    if cmd.name == "rsync" and not any(":" in a for a in cmd.args if not a.startswith("-")):
        return []
    if cmd.name in ("mail", "mailx", "sendmail"):
        return [Hit(EXFILTRATE, cmd.stdin.secret)] if cmd.stdin.secret else [Hit(UPLOAD)]
    hits: List[Hit] = []
    remote_seen = False
    for a in cmd.args:
        if a.startswith("-"):
            continue
        if ":" in a:
            remote_seen = True
        elif cmd.name in ("scp", "rsync", "rcp") and secret_in(a):
            hits.append(Hit(EXFILTRATE, secret_in(a)))
    if cmd.stdin.secret and cmd.name == "ssh":
        hits.append(Hit(EXFILTRATE, cmd.stdin.secret))
    if cmd.name in ("scp", "rsync", "rcp") and not remote_seen:
        return hits
    return hits + [Hit(REMOTE_LOGIN)]


SOCKET_PATHS = ("/dev/tcp/", "/dev/udp/")
#: Commands whose input or output on a socket hands the far end control of this machine.
_CODE_RUNNERS = frozenset(_SHELLS) | {"exec", "eval", "source"}


@on_redirect
def check_socket_redirect(out: Redirect) -> List[Hit]:
    """Output sent to /dev/tcp: a shell's is a reverse shell, a secret's is exfiltration."""
    if not out.path.startswith(SOCKET_PATHS):
        return []
    if out.cmd is not None and out.cmd.name in _CODE_RUNNERS:
        return [Hit(REVERSE_SHELL)]
    if out.stream.secret:
        return [Hit(EXFILTRATE, out.stream.secret)]
    return [Hit(RAW_SOCKET, out.path)]


@on_pipeline
def check_shell_on_socket(cmds: List[Cmd]) -> List[Hit]:
    """A shell reading its input in the same pipe as a socket: the far end types the commands."""
    if any(c.name in _SHELLS and not [a for a in c.args if not a.startswith("-")] for c in cmds) and any(
            c.name in SOCKET_TOOLS for c in cmds):
        return [Hit(REVERSE_SHELL)]
    return []


def env_tls_hits(name: str, value: str) -> List[Hit]:
    """Environment settings that switch TLS verification off."""
    off = {"NODE_TLS_REJECT_UNAUTHORIZED": "0", "PYTHONHTTPSVERIFY": "0", "GIT_SSL_NO_VERIFY": None,
           "CURL_INSECURE": None, "REQUESTS_CA_BUNDLE": "", "CURL_CA_BUNDLE": ""}
    if name in off and (off[name] is None or value.strip("'\"") == off[name]):
        return [Hit(TLS_OFF, f"{name}={value}")]
    return []


def is_shell_name(name: str) -> bool:
    return name in _SHELLS
