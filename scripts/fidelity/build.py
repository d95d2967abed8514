"""The crates: written by the generator's `fidelity` binary, built by Cargo, and run."""

import json
import os
import re
import subprocess


def prepare(binary, work_dir, specs, batch_bytes, schemas_per_spec):
    """Writes the crates of `specs` and returns the manifest (see harness/src/bin/fidelity)."""
    subprocess.run(
        [
            binary, "--work-dir", work_dir, "--batch-bytes", str(batch_bytes),
            "--schemas-per-spec", str(schemas_per_spec), *specs,
        ],
        check=True,
    )
    with open(os.path.join(work_dir, "manifest.json"), encoding="utf-8") as file:
        return json.load(file)


class Build:
    """`cargo build` of every crate of the workspace, started in the background so that the
    values are drawn meanwhile. A crate whose build fails is built again without the modules
    the compiler names in errors, until what is left builds."""

    def __init__(self, work_dir, target_dir, log):
        self.work_dir = work_dir
        self.target_dir = target_dir
        self.log = log
        self.env = {**os.environ, "CARGO_TARGET_DIR": target_dir, "CARGO_INCREMENTAL": "0"}
        self.process = self._cargo(["--workspace"])

    def _cargo(self, selection):
        command = ["cargo", "build", "--keep-going", "--message-format=short"]
        with open(self.log, "a", encoding="utf-8") as log:
            log.write(f"$ {' '.join(command + selection)}\n")
        return subprocess.Popen(
            command + selection,
            cwd=self.work_dir,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def _wait(self, process):
        _, stderr = process.communicate()
        with open(self.log, "a", encoding="utf-8") as log:
            log.write(stderr)
        return process.returncode, stderr

    def finish(self, crates):
        """Waits for the build; returns {crate: {module: first error}} for the modules left
        out (all of a crate's when an error names none of them)."""
        status, output = self._wait(self.process)
        left_out = {}
        if status == 0:
            return left_out
        for crate in crates:
            name = crate["name"]
            modules = [m["module"] for m in crate["modules"] if m["error"] is None]
            removed = left_out.setdefault(name, {})
            while f"could not compile `{name}`" in output and modules:
                errors = _errors_by_module(output, name)
                named = [m for m in modules if m in errors]
                for module in named or modules:
                    removed[module] = errors.get(module) or _first_error(output, name)
                modules = [m for m in modules if m not in removed]
                if not modules:
                    break
                features = ",".join(modules)
                selection = ["-p", name, "--no-default-features", "--features", features]
                _, output = self._wait(self._cargo(selection))
            if not removed:
                del left_out[name]
        return left_out

    def binary(self, crate):
        return os.path.join(self.target_dir, "debug", crate)


def _errors_by_module(output, crate):
    errors = {}
    pattern = re.compile(rf"crates/{re.escape(crate)}/src/(s\d+)\.rs:\d+:\d+: error(.*)")
    for line in output.splitlines():
        match = pattern.search(line)
        if match:
            errors.setdefault(match.group(1), "error" + match.group(2))
    return errors


def _first_error(output, crate):
    for line in output.splitlines():
        if "error" in line and crate in line:
            return line.strip()
    return "did not build"


def run(binary, lines):
    """Round-trips each (module, type, JSON text) through the crate's binary."""
    stdin = "".join(json.dumps(line) + "\n" for line in lines)
    done = subprocess.run([binary], input=stdin, capture_output=True, text=True, check=False)
    answers = []
    # Only complete lines: a runner that dies mid-way (a stack overflow, say) may leave the
    # last one cut.
    for line in done.stdout.split("\n")[:-1]:
        try:
            answers.append(json.loads(line))
        except ValueError:
            break
    answers = answers[: len(lines)]
    if len(answers) != len(lines):
        # The runner died part of the way: the rest did not run.
        error = f"the runner stopped: {done.stderr.strip().splitlines()[-1:] or done.returncode}"
        answers += [{"decoded": False, "equal": False, "error": error}] * (len(lines) - len(answers))
    return answers
