"""``python -m netlib.synth --write-sample FOLDER``: write a synthetic world (default: the shipped sample)."""

import sys

from netlib.synth import main

sys.exit(main())
