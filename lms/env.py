"""
Read the environment file before the settings read ``os.environ``.

Lophoc's settings come from environment variables. On a server they usually
live in one file, ``.env`` at the project root (``.env.example`` lists every
variable). ``LOPHOC_ENV_FILE`` names another file (the production install
writes ``/etc/lophoc/lophoc.env``); ``/dev/null`` reads none (the tests).
Variables already set in the environment win over the file.
"""

import os
from pathlib import Path

from dotenv import load_dotenv


def load_env(base_dir: Path) -> Path | None:
    """Load the environment file once; return its path, or None if none was read."""
    path = Path(os.environ.get("LOPHOC_ENV_FILE") or base_dir / ".env")
    if not path.is_file():
        return None
    load_dotenv(path, override=False, encoding="utf-8")
    return path
