"""Fake secrets in the shapes real ones take, and look-alikes that are not secret.

Every value is generated here from a seeded random source: realistic in shape, never a real
credential. ``SECRETS`` pairs a text with the secret values that must not survive redaction;
``LOOK_ALIKES`` are texts that must come through redaction unchanged.
"""
from __future__ import annotations

import base64
import json
import random
import string
from typing import Callable, Dict, List, Tuple

_rng = random.Random(1414)
UPPER, LOWER, DIGITS = string.ascii_uppercase, string.ascii_lowercase, string.digits
ALNUM = UPPER + LOWER + DIGITS
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "-_"
HEX = "0123456789abcdef"


def pick(alphabet: str, n: int, rng: random.Random = _rng) -> str:
    """``n`` characters of ``alphabet`` with at least one upper, lower and digit when it has them."""
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(n))
        wanted = [cls for cls in (UPPER, LOWER, DIGITS) if set(cls) & set(alphabet)]
        if n < 8 or all(set(value) & set(cls) for cls in wanted):
            return value


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt(rng: random.Random = _rng) -> str:
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    payload = b64url(json.dumps({"sub": pick(ALNUM, 12, rng), "exp": rng.randint(1_700_000_000, 1_900_000_000)}).encode())
    return f"{header}.{payload}.{pick(URLSAFE, 43, rng)}"


def private_key(kind: str = "RSA ", rng: random.Random = _rng) -> str:
    body = "\n".join(pick(B64, 64, rng) for _ in range(6))
    return f"-----BEGIN {kind}PRIVATE KEY-----\n{body}\n-----END {kind}PRIVATE KEY-----"


def azure_storage_key(rng: random.Random = _rng) -> str:
    return base64.b64encode(bytes(rng.getrandbits(8) for _ in range(64))).decode()


def aws_key_id(prefix: str = "AKIA", rng: random.Random = _rng) -> str:
    return prefix + pick(UPPER + "234567", 16, rng)


def aws_secret(rng: random.Random = _rng) -> str:
    return pick(B64, 40, rng)


def password(rng: random.Random = _rng, n: int = 14) -> str:
    return pick(ALNUM + "!@#%^*_+=.,?~", n, rng).lstrip("-/~.")


# Each generator makes one token whose shape alone marks it; used by the corpus and the fuzz test.
TOKEN_SHAPES: Dict[str, Callable[[random.Random], str]] = {
    "github classic": lambda r: "ghp_" + pick(ALNUM, 36, r),
    "github oauth": lambda r: "gho_" + pick(ALNUM, 36, r),
    "github app": lambda r: "ghs_" + pick(ALNUM, 36, r),
    "github refresh": lambda r: "ghr_" + pick(ALNUM, 76, r),
    "github user-to-server": lambda r: "ghu_" + pick(ALNUM, 36, r),
    "github fine-grained": lambda r: "github_pat_" + pick(ALNUM, 22, r) + "_" + pick(ALNUM, 59, r),
    "gitlab pat": lambda r: "glpat-" + pick(URLSAFE, 20, r),
    "gitlab deploy": lambda r: "gldt-" + pick(URLSAFE, 20, r),
    "gitlab runner": lambda r: "glrt-" + pick(URLSAFE, 20, r),
    "gitlab runner registration": lambda r: "GR1348941" + pick(URLSAFE, 20, r),
    "slack bot": lambda r: f"xoxb-{r.randint(10**10, 10**11)}-{r.randint(10**10, 10**11)}-{pick(ALNUM, 24, r)}",
    "slack user": lambda r: f"xoxp-{r.randint(10**10, 10**11)}-{r.randint(10**10, 10**11)}-{pick(HEX, 32, r)}",
    "slack app": lambda r: f"xapp-1-A{pick(UPPER + DIGITS, 10, r)}-{r.randint(10**12, 10**13)}-{pick(HEX, 64, r)}",
    "npm": lambda r: "npm_" + pick(ALNUM, 36, r),
    "pypi": lambda r: "pypi-AgEIcHlwaS5vcmc" + pick(URLSAFE, 70, r),
    "jwt": jwt,
    "aws access key id": lambda r: aws_key_id("AKIA", r),
    "aws temporary key id": lambda r: aws_key_id("ASIA", r),
    "google api key": lambda r: "AIza" + pick(URLSAFE, 35, r),
    "google oauth secret": lambda r: "GOCSPX-" + pick(URLSAFE, 28, r),
    "google access token": lambda r: "ya29." + pick(URLSAFE, 80, r),
    "azure client secret": lambda r: pick(ALNUM, 3, r) + "8Q~" + pick(ALNUM + "_~.-", 34, r),
    "stripe live": lambda r: "sk_live_" + pick(ALNUM, 24, r),
    "stripe restricted": lambda r: "rk_live_" + pick(ALNUM, 24, r),
    "openai project": lambda r: "sk-proj-" + pick(URLSAFE, 48, r) + "1",
    "anthropic": lambda r: "sk-ant-api03-" + pick(URLSAFE, 93, r) + "AA",
    "hugging face": lambda r: "hf_" + pick(ALNUM, 34, r),
    "sendgrid": lambda r: "SG." + pick(URLSAFE, 22, r) + "." + pick(URLSAFE, 43, r),
    "digitalocean": lambda r: "dop_v1_" + pick(HEX, 64, r),
    "docker hub": lambda r: "dckr_pat_" + pick(URLSAFE, 27, r),
    "shopify": lambda r: "shpat_" + pick(HEX, 32, r),
    "vault": lambda r: "hvs." + pick(URLSAFE, 90, r),
    "databricks": lambda r: "dapi" + pick(HEX, 32, r),
    "age": lambda r: "AGE-SECRET-KEY-1" + pick(UPPER + DIGITS, 58, r),
    "grafana": lambda r: "glsa_" + pick(ALNUM, 32, r) + "_" + pick(HEX, 8, r),
    "telegram bot": lambda r: f"{r.randint(10**8, 10**9)}:AA{pick(URLSAFE, 33, r)}",
    "terraform cloud": lambda r: pick(ALNUM, 14, r) + ".atlasv1." + pick(URLSAFE, 67, r),
    "mailgun": lambda r: "key-" + pick(HEX, 32, r),
    "supabase": lambda r: "sbp_" + pick(HEX, 40, r),
}


def _secrets() -> List[Tuple[str, List[str]]]:
    r = _rng
    cases: List[Tuple[str, List[str]]] = []

    def add(text: str, *values: str) -> None:
        cases.append((text, list(values)))

    # Shapes that give themselves away, bare and in typical commands.
    for name, make in TOKEN_SHAPES.items():
        token = make(r)
        add(f"use {token} to call the api", token)
    gh, gl, slack, npm, pypi, token = (TOKEN_SHAPES[k](r) for k in (
        "github classic", "gitlab pat", "slack bot", "npm", "pypi", "jwt"))
    add(f'curl -H "Authorization: token {gh}" https://api.github.com/user', gh)
    add(f"git clone https://oauth2:{gl}@gitlab.example.com/team/app.git", gl)
    add(f"curl -X POST -H 'Authorization: Bearer {slack}' https://slack.com/api/chat.postMessage", slack)
    add(f"echo //registry.npmjs.org/:_authToken={npm} >> ~/.npmrc", npm)
    add(f"twine upload -u __token__ -p {pypi} dist/*", pypi)
    add(f'curl -H "Authorization: Bearer {token}" https://api.example.com/me', token)
    add(f"decode the jwt {token}", token)
    # Private keys.
    for kind in ("RSA ", "EC ", "OPENSSH ", "", "ENCRYPTED ", "DSA "):
        key = private_key(kind, r)
        add(f"save this key to a file: {key}", key)
    key = private_key("", r)
    add(f"printf '%s' '{key[:140]}' > id_rsa", key[:140])
    # Cloud credentials.
    key_id, secret = aws_key_id("AKIA", r), aws_secret(r)
    add(f"export AWS_ACCESS_KEY_ID={key_id} AWS_SECRET_ACCESS_KEY={secret}", key_id, secret)
    secret = aws_secret(r)
    add(f"aws configure set aws_secret_access_key {secret}", secret)
    secret = aws_secret(r)
    add(f"AWS_SECRET_ACCESS_KEY='{secret}' aws s3 ls", secret)
    key_id, secret = aws_key_id("ASIA", r), aws_secret(r)
    add(f"set -x AWS_ACCESS_KEY_ID {key_id}; set -x AWS_SECRET_ACCESS_KEY {secret}", key_id, secret)
    account_key = azure_storage_key(r)
    add("az storage blob list --connection-string 'DefaultEndpointsProtocol=https;AccountName=acme;"
        f"AccountKey={account_key};EndpointSuffix=core.windows.net'", account_key)
    account_key = azure_storage_key(r)
    add(f"az storage container list --account-name acme --account-key {account_key}", account_key)
    sas_key = azure_storage_key(r)
    add("Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
        f"SharedAccessKey={sas_key}", sas_key)
    sig = pick(ALNUM, 43, r) + "%3D"
    add(f"azcopy copy file.txt 'https://acme.blob.core.windows.net/c/file.txt?sv=2022-11-02&ss=b&srt=o&sp=rw"
        f"&se=2026-12-31T00:00:00Z&sig={sig}'", sig)
    sig = pick(ALNUM, 43, r) + "%3D"
    add(f"BlobEndpoint=https://acme.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&sig={sig}", sig)
    api_key = pick(HEX, 32, r)
    add(f'curl -H "api-key: {api_key}" https://res.openai.azure.com/openai/deployments', api_key)
    api_key = pick(HEX, 32, r)
    add(f"export AZURE_OPENAI_API_KEY={api_key}", api_key)
    sub_key = pick(HEX, 32, r)
    add(f"curl -H 'Ocp-Apim-Subscription-Key: {sub_key}' https://api.cognitive.microsoft.com/x", sub_key)
    client_secret = TOKEN_SHAPES["azure client secret"](r)
    add(f"az login --service-principal -u app-id --password {client_secret} --tenant contoso", client_secret)
    pk_id = pick(HEX, 40, r)
    add(f'{{"type": "service_account", "project_id": "acme", "private_key_id": "{pk_id}"}}', pk_id)
    gcp_key = private_key("", r).replace("\n", "\\n")
    add(f'{{"type": "service_account", "private_key": "{gcp_key}\\n", "client_email": "ci@acme.iam.gserviceaccount.com"}}',
        gcp_key)
    client_secret = TOKEN_SHAPES["google oauth secret"](r)
    add(f'"client_secret": "{client_secret}"', client_secret)
    # Passwords in URLs and connection strings.
    for scheme in ("postgres", "postgresql", "mysql", "mongodb+srv", "redis", "amqp", "https", "ftp", "smtp"):
        pw = password(r)
        add(f"connect to {scheme}://admin:{pw}@db.internal.example:5432/app", pw)
    # Connection strings, flags and assignments, each template filled with a fresh password ({}).
    for template in ("Server=tcp:acme.database.windows.net,1433;Database=app;User ID=sa;Password={};Encrypt=true",
                     "Data Source=db;Initial Catalog=app;User Id=sa;Pwd={};",
                     "mysql -u root -p{} -h db.example app", "mysqldump -uroot -p{} app > dump.sql",
                     "psql --password {} -h db", "docker login registry.example.com --username ci --password={}",
                     'ldapsearch --passphrase "{}" -x', "sshpass -p {} ssh admin@10.0.0.5",
                     "curl -u admin:{} https://jenkins.example.com/api/json",
                     "wget --user=admin --password={} https://files.example.com/a.tgz", "redis-cli -h cache -a {} ping",
                     "zip -P {} -r backup.zip docs", "openssl rsa -in key.pem -passin pass:{} -out plain.pem",
                     'docker run -e POSTGRES_PASSWORD="{}" postgres:16',
                     "kubectl create secret generic db --from-literal=password='{}'"):
        pw = password(r)
        add(template.format(pw), pw)
    # … and with a fresh token.
    for template in ("vault login -method=github --token {}", "gh secret set DEPLOY_KEY --body {}",
                     "setenv API_TOKEN {}", "git config --global sendemail.smtpPassword {}"):
        tok = pick(ALNUM, r.randint(20, 32), r)
        add(template.format(tok), tok)
    for name in ("GITHUB_TOKEN", "NPM_TOKEN", "SLACK_BOT_TOKEN", "OPENAI_API_KEY", "STRIPE_SECRET",
                 "DB_PASSWORD", "DB_PASS", "JWT_SECRET", "SECRET_KEY", "ENCRYPTION_KEY", "SENTRY_AUTH_TOKEN",
                 "DATADOG_API_KEY", "TF_VAR_client_secret", "MYSQL_ROOT_PASSWORD", "REDIS_PWD"):
        value = pick(ALNUM, r.randint(16, 40), r)
        add(f"export {name}={value}", value)
    value = pick(ALNUM, 20, r)
    add(f'{{"apiKey": "{value}", "region": "eu"}}', value)
    value = pick(ALNUM, 20, r)
    add(f"password: {value}", value)
    value = password(r)
    add(f"log in to the router, the password is {value}", value)
    # Headers.
    for header in ("X-Api-Key", "PRIVATE-TOKEN", "x-functions-key", "X-Vault-Token"):
        value = pick(ALNUM, 32, r)
        add(f'curl -H "{header}: {value}" https://svc.example.com/api', value)
    basic = base64.b64encode(f"admin:{password(r)}".encode()).decode()
    add(f"curl -H 'Authorization: Basic {basic}' https://svc.example.com", basic)
    bearer = pick(URLSAFE, 40, r)
    add(f"http GET https://svc.example.com Authorization:'Bearer {bearer}'", bearer)
    # URL parameters and webhooks.
    value = pick(ALNUM, 32, r)
    add(f"curl 'https://func-acme.azurewebsites.net/api/run?code={value}'", value)
    value = "AIza" + pick(URLSAFE, 35, r)
    add(f"curl 'https://maps.googleapis.com/maps/api/geocode/json?address=Paris&key={value}'", value)
    value = pick(URLSAFE, 40, r)
    add(f"curl 'https://api.example.com/v1/items?access_token={value}&limit=5'", value)
    hook = f"T{pick(UPPER + DIGITS, 8, r)}/B{pick(UPPER + DIGITS, 10, r)}/{pick(ALNUM, 24, r)}"
    add(f"curl -X POST -d '{{\"text\":\"hi\"}}' https://hooks.slack.com/services/{hook}", hook)
    # High-entropy values in assignments under any name.
    for name in ("SESSION", "config.seed", "APP_COOKIE", "WEBHOOK", "signing"):
        value = pick(ALNUM + "+/", 32, r)
        add(f"{name}={value} ./deploy.sh", value)
    # The same secret twice: both go.
    tok = TOKEN_SHAPES["github classic"](r)
    add(f"GH_TOKEN={tok} gh api user; echo {tok} | gh auth login --with-token", tok)
    return cases


def _look_alikes() -> List[str]:
    r = _rng
    sha = lambda: pick(HEX, 40, r)  # noqa: E731 - small local generators read best inline
    sha256 = lambda: pick(HEX, 64, r)  # noqa: E731
    uuid = lambda: "-".join(pick(HEX, n, r) for n in (8, 4, 4, 4, 12))  # noqa: E731
    b64name = lambda: b64url(pick(ALNUM, 18, r).encode())  # noqa: E731
    texts = [
        f"git show {sha()}", f"git checkout {sha()[:7]}", f"git revert {sha()} --no-edit",
        f"git diff {sha()}..{sha()}", f"git cherry-pick {sha()[:12]}", f"git log --oneline {sha()}^..HEAD",
        f"git rebase -i {sha()}~3", f"git branch fix-{sha()[:8]} {sha()}", f"git tag v1.2.3 {sha()}",
        f"git bisect good {sha()}", f"REV={sha()} make release", f"commit={sha()} ./build.sh",
        f"ls /var/lib/docker/volumes/{uuid()}/_data", f"cat /sys/class/net/eth0/device/{uuid()}",
        f"rm -rf /tmp/build-{uuid()}", f"cd ~/.cache/pip/http/{uuid()}/", f"kubectl logs pod/{uuid()}",
        f"az vm show --ids /subscriptions/{uuid()}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1",
        f"az account set --subscription {uuid()}", f"mount UUID={uuid()} /mnt/data",
        f"blkid | grep {uuid()}", f"journalctl _BOOT_ID={pick(HEX, 32, r)}",
        f"echo '{sha256()}  ubuntu-24.04.iso' | sha256sum -c", f"sha256sum file.tar.gz | grep {sha256()}",
        f"echo {sha256()} release.zip | sha256sum --check", f"md5sum -c <<< '{pick(HEX, 32, r)}  a.bin'",
        f"sha1sum backup.tar; expect {sha()}", f"b2sum -c {pick(HEX, 32, r)}.b2",
        f"docker pull nginx@sha256:{sha256()}", f"docker image inspect sha256:{sha256()}",
        f"EXPECTED_SHA256={sha256()} ./verify.sh", f"CHECKSUM={sha256()} make", f"digest={sha256()}",
        f"cat {b64name()}.txt", f"mv {b64name()}.bin archive/", f"ls uploads/{b64name()}",
        f"rm cache/{b64name()}=.json", f"find . -name '{b64name()}*'",
        f"curl -O https://cdn.jsdelivr.net/npm/lodash@4.17.21/{pick(HEX, 40, r)}/lodash.min.js",
        f"wget https://github.com/acme/tool/archive/{sha()}.tar.gz",
        f"curl https://raw.githubusercontent.com/acme/repo/{sha()}/install.sh",
        f"curl -L https://objects.githubusercontent.com/{pick(HEX, 32, r)}/release.zip",
        f"open https://gist.github.com/someone/{pick(HEX, 32, r)}",
        f"pip download https://files.pythonhosted.org/packages/{pick(HEX, 2, r)}/{pick(HEX, 2, r)}/{pick(HEX, 60, r)}/pkg.whl",
        f"curl https://example.com/files/{pick(HEX, 48, r)}?download=1",
        f"curl 'https://www.youtube.com/watch?v={pick(URLSAFE, 11, r)}'",
        "mkdir -p build/out", "ssh -p 2222 admin@host", "mysql -u root -p app", "psql -p 5432 -h db app",
        "docker login --password-stdin < token.txt", "echo $TOKEN | docker login -u ci --password-stdin registry",
        "export PATH=$HOME/bin:$PATH", "export SSH_KEY_PATH=~/.ssh/id_ed25519", "export KEY_FILE=./certs/server.key",
        'export GITHUB_TOKEN="$(gh auth token)"', "export NPM_TOKEN=${NPM_TOKEN}", "PASSWORD=$DB_PASSWORD ./run",
        'curl -H "Authorization: Bearer $TOKEN" https://api.example.com', "curl -H 'Authorization: Bearer ${API_TOKEN}' x",
        'psql --password "$PGPASSWORD"', "kubectl get secret my-secret -o yaml", "ssh-keygen -t ed25519 -C me@example.com",
        "git clone git@github.com:acme/widgets.git", "git clone https://user@example.com/repo.git",
        "openssl req -new -key server.key -out server.csr", "cat -----BEGIN CERTIFICATE----- cert.pem",
        "grep -r 'BEGIN PUBLIC KEY' certs/", "how do I reset my password on linux", "change the root password",
        "generate a random password of 20 characters", "show the token expiry of the current az login",
        "pip install requests==2.31.0", "npm install lodash@4.17.21", "sort --key=2 data.txt", "sort -k 2,2 data.txt",
        "max_tokens=512 python run.py", "export MAX_TOKENS=4096", "export PUBLIC_KEY_PATH=/etc/keys/pub.pem",
        "passwd alice", "pass show email/work", "gpg --recv-keys 0x" + pick(HEX.upper(), 16, r),
        "ip -6 addr add 2001:db8::" + pick(HEX, 4, r) + "/64 dev eth0", "ip link set eth0 address 02:42:ac:11:00:02",
        "tar czf backup-2026-12-01.tar.gz ~/docs", "ls -la ~/.ssh", "chmod 600 ~/.ssh/id_rsa",
        "find . -name '*.pem' -mtime -7", "du -sh node_modules", "base64 -d <<< aGVsbG8gd29ybGQ=",
        "echo aGVsbG8gd29ybGQK | base64 --decode", "git config --global user.name 'Ada Lovelace'",
        "git config --global pull.rebase true", "export EDITOR=vim", "export AWS_PROFILE=prod", "export AWS_REGION=eu-west-1",
        "aws s3 cp s3://acme-bucket/reports/ . --recursive", "az storage blob list --account-name acme --auth-mode login",
        "curl 'https://api.example.com/search?q=linux&page=2'", "kill -9 $(pgrep -f gunicorn)",
        "export TOKEN_URL=https://login.example.com/oauth2/token", "set -x EDITOR nvim",
        "docker run -e POSTGRES_PASSWORD_FILE=/run/secrets/pg postgres:16", "redis-cli -h cache ping",
        "zip -r backup.zip docs", "sshpass -f ~/.pw ssh host", f"kubectl rollout undo deploy/web --to-revision={r.randint(2, 99)}",
        "echo 'token: ' >> notes.txt", "grep -n 'password:' config.yaml", "grep -i 'api_key' -r src/",
        "export HISTSIZE=10000", "ulimit -n 65535", "awk -F: '{print $1}' /etc/passwd",
        f"terraform state show module.vm.azurerm_linux_virtual_machine.main[\"{uuid()}\"]",
        f"ETAG={pick(HEX, 32, r)} curl -H \"If-None-Match: $ETAG\" https://example.com",
        f"image=registry.example.com/app:{sha()[:12]}", f"version={r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 50)}",
    ]
    return texts


SECRETS = _secrets()
LOOK_ALIKES = _look_alikes()
