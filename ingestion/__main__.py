"""``python -m ingestion``: one run with the current settings, its progress printed line by line."""

from __future__ import annotations

import sys

from ingestion.run import run_ingestion
from yeelen.errors import YeelenError
from yeelen.settings import get_settings


def main() -> int:
    """Run once; print a clear message and exit 2 on an error the user can act on."""

    def show(message: str) -> None:
        print(message, flush=True)

    try:
        run_ingestion(get_settings(), progress=show)
    except YeelenError as error:
        print(f"Error: {error}", file=sys.stderr, flush=True)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
