"""`icihub plan --instance FILE.json --out PLAN.json [--time-limit S] [--wall-limit S] [--seed N]`: solve a planner
instance file without any database and write the plan with each phase's objective, proven bound and
status. A progress bar on stderr follows the solver, presolve included."""

import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from icihub.planning import instance as instances
from icihub.planning.checker import check_plan
from icihub.planning.solver import solve

BAR = 30


class Command(BaseCommand):
    help = "Solve a planner instance (JSON, docs/planner-format.md) and write the plan as JSON."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--instance", required=True, help="the instance file (JSON)")
        parser.add_argument("--out", required=True, help="where to write the plan (JSON)")
        parser.add_argument(
            "--time-limit",
            type=float,
            default=60.0,
            help="units of solver work (CP-SAT's deterministic time: about a second each on a quiet machine, "
            "more on a busy one); the same work gives the same plan",
        )
        parser.add_argument(
            "--wall-limit",
            type=float,
            default=None,
            help="bound the whole command, from reading the file to writing the plan, to this many wall seconds "
            "(the plan may then vary with the machine's load)",
        )
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--workers", type=int, default=1, help="CP-SAT workers (more than one interleave, or race with --parallel)"
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")
        parser.add_argument(
            "--parallel",
            action="store_true",
            help="let the workers race: stronger on large calendars, but the plan may vary between runs",
        )

    def handle(self, *args, instance, out, time_limit, wall_limit, seed, workers, quiet, parallel, **options):
        began = time.perf_counter()  # --wall-limit bounds it all: reading, building, solving, explaining, writing
        try:
            problem = instances.load(instance)
        except (OSError, instances.InstanceError) as error:
            raise CommandError(str(error)) from None
        state = {"phase": "presolve", "objective": None, "bound": None}

        def progress(event: dict) -> None:
            state["phase"] = event.get("phase", state["phase"])
            if event.get("event") == "solution":
                state["objective"], state["bound"] = event.get("objective"), event.get("bound")
            elif "presolve" in event.get("line", "").lower():
                state["phase"] = f"{state['phase']} (presolve)"
            if quiet:
                return
            share = min(1.0, (time.perf_counter() - began) / max(wall_limit or time_limit, 0.1))
            filled = int(share * BAR)
            figures = ""
            if state["objective"] is not None:
                figures = f" objective {state['objective']:g} bound {state['bound']:g}"
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {state['phase'][:28]:<28}{figures:<36}")
            sys.stderr.flush()

        plan = solve(
            problem,
            time_limit=time_limit,
            wall_limit=wall_limit,
            seed=seed,
            workers=workers,
            progress=progress,
            deterministic=not parallel,
            began=began,
        )
        if not quiet:
            sys.stderr.write("\n")
        problems = check_plan(problem, plan)
        if problems:
            raise CommandError("The plan breaks hard rules (a bug): " + " ".join(problems[:5]))
        with open(out, "w", encoding="utf-8") as file:
            json.dump(instances.plan_to_dict(plan), file, ensure_ascii=False, indent=2)
        placed = len(plan.runs)
        unmet = sum(plan.unmet.values())
        phases = "; ".join(
            f"{p['name']}: {p['bound']}"
            if p["name"] == "pooled bound"
            else f"{p['name']}: {p.get('status', '')} objective {p.get('objective')} bound {p.get('bound')}"
            for p in plan.phases
        )
        seconds = time.perf_counter() - began
        self.stdout.write(
            f"{plan.status}: {placed} runs placed, {unmet} unmet. {phases}. Written to {out} "
            f"after {seconds:.1f} wall seconds."
        )
        for sentence in plan.explanation:
            self.stdout.write(f"  why: {sentence}")
