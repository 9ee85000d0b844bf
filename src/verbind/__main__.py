from verbind.cli.main import main

main()
