"""`python -m pyrunner snippet.py`: run a snippet as the site's runner does."""

import sys

from pyrunner.run import run_file

if len(sys.argv) != 2:
    sys.exit("usage: python -m pyrunner SNIPPET.py")
sys.exit(run_file(sys.argv[1]))
