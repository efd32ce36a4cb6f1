"""System information, services, users, scheduled jobs and the shell itself."""
from __future__ import annotations

from ..intent import Intent, intent

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Optional

#: A systemd unit or Homebrew service name.
SERVICE = r"[A-Za-z0-9][\w@.-]*"
#: Words that name the machine itself, never a service ("restart the computer").
MACHINE = "computer machine system server pc laptop box host"
#: Tools whose own intents answer "git status", "docker stop" and the like.
TOOLS = "git docker compose npm pip brew apt"
#: Things people start and run that are not services ("start the build", "run the tests").
WORK = "build builds test tests project app"

def service(id: str, command: str, need: str, opt: str, explain: str, *, macos: Optional[str] = None,
            only: Optional[str] = None, anywhere: bool = False) -> List[Intent]:
    """A service intent twice: bare ("restart nginx", where the name is never a machine or a tool
    with intents of its own) and with the word "service" ("restart the docker service")."""
    variants = {"macos": macos} if macos else {}
    common = dict(arg=SERVICE, arg_anywhere=anywhere, explain=explain, only=only, **variants)
    return [
        intent(id, command, need, opt, avoid=f"{MACHINE} {TOOLS} {WORK}", **common),
        intent(id + ".named", command, f"{need} service|daemon|unit|systemctl", opt, **common),
    ]


INTENTS = [
    intent("sys.os", "cat /etc/os-release", "os|distro|distribution|operating|release|ubuntu|debian|fedora", "version system show print display get what which name my check run use",
           macos="sw_vers", explain="the operating system name and version"),
    intent("sys.kernel", "uname -r", "kernel", "version show print display get what which release check run", explain="the kernel release"),
    intent("sys.uname", "uname -a", "uname|system|machine info|information|detail|uname", "show all get", explain="kernel, host and architecture"),
    intent("sys.arch", "uname -m", "architecture|arch|bit|64-bit|32-bit", "cpu what which show system machine processor", explain="the machine architecture"),
    intent("sys.memory.watch", "watch -n <n> free -h", "memory|ram|mem watch|monitor|live", "free usage show every second refresh",
           only="linux", explain="memory use, refreshed every <n> seconds", defaults={"n": "2"}),
    intent("sys.memory", "free -h", "memory|ram|mem", "free available usage much how show total use check system used installed left",
           macos="vm_stat", explain="total, used and free memory",
           alt=["vmstat -s -S M"], alt_macos=()),
    intent("sys.cpu", "lscpu", "cpu|processor", "info information detail model show what type which", macos="sysctl -n machdep.cpu.brand_string",
           explain="CPU model and details"),
    intent("sys.cores", "nproc", "core|cpu|processor|thread count|number|many", "how show cpu get", macos="sysctl -n hw.ncpu",
           explain="number of CPU cores"),
    intent("sys.whoami", "whoami", "who|whoami|user|username", "current my what name show print", avoid="logged online login connected",
           explain="the current user name"),
    intent("sys.who", "who", "logged|online|login|connected", "who user show list currently", explain="users logged in now"),
    intent("sys.users", "cut -d: -f1 /etc/passwd", "user|account", "list show all system local every exist", macos="dscl . list /Users",
           avoid="logged current", explain="every user account on this machine"),
    intent("sys.groups", "groups", "group", "my show list what which user belong member current", explain="groups the current user belongs to"),
    intent("sys.groups.user", "groups <user>", "group", "show list what which belong member", explain="groups <user> belongs to"),
    intent("sys.id", "id", "uid|gid", "my show what user current", explain="user and group ids"),
    intent("sys.last", "last", "login|logins|last", "show recent history user list", avoid="command commit", explain="recent logins"),
    intent("sys.env", "env", "environment|env variable|env|environment", "show list all print display set", explain="every environment variable"),
    intent("sys.env.one", "printenv <arg>", "variable|env|environment|printenv|value", "show print display get echo of what", arg=r"[A-Za-z_][A-Za-z0-9_]*", avoid="contain match",
           explain="the value of the environment variable <arg>"),
    intent("sys.env.grep", "env | grep <text>", "variable|env|environment contain|match", "show print display get list all",
           explain="environment variables whose name or value contains <text>"),
    intent("sys.path", 'echo "$PATH"', "path", "show print display echo what current my variable environment", explain="the directories searched for commands"),
    intent("sys.which", "command -v <arg>", "where|locate|location", "install binary executable program located find path is command", arg=r"[A-Za-z0-9][\w.+-]*",
           explain="where the command <arg> is found"),
    intent("sys.alias", "alias", "alias", "list show all defined my", explain="defined aliases"),
    intent("sys.history", "history", "history", "show previous recent list my past", explain="recent commands"),
    intent("sys.history.search", "history | grep <text>", "history", "search find grep show previous for in", explain="commands in history containing <text>"),
    intent("sys.clear", "clear", "clear|cls", "screen console terminal shell", explain="clear the screen"),
    intent("sys.shell", "ps -p $$ -o comm=", "shell", "which what show print display current my using running am i this kind type",
           fish="ps -p $fish_pid -o comm=", explain="the shell this command line runs in"),
    intent("sys.reload_rc", "source ~/.bashrc", "reload|source|refresh|apply|re-source config|rc|bashrc|zshrc|profile|configuration",
           "shell my", zsh="source ~/.zshrc", fish="source ~/.config/fish/config.fish", sh=". ~/.profile",
           explain="re-read the shell's startup file"),
    intent("sys.sudo_last", "sudo !!", "sudo|root|admin|elevated|privilege|superuser last|previous", "run rerun again repeat as with",
           fish="eval sudo $history[1]", explain="run the previous command again with sudo"),
    intent("sys.reboot", "sudo reboot", "reboot|restart", f"{MACHINE} now", explain="restart the machine"),
    intent("sys.shutdown", "sudo shutdown -h now", "shutdown|shut|poweroff|power", f"down off now {MACHINE}", explain="power the machine off"),
    intent("sys.usb", "lsusb", "usb", "device list show connected attached", macos="system_profiler SPUSBDataType", explain="connected USB devices"),
    intent("sys.pci", "lspci", "pci", "device list show", only="linux", explain="PCI devices"),
    intent("sys.battery", "upower -i $(upower -e | grep BAT)", "battery", "status level show charge check how much percentage",
           macos="pmset -g batt", explain="battery charge and status"),
    intent("sys.gpu", "nvidia-smi", "gpu|nvidia|graphic|cuda", "show usage status check card", only="linux", explain="NVIDIA GPU status"),
    intent("sys.temperature", "sensors", "temperature|sensor|heat", "cpu show check", only="linux", explain="temperature sensors"),
    intent("sys.swap", "swapon --show", "swap", "show usage use check list", macos="sysctl vm.swapusage", explain="swap space in use"),
    intent("sys.timezone", "timedatectl", "timezone|tz", "show what current my system", macos="sudo systemsetup -gettimezone", explain="the system time zone"),
    intent("sys.crontab", "crontab -l", "cron|crontab", "list show job scheduled my current task", explain="your scheduled cron jobs"),
    intent("sys.crontab.edit", "crontab -e", "cron|crontab edit|add|change|modify|open|schedule", "job task", explain="edit your cron jobs"),
    # --- services (systemd on Linux, Homebrew services on macOS) -----------------------------------
    *service("svc.status", "systemctl status <arg>", "status|state", "check show of is", "the state of the service <arg>",
             macos="brew services info <arg>", anywhere=True),
    *service("svc.start", "sudo systemctl start <arg>", "start|launch", "", "start the service <arg>", macos="brew services start <arg>"),
    *service("svc.stop", "sudo systemctl stop <arg>", "stop|halt", "", "stop the service <arg>", macos="brew services stop <arg>"),
    *service("svc.restart", "sudo systemctl restart <arg>", "restart|reload|bounce", "", "restart the service <arg>",
             macos="brew services restart <arg>"),
    # "Enable" alone starts nothing now; starting or stopping it as well must be asked for.
    *service("svc.enable", "sudo systemctl enable <arg>", "enable", "boot startup automatically at on",
             "start <arg> at every boot", only="linux"),
    *service("svc.enable.now", "sudo systemctl enable --now <arg>", "enable start|launch", "boot startup automatically at on and",
             "start <arg> now and at every boot", only="linux"),
    *service("svc.disable", "sudo systemctl disable <arg>", "disable", "boot startup automatically at on",
             "keep <arg> from starting at boot", only="linux"),
    *service("svc.disable.now", "sudo systemctl disable --now <arg>", "disable stop|halt", "boot startup automatically at on and",
             "stop <arg> and keep it from starting at boot", only="linux"),
    intent("svc.list", "systemctl list-units --type=service --state=running", "service|daemon", "list show all running active",
           macos="brew services list", explain="running services"),
    intent("svc.failed", "systemctl --failed", "fail|failed|broken|crashed", "service unit list show", only="linux", explain="services that failed"),
    *service("svc.logs", "journalctl -u <arg> -e", "log|journal", "show view for of", "recent log lines of the service <arg>", only="linux"),
    *service("svc.logs.follow", "journalctl -u <arg> -f", "log|journal follow|tail|live|stream|watch", "show view for of",
             "follow the log of the service <arg>", only="linux"),
    intent("sys.logs.last", "journalctl -n <n> --no-pager", "log|journal|syslog system|journal|syslog last|latest|recent|tail",
           "show view line entry message print", only="linux", explain="the last <n> lines of the system journal", defaults={"n": "20"}),
    intent("sys.logs", "journalctl -e", "log|journal|syslog system|journal|syslog", "show view recent latest", macos="log show --last 1h",
           explain="recent system log messages"),
    intent("sys.logs.boot", "journalctl -b", "log|journal|syslog boot", "show view current this since last system message",
           only="linux", explain="log messages since the machine started"),
    intent("sys.logs.follow", "journalctl -f", "log|journal system|journal follow|tail|live|stream|watch", "show view new message",
           avoid="syslog", macos="log stream", explain="print system log messages as they arrive"),
    # "syslog" names the file that rsyslog writes on Debian and Ubuntu.
    intent("sys.syslog.follow", "tail -f /var/log/syslog", "syslog follow|tail|live|stream|watch", "show view new message log system",
           macos="log stream", explain="print system log messages as they arrive"),
    intent("sys.logs.since", "journalctl --since <since>", "log|journal|syslog system|journal|syslog", "show view", only="linux",
           explain="system log messages <since>"),
    intent("sys.dmesg", "sudo dmesg -T | tail -n <n>", "dmesg|kernel", "message log show recent latest last ring buffer", only="linux",
           defaults={"n": "50"}, explain="the latest kernel messages"),
    intent("sys.random_password", "openssl rand -base64 <n>", "random password|secret|token|string|key", "generate create make strong new",
           defaults={"n": "24"}, explain="a random <n>-byte secret, base64-encoded"),
    intent("sys.uuid", "uuidgen", "uuid|guid", "generate create make new random", explain="a new random UUID"),
]
