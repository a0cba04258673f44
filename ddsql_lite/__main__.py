"""``python -m ddsql_lite``: the ``ddsql`` command."""

import sys

try:
    from .cli import run
except KeyboardInterrupt:  # Ctrl-C while starting: as anywhere else, status 130
    sys.stderr.write("cancelled\n")
    sys.exit(130)

run()
