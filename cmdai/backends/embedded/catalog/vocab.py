"""Word groups shared by several catalog topics (alternatives joined by "|")."""
from ..words import DESCRIPTIVE

FIND = "find|search|locate|look|list|show|display|print|get|give|where|fetch|identify|lookup|ls"
SHOW = "show|display|print|list|view|see|get|give|tell|check|report|output|what|find|know|read|fetch|lookup|query"
DELETE = "delete|remove|clean|purge|wipe|clear|destroy|discard|unlink|rid"
COUNT = "count|number|many|total|tally|amount|wc"
CREATE = "create|make|new|add|generate|init|initialize|start"
KILL = "kill|terminate|end|murder"

#: Words a find-style request may use without changing the command.
FIND_OPT = f"{FIND} file recursively subdir tree regular exist existing located under inside named whose dir"
#: The same for requests about directories only: "files" there would change the command.
FIND_OPT_DIRS = FIND_OPT.replace(" file ", " ").replace(" regular ", " ")

#: Words that never fill a free name slot (<arg>): verbs and generic nouns of requests.
NOT_ARGS = " ".join([FIND, SHOW, DELETE, COUNT, CREATE, KILL]).replace("|", " ").split() + """
    run running stop start restart reload all every shell terminal url urls link links website websites
    internet online file files dir process container image new current local remote
    it them this that something everything anything recursively quickly now again please
    stash commit branch change changes log logs status port key line word text name user
    package packages version permission size space usage memory disk compose service daemon
    pid id stopped running sleeping zombie dead active idle kernel os system version machine computer
    background foreground job jobs monitor watch
    lib libs library dependency dependencies requirement requirements thing things stuff
    distro distribution outdated
""".split() + sorted(DESCRIPTIVE)

#: Modifiers that change what a command selects, as sets of opposing senses: within one set,
#: words of different senses select different things, so no required group of an intent joins
#: them ("dangling|unused" would answer one with the other). Words of one sense are alternatives.
MODIFIER_SENSES = (
    ("dangling untagged", "unused old"),
    ("stopped exited inactive non-running", "running active", "all every including"),
    ("merged", "unmerged"),
    ("staged cached", "unstaged", "untracked"),
    ("remote", "local", "including both"),
    ("hidden", "visible"),
)
