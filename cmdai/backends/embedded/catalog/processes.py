"""Processes and ports: listing, finding, killing, resource use."""
from ..intent import intent
from .vocab import KILL

PROC_OPT = "list show all run display view see every current active what check find get"
#: A process name: plain words only, so "kill 'rm -rf'" never becomes a pattern.
NAME = r"[A-Za-z0-9][\w.+-]*"

INTENTS = [
    intent("proc.list", "ps aux", "process|ps", PROC_OPT, explain="list every running process"),
    intent("proc.find", "pgrep -fl <arg>", "process|pgrep|run|alive", PROC_OPT + " named", arg=NAME, arg_anywhere=True,
           avoid_first="run start launch execute",
           explain="running processes whose command line matches <arg>",
           alt=["pidof <arg>"], alt_macos=()),
    intent("proc.pid_of", "pgrep <arg>", "pid|id", "process get find show what print of named", arg=NAME,
           explain="process ids of processes named <arg>"),
    intent("proc.user", "ps -u <user>", "process", PROC_OPT + " by of owned", explain="processes of user <user>"),
    intent("proc.kill.pid", "kill <pid>", KILL + "|stop", "process", avoid="force forcefully hard", explain="ask process <pid> to exit"),
    intent("proc.kill9.pid", "kill -9 <pid>", f"{KILL}|stop force|forcefully|hard|immediately|sigkill", "process",
           explain="kill process <pid> immediately (SIGKILL)"),
    intent("proc.kill.name", "pkill <arg>", KILL, "process all named every run", avoid="force forcefully hard", arg=NAME,
           explain="ask every process named <arg> to exit"),
    intent("proc.kill9.name", "pkill -9 <arg>", f"{KILL} force|forcefully|hard|immediately|sigkill", "process all named every",
           arg=NAME, explain="kill every process named <arg> immediately"),
    intent("proc.kill.user", "pkill -u <user>", KILL, "process all every", explain="ask every process of <user> to exit"),
    intent("proc.kill.port", "kill $(lsof -t -i :<port>)", f"{KILL}|stop|free|close", "process run on listen use using whatever that app up",
           explain="kill the process listening on port <port>",
           alt=["fuser -k <port>/tcp"], alt_macos=()),
    intent("proc.port", "lsof -i :<port>", "", "what which process use using run listen listening find show see check who occupy bound open app program is anything something whatever",
           explain="which process uses port <port>",
           alt=["ss -ltnp 'sport = :<port>'", "fuser -v <port>/tcp"], alt_macos=["lsof -nP -iTCP:<port> -sTCP:LISTEN"]),
    intent("proc.listening", "ss -tulpn", "port|listen|socket", "open listen show list all which active use tcp udp process",
           macos="lsof -iTCP -sTCP:LISTEN -n -P", explain="ports that processes are listening on",
           alt=["netstat -tulpn", "sudo lsof -iTCP -sTCP:LISTEN -n -P"], alt_macos=["netstat -an -p tcp | grep LISTEN"]),
    intent("proc.top_cpu", "ps aux --sort=-%cpu | head -n <n>", "cpu|processor",
           "top most process use using consume consuming show list highest hog usage heaviest eating which by find",
           macos="ps aux -r | head -n <n>", avoid="memory ram", explain="processes using the most CPU", defaults={"n": "10"}),
    intent("proc.top_mem", "ps aux --sort=-%mem | head -n <n>", "memory|ram|mem process|top|most|highest|hog|consuming|heaviest|eating",
           "use using consume show list display print get give usage which by sort order run find", macos="ps aux -m | head -n <n>",
           explain="processes using the most memory", defaults={"n": "10"}),
    intent("proc.top", "top", "top|htop|monitor", "process show system resource live usage interactive real time",
           explain="live view of processes and resource use",
           alt=["htop"]),
    intent("proc.tree", "ps auxf", "tree|hierarchy|forest", "process show display list parent child",
           macos="ps -ej", explain="processes with their parent/child relationships"),
    intent("proc.open_files", "lsof -p <pid>", "file", "open show list by use using", explain="files opened by process <pid>"),
    intent("proc.jobs", "jobs -l", "job", "background list show running current my", explain="jobs started from this shell"),
    intent("proc.sleep", "sleep <n>", "sleep|wait|pause|delay", "second for", explain="wait <n> seconds"),
    intent("proc.zombies", "ps -eo pid,ppid,stat,cmd | awk '$3 ~ /^Z/'", "zombie|defunct", "process find show list all",
           macos="ps -eo pid,ppid,stat,command | awk '$3 ~ /^Z/'", explain="zombie processes and their parents"),
    intent("proc.uptime", "uptime", "uptime|load|up", "system long how been show print display get what average machine computer server running current",
           explain="how long the system has been up and its load average"),
    intent("proc.count", "ps -e | wc -l", "count|number|many process", "run all total how", explain="number of processes (plus a header line)"),
]
