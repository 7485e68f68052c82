"""Runs a composite GitHub Action's steps locally, as the runner would: reads action.yml,
fills `${{ inputs.NAME }}` (the given value, else the input's default), `${{ github.action_path }}`
and `${{ steps.ID.outputs.NAME }}`, runs each `run` with its shell and env, and prints the
action's outputs as NAME=VALUE lines. A step's `if:` may join `always()`, `success()` and
`inputs.NAME == 'v'` / `!= 'v'` with `&&`; without `always()` a step after a failure is skipped,
as GitHub skips it. Exits with the first failing step's status.

Usage: python run_action.py ACTION_DIR [NAME=VALUE...]   (PyYAML: pre-commit's venv has it)
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{\s*([a-z_.-]+)\s*\}\}", re.IGNORECASE)


def main():
    action_dir = os.path.abspath(sys.argv[1])
    given = dict(arg.split("=", 1) for arg in sys.argv[2:])
    with open(os.path.join(action_dir, "action.yml")) as f:
        action = yaml.safe_load(f)
    if action["runs"]["using"] != "composite":
        sys.exit("not a composite action")
    inputs = {}
    for name, spec in (action.get("inputs") or {}).items():
        if name in given:
            inputs[name] = given.pop(name)
        elif spec.get("required") and "default" not in spec:
            sys.exit(f"input {name} is required")
        else:
            inputs[name] = str(spec.get("default", ""))
    if given:
        sys.exit(f"the action has no input {', '.join(given)}")
    steps = {}

    def fill(text):
        def one(m):
            path = m.group(1).split(".")
            if path[0] == "inputs":
                return inputs[path[1]]
            if path == ["github", "action_path"]:
                return action_dir
            if path[0] == "steps" and path[2] == "outputs":
                return steps.get(path[1], {}).get(path[3], "")
            sys.exit(f"cannot evaluate ${{{{ {m.group(1)} }}}}")
        return EXPR.sub(one, str(text))

    def condition(text, failed):
        text = str(text).strip()
        if text.startswith("${{") and text.endswith("}}"):
            text = text[3:-2]
        run_after_failure = False
        for term in (t.strip() for t in text.split("&&")):
            if term == "always()":
                run_after_failure = True
            elif term == "success()":
                if failed:
                    return False
            else:
                m = re.fullmatch(r"inputs\.([a-z_-]+)\s*(==|!=)\s*'([^']*)'", term, re.IGNORECASE)
                if not m:
                    sys.exit(f"cannot evaluate if: {term}")
                if (inputs[m.group(1)] == m.group(3)) != (m.group(2) == "=="):
                    return False
        return run_after_failure or not failed

    first_failure = 0
    for step in action["runs"]["steps"]:
        if not condition(step.get("if", "success()"), first_failure != 0):
            continue
        if step.get("shell") != "bash":
            sys.exit("only bash steps are run here")
        with tempfile.NamedTemporaryFile("r", delete=False) as out:
            output_file = out.name
        env = dict(os.environ)
        env.update({k: fill(v) for k, v in (step.get("env") or {}).items()})
        env["GITHUB_ACTION_PATH"] = action_dir
        env["GITHUB_OUTPUT"] = output_file
        # GitHub runs a bash step as `bash --noprofile --norc -eo pipefail FILE`.
        status = subprocess.call(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", fill(step["run"])], env=env)
        with open(output_file) as f:
            steps[step.get("id", "")] = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
        os.unlink(output_file)
        if status != 0 and first_failure == 0:
            first_failure = status
    print_outputs(action, fill)
    sys.exit(first_failure)


def print_outputs(action, fill):
    for name, spec in (action.get("outputs") or {}).items():
        print(f"{name}={fill(spec['value'])}")


main()
