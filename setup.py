"""One build step on top of pyproject.toml: an installed copy carries intents.yaml and content/ inside the package.

They stay at the top of the repository, where a group edits them; the wheel gets a copy as bot/packaged_content/
(same layout), which bot.config.find_content_root falls back to when no other content folder is given or found.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithContent(build_py):
    """build_py, then copy the content into the built package (not in editable installs: they use the checkout)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        if not (HERE / "intents.yaml").is_file():  # e.g. a Docker layer that copies the content in later
            self.warn("intents.yaml is not here: this build carries no content (see BOT_CONTENT_ROOT)")
            return
        target = Path(self.build_lib) / "bot" / "packaged_content"
        shutil.rmtree(target, ignore_errors=True)
        (target / "content").mkdir(parents=True)
        shutil.copy2(HERE / "intents.yaml", target / "intents.yaml")
        # The YAML files and the classifier head fitted on them (content/classifier.npz).
        for path in sorted([*(HERE / "content").glob("*.yaml"), *(HERE / "content").glob("*.npz")]):
            shutil.copy2(path, target / "content" / path.name)


setup(cmdclass={"build_py": BuildWithContent})
