import sys

from incentives_cli.main import main

sys.exit(main())
