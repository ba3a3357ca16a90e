"""≥ 500 simulated enterprise conversations over REST against the real servers (tests/simulator).

Each conversation has its own sender id (sim-<seed>-<n>); the report is printed and written to
reports/user_simulator.txt. The last reply of a conversation must state the engine's total for
the final profile (or, for an uncovered place, say it is not collected).
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import ROOT, Servers
from tests.simulator.simulate import report, simulate

CONVERSATIONS = 500
SEED = 1
CONCURRENCY = 2  # the machine has two cores; Rasa answers one message at a time anyway
# The share of conversations whose last reply carries the right total. 0.0 while the dialogue
# contract is being built: the dialogue engineer raises it as the bot learns to answer.
SUCCESS_FLOOR = 0.93  # measured 0.962 (481/500) when set (0.902 the session before); never lower it
REPORT = ROOT / "reports" / "user_simulator.txt"


def test_simulated_users_get_the_engines_total(servers: Servers) -> None:
    run = simulate(f"http://127.0.0.1:{servers.rasa_port}", n=CONVERSATIONS, seed=SEED, concurrency=CONCURRENCY)
    text = report(run)
    print(text)
    Path(REPORT).parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text + "\n", encoding="utf-8")

    assert len(run.outcomes) == CONVERSATIONS
    errors = [(o.conversation.sender, o.error) for o in run.outcomes if o.error]
    assert not errors, f"{len(errors)} HTTP errors, first: {errors[:3]}"
    assert run.success_rate >= SUCCESS_FLOOR, f"success {run.success_rate:.1%} < floor {SUCCESS_FLOOR:.0%}\n{text}"
