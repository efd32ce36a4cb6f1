"""ssh, scp and keys."""
from ..intent import intent

HOST = r"[A-Za-z0-9][\w.-]*"
S = "ssh server host remote machine"

INTENTS = [
    intent("ssh.connect", "ssh <target>", "ssh|connect|login|log|shell", S, explain="open a shell on <target>"),
    intent("ssh.connect.name", "ssh <arg>", "ssh", S, arg=HOST, explain="open a shell on <arg>"),
    intent("ssh.connect.user", "ssh <user>@<arg>", "ssh", S + " into onto user login log", arg=HOST, arg_anywhere=True,
           explain="open a shell on <arg> as <user>"),
    intent("ssh.port", "ssh -p <port> <target>", "ssh|connect|login|log", S + " port on using", explain="ssh to <target> on port <port>"),
    intent("ssh.port.name", "ssh -p <port> <arg>", "ssh", S + " port on using", arg=HOST, explain="ssh to <arg> on port <port>"),
    intent("ssh.key", "ssh -i <path> <target>", "ssh|connect|login|log key|identity", S + " use using with file private",
           explain="ssh to <target> with the key <path>"),
    intent("ssh.keygen", "ssh-keygen -t ed25519[? -C <email>?]", "generate|create|new|make key|keypair|ssh-keygen", "ssh pair for with comment email",
           explain="create a new ed25519 SSH key pair"),
    intent("ssh.copy_id", "ssh-copy-id <target>", "copy|install|add|authorize|upload|send key|ssh-copy-id", S + " public my to",
           explain="add your public key to <target>'s authorized keys"),
    intent("ssh.pubkey", "cat ~/.ssh/id_ed25519.pub", "public|pub key", "ssh show print display my get cat view", explain="your public SSH key"),
    intent("ssh.keys", "ls -l ~/.ssh", "list|show key", "ssh my all", avoid="public", explain="files in ~/.ssh"),
    intent("ssh.agent_add", "ssh-add[? <path>?]", "add|load key|agent|ssh-add", "ssh to agent my private", explain="add your key to the SSH agent"),
    intent("ssh.known_hosts", "ssh-keygen -R <host>", "known|known_hosts", "remove delete host forget from entry clear fingerprint", explain="forget the stored host key of <host>"),
    intent("ssh.tunnel", "ssh -N -L <port>:localhost:<port> <target>", "tunnel|forward|forwarding", S + " port local remote through via",
           explain="forward local port <port> to port <port> on <target>"),
    intent("ssh.tunnel.ports", "ssh -N -L <port>:localhost:<port2> <target>", "tunnel|forward|forwarding", S + " port local remote through via",
           explain="forward local port <port> to port <port2> on <target>"),
    intent("scp.upload", "scp <file> <remote>", "copy|upload|send|transfer|scp|push|put", "file server remote to host", explain="copy <file> to <remote>"),
    intent("scp.upload.dir", "scp -r <dir> <remote>", "copy|upload|send|transfer|scp|push|put", "dir recursively server remote to host",
           explain="copy the directory <dir> to <remote>"),
    intent("scp.download", "scp <from_remote> <path>", "copy|download|fetch|get|pull|transfer|scp|retrieve", "file server remote to here host",
           defaults={"path": "."}, explain="copy <from_remote> to <path>"),
    intent("rsync.upload", "rsync -avz <dir>/ <remote>", "rsync|sync|synchronize|mirror", "dir server remote to host with", explain="sync <dir> to <remote>"),
]
