from pressdesk.cli import main

main()
