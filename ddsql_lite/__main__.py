"""``python -m ddsql_lite``: the ``ddsql`` command."""

import sys

from .cli import main

sys.exit(main())
