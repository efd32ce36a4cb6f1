"""What the key does when pressed again in the same shell: the next alternative, or a refinement.

The CLI hands over the session memory (``session_memory.py``) and the request; this module
decides with it. Every command that comes back out of the memory is judged by safety again.
"""
from __future__ import annotations

import time

from .errors import EXIT_OK, NoAnswerError
from .orchestrator import cannot_refine, generate, judge
from .session_memory import Choice, Memory, SessionMemory
from .values import GenerationRequest, Outcome
from .widget import WidgetOutput, render_for_widget

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .config import Config


def next_alternative(memory: SessionMemory, remembered: Memory, shell: str, level: str) -> WidgetOutput:
    """The line for the next command of the last answer, cycling; blocked ones are skipped."""
    total = len(remembered.choices)
    for step in range(1, total):
        index = (remembered.index + step) % total
        choice = remembered.choices[index]
        judged = judge(choice.command, choice.explanation, shell, level)
        if judged.blocked:
            continue
        rendered = render_for_widget(judged, shell)
        if rendered.exit_code != EXIT_OK or not rendered.stdout:
            continue
        risk = judged.assessment.risk.label
        rendered.messages.insert(0, f"cmdai: alternative {index + 1}/{total} — "
                                    f"{risk if risk == 'safe' else risk + ' risk'}")
        memory.save(remembered._replace(index=index, inserted=rendered.stdout, saved=time.time()))
        return rendered
    memory.save(remembered._replace(saved=time.time()))
    raise NoAnswerError("there is no other command for this request",
                        "edit the line to ask again, or add '# what to change' after the command")


def remember(memory: SessionMemory, outcome: Outcome, rendered: WidgetOutput) -> None:
    """Keep the answer's commands for the next press, and say when there are more."""
    choices = outcome.choices()
    if len(choices) > 1:
        rendered.messages.append(f"cmdai: alternative 1/{len(choices)} — press the key again for the next")
    asked = "" if outcome.request.refine is not None else outcome.request.text
    memory.save(Memory([Choice(c.command, c.explanation) for c in choices], 0, rendered.stdout, time.time(), asked))


def offline_refinement(request: GenerationRequest, remembered: Memory, config: "Config", use_cache: bool) -> Outcome:
    """The offline engine cannot edit a command, but it can answer the request that produced it
    with the instruction added ("list all python files" + "changed today"), if it knows that request."""
    asked = remembered.request if any(choice.command.strip() == request.refine.strip()
                                      for choice in remembered.choices) else ""
    if not asked:
        raise cannot_refine(request)
    try:
        return generate(request._replace(text=f"{asked} {request.text}", refine=None), config, use_cache=use_cache)
    except NoAnswerError:
        raise cannot_refine(request) from None
