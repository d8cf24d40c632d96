"""The README's scripted flow (init, issue, import, passport, share, verify) runs exactly as
written, so the docs cannot drift from the command line.

The block between `<!-- flow: begin -->` and `<!-- flow: end -->` in README.md is extracted and
run with `sh -eu` in an empty directory, with the installed `skillpass` first on PATH, a
throwaway SKILLPASS_HOME, no keyring, and the real Argon2id cost (one wallet, one KDF a command).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

BEGIN, END = "<!-- flow: begin -->", "<!-- flow: end -->"
FENCE = re.compile(r"\A\s*```sh\n(?P<script>.*?)^```\s*\Z", re.DOTALL | re.MULTILINE)


def readme_flow() -> str:
    """The shell script of the README's flow block: the one ```sh fence between the markers."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1, "README.md needs one flow block"
    block = text.split(BEGIN, 1)[1].split(END, 1)[0]
    match = FENCE.match(block)
    assert match is not None, "the flow block must be exactly one ```sh fence"
    return match.group("script")


def flow_env(home: Path) -> dict[str, str]:
    """The caller's environment with the venv's bin first on PATH, a new home, no keyring, and
    nothing of the caller's own skillpass settings."""
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "skillpass").is_file(), f"no skillpass script next to {sys.executable}: pip install -e ."
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLPASS_")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', os.defpath)}", SKILLPASS_HOME=str(home),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    return env


def test_the_flow_block_is_a_strict_posix_script() -> None:
    script = readme_flow()
    assert script.startswith("set -eu\n")
    for step in ("skillpass init", "skillpass issue", "skillpass import", "skillpass passport",
                 "skillpass list --json", "skillpass share", "skillpass verify"):
        assert step in script, step
    assert "jq" not in script.split()


@pytest.mark.slow
def test_the_readme_flow_runs_verbatim_and_the_presentation_verifies(tmp_path: Path) -> None:
    script = tmp_path / "flow.sh"
    script.write_text(readme_flow(), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()

    result = subprocess.run(["sh", "-eu", str(script)], cwd=work, env=flow_env(tmp_path / "home"),
                            capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)

    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "vp.json verified; altered.json refused" in result.stdout
    report = json.loads((work / "report.json").read_text())
    assert report["outcome"] == "verified"
    disclosed = {claim["path"]: claim["value"] for claim in report["credentials"][0]["disclosed"]}
    assert disclosed["/credentialSubject/achievement/name"] == "Applied Data Analysis"
    assert "/credentialSubject/achievement/description" not in disclosed
    passport = json.loads((work / "passport.json").read_text())
    assert passport["counts"]["credentials"] == 1 and passport["counts"]["valid"] == 1
    skills = [skill["name"] for framework in passport["frameworks"] for skill in framework["skills"]]
    assert skills == ["Data analysis"]
