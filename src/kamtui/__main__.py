from kamtui.cli import main

raise SystemExit(main())
