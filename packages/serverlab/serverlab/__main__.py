"""`python -m serverlab simulate ...`: run a scenario from the command line."""

import sys

from serverlab.cli import main

sys.exit(main())
