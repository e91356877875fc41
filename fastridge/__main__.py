"""``python -m fastridge``: runs the command line interface, :func:`fastridge.cli.main`."""
from fastridge.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
