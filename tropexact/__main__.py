import sys

from tropexact.cli.main import main

sys.exit(main())
